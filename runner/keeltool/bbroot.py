"""Busybox systems for the busybox suites (suite_busybox.py,
suite_bbtestsuite.py): the root file system `keel run` boots (system.py:
busybox with its applet links, /etc, keel-init) plus the suite's files,
booted on Keel and, the oracle, written out as a host directory that the
same program runs in natively, chrooted, so that both sides see the same
files at the same paths and the same busybox binary.

The native run is `unshare` (mount and pid namespaces, a user namespace
when not root) binding the host's /dev and mounting a proc before the
chroot, with an empty environment: the suites' scripts set their own
(tests/busybox/run.sh), so that keel-init's and the host's do not matter.
"""
import os
import shutil
import stat
import subprocess

from . import system
from .boot import GuestProgram, boot


def busybox_for(arch):
    """The host file of the busybox the system of arch gets, or None when
    it is not there (riscv64: make busybox-riscv64)."""
    path = system.busybox_path(arch)
    return path if os.path.isfile(path) else None


def make_image(arch, argv, adds=()):
    """The image of a boot running argv under keel-init: the default
    system of arch with adds ((host, guest) pairs) copied in."""
    image = system.image_for(arch, adds=adds)
    system.set_request(image, argv)
    return image


def write_tree(image, dest):
    """Writes image out as a host directory at dest (replacing it):
    directories, files, symlinks, hard links and fifos (device nodes are
    left out: the native run binds the host's /dev)."""
    if os.path.lexists(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    first_name, dirs = {}, []
    for key, inode in sorted(image.entries.items()):
        path = os.path.join(dest, key)
        kind = stat.S_IFMT(inode.mode)
        if inode.is_dir():
            os.makedirs(path, exist_ok=True)
            dirs.append((path, inode.mode))
        elif id(inode) in first_name:
            os.link(first_name[id(inode)], path)
        elif inode.is_link():
            os.symlink(inode.target, path)
        elif kind == stat.S_IFREG:
            with open(path, "wb") as f:
                f.write(inode.content())
            os.chmod(path, stat.S_IMODE(inode.mode))
        elif kind == stat.S_IFIFO:
            os.mkfifo(path, stat.S_IMODE(inode.mode))
        first_name.setdefault(id(inode), path)
    for path, mode in reversed(dirs):
        os.chmod(path, stat.S_IMODE(mode))


def native_command(tree, argv):
    """The host command that runs argv chrooted into tree: the host's /dev
    bound, a proc of a new pid namespace, an empty environment."""
    unshare = ["unshare", "--mount", "--pid", "--fork"]
    if os.geteuid() != 0:
        unshare.insert(1, "--map-root-user")
    setup = ('mount --rbind /dev "$0/dev" && '
             'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"')
    return unshare + ["sh", "-c", setup, os.path.abspath(tree),
                      "/usr/bin/env", "-i"] + list(argv)


def run_native(image, tree, argv, timeout):
    """Writes image to tree and runs argv there natively: (status, output
    with stderr, problem or None). Status as a shell reports it."""
    write_tree(image, tree)
    try:
        proc = subprocess.run(native_command(tree, argv),
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %ds natively" % timeout
    except OSError as e:
        return None, "", "cannot run natively: %s" % e
    rc = proc.returncode
    return (128 - rc if rc < 0 else rc,
            proc.stdout.decode("utf-8", errors="replace"), None)


def boot_image(target, image, timeout):
    """Boots target with image under keel-init (the request in it)."""
    return boot(target, [GuestProgram([system.INIT])], image=image,
                timeout=timeout)
