"""A Debian root file system for Keel (issue 10): `keel debian [--include
PKGS] [RUN OPTIONS] [-- PROGRAM ARGS]` makes a bookworm minbase tree with
mmdebstrap (plus the packages asked for), caches it as a tar in
build/rootfs/, and boots it with `keel run --rootfs` (1 GiB of memory
unless -m says otherwise; the default program an interactive bash).

The cache is keyed by the package set: bookworm-minbase.tar,
bookworm-minbase+python3.tar ... A tar is written under a temporary name
and renamed when mmdebstrap succeeded, so a cached one is always whole.
"""
import os
import shutil
import subprocess
import sys

from .paths import build_dir, show

SUITE = "bookworm"
VARIANT = "minbase"
DEFAULT_RAM = "1024M"
DEFAULT_PROGRAM = ["/bin/bash", "-l"]


class Error(Exception):
    """mmdebstrap is missing or failed; the text says how."""


def packages(includes):
    """The sorted, unique package names of --include words (each may be a
    comma-separated list)."""
    names = set()
    for word in includes or ():
        names.update(p.strip() for p in word.split(",") if p.strip())
    return sorted(names)


def cache_path(pkgs):
    """Where the tar of this package set is cached."""
    name = "%s-%s%s.tar" % (SUITE, VARIANT,
                            "+" + "+".join(pkgs) if pkgs else "")
    return os.path.join(build_dir(), "rootfs", name)


def available():
    """Is mmdebstrap installed?"""
    return shutil.which("mmdebstrap") is not None


def make_rootfs(includes=(), quiet=False):
    """The cached tar for the package set, made first if missing. Error
    when mmdebstrap is missing or fails."""
    pkgs = packages(includes)
    path = cache_path(pkgs)
    if os.path.isfile(path):
        return path
    if not available():
        raise Error("mmdebstrap not found: run scripts/setup-deps")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".part"
    cmd = ["mmdebstrap", "--variant=" + VARIANT, "--format=tar"]
    if pkgs:
        cmd.append("--include=" + ",".join(pkgs))
    cmd += [SUITE, tmp]
    if not quiet:
        print("keel debian: %s" % " ".join(cmd), file=sys.stderr)
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE if quiet else None)
    if proc.returncode != 0:
        if os.path.exists(tmp):
            os.unlink(tmp)
        detail = proc.stderr.decode("utf-8", "replace")[-2000:] if quiet \
            else ""
        raise Error("mmdebstrap failed (status %d)%s" % (
            proc.returncode, ":\n" + detail if detail else ""))
    os.replace(tmp, path)
    if not quiet:
        print("keel debian: cached %s" % show(path), file=sys.stderr)
    return path


def run(req, includes):
    """`keel debian`: req is keel run's request (cmd_run.Request) without
    its root file system; returns the exit status."""
    from . import cmd_run  # keel run does the boot
    try:
        req.rootfs = make_rootfs(includes)
    except Error as e:
        print("keel debian: %s" % e, file=sys.stderr)
        return cmd_run.STATUS_USAGE
    if req.ram is None:
        req.ram = DEFAULT_RAM
    if not req.words:
        req.words = list(DEFAULT_PROGRAM)
    return cmd_run.run(req)
