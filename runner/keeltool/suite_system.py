"""The `system` suite: the system `keel run` boots (docs/runner.md, "The
root file system"), driven through the command itself, as a person types
it: `runner/keel run [OPTIONS] -- PROGRAM ARGS` with the default busybox
root file system and keel-init, or with --rootfs and --add.

Each case checks the exit status of `keel run`, the program's output (the
console minus kernel lines) or patterns in it, and for refused input the
runner's message on stderr. The expected values are Linux's semantics
(a shell's `exit 7` is 7, death by SIGUSR1 is 138), not a native run: the
programs are the image's busybox, not the host's. Cases marked `host`
test the runner's own checks of its input (no boot, target-independent)
and run once, on hosted. The interactive session through a pseudo-terminal
is suite_system_tty.py. A target without its busybox (riscv64 offline)
skips the suite with a note.
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

from . import cpio, suite_system_tty, system
from .boot import GuestProgram, boot
from .paths import REPO, build_dir, show
from .report import PROGRESS

KEEL = os.path.join(REPO, "runner", "keel")
USAGE = 2  # keel run's status for input it refuses
# More hard-linked inodes than services/vfs/initramfs.c's first table
# holds (it used to stop at 256 and leave later names empty).
MANY_LINKS = 300


class Case:
    """One `keel run` invocation: args after `run` (FIX words are fixture
    paths, formatted with the Fixtures' fields), the status it must exit
    with, and the program's exact output, patterns in it, patterns on
    stderr, or a check function (output -> error text or None)."""

    def __init__(self, name, args, status=0, output=None, patterns=(),
                 stderr=(), check=None, host=False, stdin=None,
                 everywhere=False):
        self.name, self.args, self.status = name, args, status
        self.output, self.patterns, self.stderr = output, patterns, stderr
        self.check, self.host, self.stdin = check, host, stdin
        self.everywhere = everywhere  # also on QEMU targets (slow boots)


def mem_total_near(mib):
    """A check: /proc/meminfo's MemTotal is at most mib and more than
    half of it (the kernel keeps some for itself)."""
    def check(output):
        m = re.search(r"MemTotal:\s+(\d+) kB", output)
        if not m:
            return "no MemTotal line"
        kib = int(m.group(1))
        if not mib * 512 < kib <= mib * 1024:
            return "MemTotal %d kB for -m %dM" % (kib, mib)
        return None
    return check


ARGV_WORDS = ["a b", "", "it's \"q\"", "tab\there", "*", "$HOME", "--", "---x"]

CASES = [
    Case("busybox echo hello", ["--", "/bin/busybox", "echo", "hello"],
         output="hello\n", everywhere=True),
    Case("sh -c 'exit 7' exits 7", ["--", "/bin/sh", "-c", "exit 7"], 7,
         output="", everywhere=True),
    Case("a program killed by SIGUSR1 exits 138",
         ["--", "/bin/sh", "-c", "kill -USR1 $$"], 138, everywhere=True),
    Case("argv words arrive intact (spaces, quotes, empty, tabs)",
         ["--", "/bin/busybox", "printf", "[%s]\\n"] + ARGV_WORDS,
         output="".join("[%s]\n" % w for w in ARGV_WORDS)),
    Case("a bare command name is looked up in PATH",
         ["--", "basename", "/a/b/c"], output="c\n"),
    Case("the default program is an interactive /bin/sh (typed at: the "
         "console is a tty even when keel run's stdin is a pipe)",
         [], 4, patterns=[r"built-in shell \(ash\)", r"\nfrom stdin\n"],
         stdin=b"echo from stdin; exit 4\n"),
    Case("--add a static program, run from /tmp, re-executed through "
         "/proc/self/exe",
         ["--add", "{selfexec}:/usr/bin/prog", "--", "/bin/sh", "-c",
          "cd /tmp && exec /usr/bin/prog"],
         output="first: cwd /tmp exe /usr/bin/prog\n"
                "again: exe /usr/bin/prog read written before the exec\n",
         everywhere=True),
    Case("--add a directory tree (a symlink and a hard link in it)",
         ["--add", "{tree}:/opt/tree", "--", "/bin/sh", "-c",
          "cd /opt/tree && ls -1 && cat a.txt sub/b.txt && readlink link && "
          "[ a.txt -ef hard ] && echo hard linked"],
         output="a.txt\nhard\nlink\nsub\nalpha\nbeta\na.txt\nhard linked\n"),
    Case("--add HOST keeps the host path in the guest",
         ["--add", "{tree}/a.txt", "--", "/bin/sh", "-c",
          "cat {tree}/a.txt"], output="alpha\n"),
    Case("a host program named by its absolute path is copied in",
         ["--", "{selfexec}", "again"], 1,
         patterns=[r"selfexec: open selfexec.out: No such file"]),
    Case("the system: pid 1 keel-init, mounts, /tmp 1777, /etc, console",
         ["--", "/bin/sh", "-c",
          "cat /proc/1/comm; echo ppid=$PPID; "
          "for d in /proc /dev /sys; do grep -q \" $d \" /proc/mounts && "
          "echo $d mounted; done; grep -q ' /tmp tmpfs ' /proc/mounts && "
          "echo /tmp a tmpfs; stat -c '%a %U' /tmp; cat /etc/hostname; "
          "grep ^root: /etc/passwd; grep -c . /etc/group; tty; "
          "[ -x /sbin/keel-init ] && [ -L /bin/ls ] && echo links"],
         output="keel-init\nppid=1\n/proc mounted\n/dev mounted\n"
                "/sys mounted\n/tmp a tmpfs\n1777 root\nkeel\n"
                "root:x:0:0:root:/root:/bin/sh\n5\n/dev/console\nlinks\n",
         everywhere=True),
    Case("-m 64M sizes the memory", ["-m", "64M", "--", "/bin/sh", "-c",
                                     "grep MemTotal /proc/meminfo"],
         check=mem_total_near(64), everywhere=True),
    Case("--strace logs the calls by name",
         ["--strace", "--", "/bin/busybox", "true"],
         patterns=[r"keel: pid \d+ \(busybox\): exit_group\(0\) = \?"]),
    Case("--strace decodes paths and flags as strace",
         ["--strace", "--", "/bin/busybox", "cat", "/etc/hostname"],
         patterns=[r"\(busybox\): open(at)?\((AT_FDCWD, )?\"/etc/hostname\", "
                   r"O_RDONLY[|A-Z_]*(, 0)?\) = \d+"]),
    Case("several programs (---): the kernel's init runs each",
         ["--", "/bin/busybox", "echo", "one", "---", "/bin/busybox",
          "echo", "two"], output="one\ntwo\n"),
    Case("--par: all at once, the first non-zero status",
         ["--par", "--", "/bin/true", "---", "/bin/busybox", "false"], 1),
    Case("a test program by name", ["hello", "5", "x"], 5,
         patterns=[r"argv\[2\] x"]),
    Case("--rootfs DIR", ["--rootfs", "{rootfs_dir}", "--", "/bin/sh", "-c",
                          "cat /etc/motd; ls -1 /usr/bin; stat -c %h /etc/motd"],
         output="a small root\nbusybox\nsh\n2\n", everywhere=True),
    Case("--rootfs FILE.tar (./ names as mmdebstrap's, a device node)",
         ["--rootfs", "{rootfs_tar}", "--", "/bin/sh", "-c",
          "cat /etc/motd; ls -1 /usr/bin; stat -c %h /etc/motd; "
          "stat -c '%F %t,%T' /opt/null"],
         output="a small root\nbusybox\nsh\n2\ncharacter special file 1,3\n",
         everywhere=True),
    Case("--rootfs FILE.tar with 300 hard-linked files: every name keeps "
         "its data and link count",
         ["--rootfs", "{many_links_tar}", "--", "/bin/sh", "-c",
          "cat /h/*b | wc -l; cat /h/299b; stat -c %h /h/0a /h/299b; "
          "[ /h/299a -ef /h/299b ] && echo same file"],
         output="300\nfile 299\n2\n2\nsame file\n"),
    Case("--rootfs FILE.tar.gz", ["--rootfs", "{rootfs_tgz}", "--",
                                  "/bin/sh", "-c", "cat /etc/motd"],
         output="a small root\n"),
    Case("--rootfs FILE.cpio (written by cpio -H newc)",
         ["--rootfs", "{rootfs_cpio}", "--", "/bin/sh", "-c",
          "cat /etc/motd; ls -1 /usr/bin; stat -c %h /etc/motd"],
         output="a small root\nbusybox\nsh\n2\n", everywhere=True),
    Case("a truncated cpio is refused", ["--rootfs", "{cut_cpio}", "--",
                                         "/bin/true"], USAGE, host=True,
         stderr=[r"keel run: --rootfs .*cut\.cpio: malformed cpio archive: "
                 r"truncated"]),
    Case("a cpio with a bad header field is refused",
         ["--rootfs", "{bad_cpio}", "--", "/bin/true"], USAGE, host=True,
         stderr=[r"malformed cpio archive: bad size field"]),
    Case("a file that is no archive is refused",
         ["--rootfs", "{not_archive}", "--", "/bin/true"], USAGE, host=True,
         stderr=[r"not a cpio archive, and malformed as a tar archive"]),
    Case("a truncated tar is refused", ["--rootfs", "{cut_tar}", "--",
                                        "/bin/true"], USAGE, host=True,
         stderr=[r"malformed as a tar archive: unexpected end of data"]),
    Case("a tar with a damaged header is refused",
         ["--rootfs", "{bad_tar}", "--", "/bin/true"], USAGE, host=True,
         stderr=[r"malformed tar archive: a damaged header at byte \d+"]),
    Case("a missing --add file is refused",
         ["--add", "/nonexistent/keel", "--", "/bin/true"], USAGE, host=True,
         stderr=[r"--add /nonexistent/keel: No such file or directory"]),
    Case("a bad -m size is refused", ["-m", "lots", "--", "/bin/true"],
         USAGE, host=True, stderr=[r"-m takes a size such as 512M"]),
]


class Fixtures:
    """Host files the cases name: a static program, a tree to add, a small
    root file system as a directory, tar, tar.gz and cpio, and damaged
    archives."""

    def __init__(self, tmp, arch):
        self.selfexec = os.path.join(build_dir(), "system", arch, "selfexec")
        self.tree = self._tree(os.path.join(tmp, "tree"))
        self.rootfs_dir = self._small_root(os.path.join(tmp, "root"), arch)
        self.rootfs_tar = os.path.join(tmp, "root.tar")
        self.rootfs_tgz = os.path.join(tmp, "root.tar.gz")
        self._tar(self.rootfs_tar, "w")
        self._tar(self.rootfs_tgz, "w:gz")
        self.many_links_tar = os.path.join(tmp, "links.tar")
        self._tar(self.many_links_tar, "w", links=MANY_LINKS)
        self.rootfs_cpio = os.path.join(tmp, "root.cpio")
        self._cpio(self.rootfs_cpio)
        self.cut_cpio = self._damaged(tmp, "cut.cpio", self.rootfs_cpio,
                                      cut=True)
        self.bad_cpio = self._damaged(tmp, "bad.cpio", self.rootfs_cpio,
                                      at=6 + 6 * 8, data=b"zz")
        self.cut_tar = self._damaged(tmp, "cut.tar", self.rootfs_tar,
                                     cut=True)
        self.bad_tar = self._damaged(tmp, "bad.tar", self.rootfs_tar,
                                     at=self._second_header(), data=b"\xff")
        self.not_archive = os.path.join(tmp, "notes.txt")
        with open(self.not_archive, "w") as f:
            f.write("not an archive\n" * 100)

    @staticmethod
    def _tree(top):
        os.makedirs(os.path.join(top, "sub"))
        with open(os.path.join(top, "a.txt"), "w") as f:
            f.write("alpha\n")
        with open(os.path.join(top, "sub", "b.txt"), "w") as f:
            f.write("beta\n")
        os.symlink("a.txt", os.path.join(top, "link"))
        os.link(os.path.join(top, "a.txt"), os.path.join(top, "hard"))
        return top

    @staticmethod
    def _small_root(top, arch):
        os.makedirs(os.path.join(top, "usr", "bin"))
        os.makedirs(os.path.join(top, "etc"))
        os.makedirs(os.path.join(top, "opt"))
        os.symlink("usr/bin", os.path.join(top, "bin"))
        shutil.copy(system.busybox_path(arch),
                    os.path.join(top, "usr", "bin", "busybox"))
        os.symlink("busybox", os.path.join(top, "usr", "bin", "sh"))
        with open(os.path.join(top, "etc", "motd"), "w") as f:
            f.write("a small root\n")
        os.link(os.path.join(top, "etc", "motd"),
                os.path.join(top, "opt", "motd"))
        return top

    def _tar(self, path, mode, links=0):
        """The small root as mmdebstrap writes it: "./" names, owners
        root, plus a device node (which a directory cannot hold here
        without privileges), and links files /h/Na with a hard link
        /h/Nb each."""
        def as_root(info):
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            return info
        with tarfile.open(path, mode, format=tarfile.GNU_FORMAT) as tf:
            tf.add(self.rootfs_dir, arcname=".", filter=as_root)
            dev = tarfile.TarInfo("./opt/null")
            dev.type, dev.mode, dev.devmajor, dev.devminor = (
                tarfile.CHRTYPE, 0o666, 1, 3)
            tf.addfile(dev)
            for n in range(links):
                data = b"file %d\n" % n
                info = tarfile.TarInfo("./h/%da" % n)
                info.size, info.mode = len(data), 0o644
                tf.addfile(info, io.BytesIO(data))
                link = tarfile.TarInfo("./h/%db" % n)
                link.type, link.linkname = tarfile.LNKTYPE, "./h/%da" % n
                tf.addfile(link)

    def _cpio(self, path):
        names = subprocess.run(["find", "."], cwd=self.rootfs_dir,
                               capture_output=True, check=True).stdout
        with open(path, "wb") as out:
            subprocess.run(["cpio", "--quiet", "-o", "-H", "newc"],
                           cwd=self.rootfs_dir, input=names, stdout=out,
                           check=True)

    def _second_header(self):
        with tarfile.open(self.rootfs_tar) as tf:
            members = tf.getmembers()
        return members[1].offset + 148  # its checksum field

    @staticmethod
    def _damaged(tmp, name, source, cut=False, at=0, data=b""):
        with open(source, "rb") as f:
            buf = bytearray(f.read())
        if cut:
            buf = buf[:len(buf) // 2]
        else:
            buf[at:at + len(data)] = data
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(buf)
        return path


def keel_run(target, args, stdin=None, timeout=None):
    """Runs `keel run --target T ARGS` (nothing built: the suite built
    first); returns (status, stdout, stderr)."""
    env = dict(os.environ, KEEL_NO_BUILD="1")
    limit = float(os.environ.get("KEEL_TIMEOUT") or target.timeout)
    cmd = [sys.executable, KEEL, "run", "--target", target.name,
           "--timeout", str(limit)] + args
    proc = subprocess.run(cmd, input=stdin or b"", capture_output=True,
                          env=env, timeout=timeout or limit + 60)
    out = proc.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    return proc.returncode, out, proc.stderr.decode("utf-8", "replace")


def check_case(target, case, fixtures):
    """The errors of one case (empty: it passed), and the text to show."""
    args = [a.format(**vars(fixtures)) for a in case.args]
    status, out, err = keel_run(target, args, case.stdin)
    output = target.program_output(out)
    errors = []
    if status != case.status:
        errors.append("keel run exited %d, expected %d" % (status,
                                                          case.status))
    if case.output is not None and output != case.output:
        errors.append("the program printed %r, expected %r" % (
            output, case.output))
    for p in case.patterns:
        if not re.search(p, out):
            errors.append("the console lacks /%s/" % p)
    for p in case.stderr:
        if not re.search(p, err):
            errors.append("stderr lacks /%s/" % p)
    if case.check:
        problem = case.check(output)
        if problem:
            errors.append(problem)
    shown = "keel run %s\nconsole:\n%s\nstderr:\n%s" % (
        " ".join(args), "\n".join(out.splitlines()[-20:]),
        "\n".join(err.splitlines()[-10:]))
    return errors, shown


class BadTail:
    """An image written with garbage in place of its trailer, to boot the
    kernel (bypassing the runner's checks) on a malformed archive."""

    def __init__(self, image):
        self.image = image

    def write(self, path):
        with open(path, "wb") as f:
            for m in self.image.members():
                f.write(cpio.member_bytes(m))
            f.write(b"070701" + b"nothex!!" * 13 + b"\0" * 64)


def check_kernel_bad_cpio(suite, target):
    """The kernel unpacks up to the damage, says so, and goes on: the
    system before it runs."""
    image = system.image_for(target.arch)
    system.set_request(image, ["/bin/busybox", "echo", "survived"])
    result = boot(target, [GuestProgram([system.INIT])], image=BadTail(image))
    errors = result.mismatches(0, [r"initramfs: the archive is malformed "
                                   r"after \d+ entries", r"survived"])
    suite.add("the kernel survives a malformed cpio initrd", not errors,
              result.explain(errors) if errors else "")


def missing_parts(target):
    """Why the suite cannot run on target, or None."""
    problem = target.missing()
    for path in (system.init_path(target.arch),
                 system.busybox_path(target.arch),
                 os.path.join(build_dir(), "system", target.arch,
                              "selfexec")):
        if not problem and not os.path.isfile(path):
            problem = "%s missing: run make userland system-tests%s" % (
                show(path), "" if target.arch == "x86_64"
                else " busybox-" + target.arch)
    return problem


def run(suite, target):
    problem = missing_parts(target)
    if problem:
        if target.arch != "x86_64" and target.missing() is None and \
                not os.path.isfile(system.busybox_path(target.arch)):
            suite.notes.append("skipped: " + problem)
            return
        suite.fail("system", problem)
        return
    qemu = not target.host_process
    with tempfile.TemporaryDirectory(prefix="keel-system-") as tmp:
        fixtures = Fixtures(tmp, target.arch)
        for case in CASES:
            if (case.host and target.name != "hosted") or \
                    (qemu and not case.everywhere and not case.host):
                continue
            PROGRESS.show("system (%s): %s" % (target.name, case.name))
            errors, shown = check_case(target, case, fixtures)
            suite.add(case.name, not errors,
                      "\n".join(errors) + "\n" + shown if errors else "")
    PROGRESS.show("system (%s): a malformed initrd" % target.name)
    check_kernel_bad_cpio(suite, target)
    suite_system_tty.run(suite, target)
