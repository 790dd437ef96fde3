"""The system `keel run` boots (docs/runner.md, "The root file system"):
the default root file system (Debian's busybox-static with its applet
links, /etc, mount points), our init (userland/init/, /sbin/keel-init)
and the request it reads: the program's argv and extra environment as
NUL-separated words in /etc/keel/argv and /etc/keel/env, so that no word
loses its quoting on the kernel command line.

A suite that wants a busybox system does what `keel run` does
(cmd_run.py): `image = image_for(arch)`, `set_request(image, argv)`, then
`boot.boot(target, [GuestProgram([INIT])], image=image)`.
"""
import os
import subprocess

from . import build, elfdeps, rootfs
from .paths import build_dir, show

INIT = "/sbin/keel-init"
ARGV_FILE = "/etc/keel/argv"
ENV_FILE = "/etc/keel/env"
DEFAULT_SHELL = ["/bin/sh", "-l"]  # an interactive login shell
HOST_BUSYBOX = "/bin/busybox"      # Debian's busybox-static (x86_64 hosts)
BUSYBOX = "/usr/bin/busybox"       # where the image keeps it

ETC = {
    "passwd": "root:x:0:0:root:/root:/bin/sh\n"
              "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
              "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
    "group": "root:x:0:\ndaemon:x:1:\ntty:x:5:\nusers:x:100:\n"
             "nogroup:x:65534:\n",
    "hostname": "keel\n",
    "hosts": "127.0.0.1\tlocalhost\n127.0.1.1\tkeel\n",
    "shells": "/bin/sh\n/bin/ash\n",
    "profile": "# Read by login shells (keel run starts /bin/sh -l).\n"
               "export PS1='\\u@\\h:\\w\\$ '\n",
    "os-release": 'PRETTY_NAME="Keel (busybox)"\nNAME="Keel"\nID=keel\n',
}


class MissingPart(rootfs.Error):
    """A piece of the default system is not built or installed."""


def init_path(arch):
    """The host file of keel-init for arch (mk/userland.mk)."""
    return os.path.join(build_dir(), "userland", arch, "keel-init")


def busybox_path(arch):
    """The host file of the busybox the default image gets for arch: the
    host's own busybox-static on x86_64, the one scripts/fetch-busybox
    fetched otherwise (make busybox-riscv64)."""
    if arch == "x86_64":
        return os.path.realpath(HOST_BUSYBOX)
    return os.path.join(build_dir(), "busybox", arch, "busybox")


def build_goals(arch, default_rootfs=True):
    """The make goals (build.make) of the system of arch: keel-init, and
    the busybox of the default root file system unless the host has it."""
    goals = [os.path.join(build.build_var(), "userland", arch, "keel-init")]
    if default_rootfs and arch != "x86_64":
        goals.append(os.path.join(build.build_var(), "busybox", arch,
                                  "busybox"))
    return goals


def applets(arch, busybox):
    """The applet paths of busybox ("bin/sh", "usr/bin/awk" ...): its
    `--list-full`, or the list fetch-busybox saved beside it."""
    if arch != "x86_64":
        with open(busybox + ".list") as f:
            return f.read().split()
    out = subprocess.run([busybox, "--list-full"], capture_output=True,
                         text=True, check=True)
    return out.stdout.split()


def default_image(arch):
    """The default root file system for arch: merged /usr (bin, sbin, lib
    link to usr/...), busybox with a symlink per applet, /etc, /root,
    a 1777 /tmp and /var/tmp, and the mount points /dev, /proc, /sys."""
    busybox = busybox_path(arch)
    if not os.path.isfile(busybox):
        raise MissingPart("%s missing: %s" % (show(busybox), (
            "run scripts/setup-deps (busybox-static)" if arch == "x86_64"
            else "run make busybox-" + arch)))
    image = rootfs.Image()
    for d in ("usr/bin", "usr/sbin", "usr/lib", "usr/local/bin", "etc",
              "home", "mnt", "run", "var/log", "dev"):
        image.mkdir(d)
    for d in ("bin", "sbin", "lib"):
        image.symlink(d, "usr/" + d)
    image.mkdir("root", 0o700)
    image.mkdir("proc", 0o555)
    image.mkdir("sys", 0o555)
    image.mkdir("tmp", 0o1777)
    image.mkdir("var/tmp", 0o1777)
    for name, text in ETC.items():
        image.add_file("etc/" + name, text.encode())
    image.add_file(BUSYBOX, perm=0o755, source=busybox)
    own = image.resolve(BUSYBOX)
    for applet in applets(arch, busybox):
        if image.resolve(applet) != own and not image.exists(applet):
            image.symlink(applet, BUSYBOX)
    return image


def image_for(arch, rootfs_path=None, adds=()):
    """The image of one boot: the root file system (rootfs_path: a
    directory, tar or cpio; else the default), keel-init at INIT, and
    each (host, guest) of adds copied in. rootfs.Error if a part is
    missing or unreadable."""
    init = init_path(arch)
    if not os.path.isfile(init):
        raise MissingPart("%s missing: run make userland" % show(init))
    if rootfs_path:
        image = rootfs.Image()
        image.load(rootfs_path)
    else:
        image = default_image(arch)
    image.add_file(INIT, perm=0o755, source=init)
    for host, guest in adds:
        image.add_host(host, guest)
        elfdeps.add_libraries(image, host)  # a host program's libraries
    return image


def set_request(image, argv, env=()):
    """Writes what keel-init runs: argv (a list of words) and env (NAME=VALUE
    words that override init's defaults), each word NUL-terminated."""
    image.add_file(ARGV_FILE, b"".join(_word(w) for w in argv))
    image.add_file(ENV_FILE, b"".join(_word(w) for w in env))


def _word(w):
    data = w.encode("utf-8", "surrogateescape")
    if b"\0" in data:
        raise rootfs.Error("an argument holds a NUL byte: %r" % w)
    return data + b"\0"


def host_env(interactive):
    """The environment words a run passes on from the host: TERM, when
    the console is a terminal, so that full-screen programs know it."""
    term = os.environ.get("TERM")
    return ["TERM=" + term] if interactive and term else []
