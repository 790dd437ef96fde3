"""Debian's busybox source package, for its testsuite/ (not written by
us): fetched once with `apt-get source` into build/busybox/src/ (never
committed) at the version of the installed busybox-static, so that the
tests are those of the binary under test.

The machine's apt sources may have no deb-src lines; a private apt
configuration under build/ derives them from the deb lines (one-line and
deb822 formats), so nothing outside build/ changes and no root is needed.
"""
import glob
import os
import re
import subprocess

from .paths import build_dir

APT_SOURCES = "/etc/apt/sources.list"
APT_PARTS = "/etc/apt/sources.list.d"


def source_version():
    """The source version of the installed busybox-static, or None."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${source:Version}", "busybox-static"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout else None


def deb_src_lines():
    """deb-src lines (one-line format) for every deb source configured."""
    lines = []
    for path in [APT_SOURCES] + sorted(glob.glob(APT_PARTS + "/*.list")):
        try:
            text = open(path).read()
        except OSError:
            continue
        for line in text.splitlines():
            if re.match(r"^deb\s", line):
                lines.append("deb-src" + line[3:])
    for path in sorted(glob.glob(APT_PARTS + "/*.sources")):
        for stanza in re.split(r"\n\s*\n", open(path).read()):
            lines += _deb822_to_lines(stanza)
    return lines


def _deb822_to_lines(stanza):
    """The deb-src lines of one deb822 stanza with Types: deb."""
    fields = {}
    for line in stanza.splitlines():
        m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
        if m:
            fields[m.group(1).lower()] = m.group(2).split()
    if "deb" not in fields.get("types", []) or \
            fields.get("enabled", ["yes"]) == ["no"]:
        return []
    opts = ""
    if fields.get("signed-by"):
        opts = "[signed-by=%s] " % fields["signed-by"][0]
    return ["deb-src %s%s %s %s" % (opts, uri, suite,
                                    " ".join(fields.get("components", [])))
            for uri in fields.get("uris", [])
            for suite in fields.get("suites", [])]


def _apt(args, apt_dir, cwd):
    """Runs apt-get with the private configuration under apt_dir."""
    lists = os.path.join(apt_dir, "lists")
    os.makedirs(os.path.join(lists, "partial"), exist_ok=True)
    cmd = ["apt-get", "-qq",
           "-o", "Dir::Etc::SourceList=" + os.path.join(apt_dir,
                                                        "sources.list"),
           "-o", "Dir::Etc::SourceParts=" + os.path.join(apt_dir, "parts"),
           "-o", "Dir::State::Lists=" + lists,
           "-o", "Dir::Cache=" + os.path.join(apt_dir, "cache"),
           "-o", "Debug::NoLocking=1"] + args
    return subprocess.run(cmd, cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=300)


def testsuite_dir():
    """(path of the unpacked source's testsuite/, None) or (None, why not):
    fetched and unpacked on first use."""
    version = source_version()
    if not version:
        return None, "busybox-static is not installed (scripts/setup-deps)"
    # apt-get source unpacks into busybox-UPSTREAM (no epoch, no Debian
    # revision); a directory per full version keeps versions apart.
    upstream = version.split(":")[-1].rsplit("-", 1)[0]
    base = os.path.join(build_dir(), "busybox", "src",
                        version.replace(":", "_"))
    tree = os.path.join(base, "busybox-" + upstream)
    if os.path.isfile(os.path.join(tree, "testsuite", "runtest")):
        return os.path.join(tree, "testsuite"), None
    apt_dir = os.path.join(base, "apt")
    os.makedirs(os.path.join(apt_dir, "parts"), exist_ok=True)
    with open(os.path.join(apt_dir, "sources.list"), "w") as f:
        f.write("\n".join(deb_src_lines()) + "\n")
    try:
        _apt(["update"], apt_dir, base)  # one failing source is no matter
        got = _apt(["source", "busybox=" + version], apt_dir, base)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, "apt-get source busybox failed: %s" % e
    if not os.path.isfile(os.path.join(tree, "testsuite", "runtest")):
        return None, ("apt-get source busybox=%s did not give %s:\n%s" % (
            version, tree, got.stdout[-1500:]))
    return os.path.join(tree, "testsuite"), None


def config_path(testsuite):
    """The configuration busybox-static was built with (debian/config),
    which runtest reads as $bindir/.config."""
    return os.path.join(os.path.dirname(testsuite), "debian", "config",
                        "pkg", "static")
