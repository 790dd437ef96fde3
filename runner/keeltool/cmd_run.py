"""`keel run`: boots Keel with a root file system and a program, shows the
console as it comes (the console is the terminal: standard input goes to
it), and exits with the machine's status: that of the program, 128+signal
if it was killed. With the ktest option it also tells, on stderr, how long
the boot took to the first KTAP result line.

Two ways to run (docs/runner.md, "keel run"):
- one PROGRAM (default: an interactive /bin/sh): keel-init, our pid 1,
  runs it from the root file system with its argv intact (system.py);
- several (`PROG --- PROG`, `--par`): the kernel's init runs them itself
  from the same image, as the test suites boot programs.
A root file system is packed whenever a program runs: the default one
(busybox) or --rootfs; --add copies host files in. The program words are
guest paths; a test program's name (`hello`) or a relative host path is
copied in first (place_program).
"""
import os
import re
import sys

from . import build, elfdeps, ktap, rootfs, system, targets
from .boot import GuestProgram, boot
from .paths import REPO, user_program

# Exit statuses of keel run itself when the machine gives none.
STATUS_HUNG = 124      # like timeout(1)
STATUS_NO_STATUS = 125
STATUS_USAGE = 2

SIZE = re.compile(r"^(\d+)([KMG]?)i?B?$", re.IGNORECASE)
MIN_RAM_MIB = 16
QUIET_LOG = "loglevel=1"  # warnings and errors (docs/architecture.md)


class Request:
    """What `keel run` was asked: the parsed command line (cli.py)."""

    def __init__(self, target="hosted", words=(), options=(), par=False,
                 timeout=None, rootfs=None, adds=(), ram=None):
        self.target, self.words, self.options = target, list(words), options
        self.par, self.timeout = par, timeout
        self.rootfs, self.adds, self.ram = rootfs, list(adds), ram


def split_programs(words):
    """PROG ARGS [--- PROG ARGS]... -> list of argv lists."""
    programs, current = [], []
    for w in words:
        if w == "---":
            if current:
                programs.append(current)
            current = []
        else:
            current.append(w)
    if current:
        programs.append(current)
    return programs


def parse_ram(text):
    """-m SIZE (512M, 1G, 65536K, a plain number: MiB as QEMU takes it) as
    the "NM" both keel-kernel --mem and QEMU -m read; ValueError if bad."""
    m = SIZE.match(text or "")
    if not m:
        raise ValueError("-m takes a size such as 512M or 1G, not %r" % text)
    n, unit = int(m.group(1)), m.group(2).upper()
    mib = {"K": n / 1024, "": n, "M": n, "G": n * 1024}[unit]
    if mib < MIN_RAM_MIB:
        raise ValueError("-m %s: at least %dM" % (text, MIN_RAM_MIB))
    return "%dM" % -(-mib // 1)


def parse_add(spec):
    """--add HOST[:GUEST] -> (host, guest); the guest path defaults to the
    host path made absolute."""
    host, sep, guest = spec.partition(":")
    if not sep or not guest:
        guest = os.path.abspath(host)
    return host, guest


def is_test_program(word):
    """A bare name of a tests/user program (`keel run hello`)."""
    return "/" not in word and os.path.isfile(
        os.path.join(REPO, "tests", "user", word + ".c"))


def add_host_program(image, host, guest):
    """Copies the host program host into image at guest path, with the
    dynamic linker and shared libraries it needs (elfdeps.py)."""
    elfdeps.add_program(image, host, guest)


def place_program(image, arch, argv):
    """argv with argv[0] as the guest path to run, after copying the host
    file it names into image where one is meant: a test program's name is
    build/user/ARCH/NAME at /NAME; a relative path with a slash is that
    host file at /BASENAME; an absolute path is a guest path, copied from
    the host to the same path when the image lacks it or has only a
    busybox applet there but for /bin/sh (the host's ls for /usr/bin/ls:
    elfdeps.replaceable), with the
    dynamic linker and libraries a host program needs. Any other word
    stays a command that keel-init looks up in PATH. rootfs.Error if a
    host file is missing."""
    word = argv[0]
    if is_test_program(word):
        host, guest = user_program(arch, word), "/" + word
    elif "/" in word and not word.startswith("/"):
        host, guest = word, "/" + os.path.basename(word)
        if not os.path.isfile(host):
            raise rootfs.Error("%s not found: check the path" % word)
    elif word.startswith("/") and os.path.isfile(word) and \
            elfdeps.replaceable(image, word, word, arch):
        host, guest = word, word
    else:
        return list(argv)
    add_host_program(image, host, guest)
    return [guest] + list(argv[1:])


def wants_no_program(req, argvs):
    """A boot without any program: kernel options such as ktest only."""
    return not argvs and any(o == "ktest" or o.startswith("ktest=") or
                             o.startswith("selftest=") for o in req.options)


def make_plan(req):
    """(target, argvs, system mode?) for the request."""
    target = targets.get(req.target)
    argvs = split_programs(req.words)
    if wants_no_program(req, argvs):
        return target, [], False
    if not argvs:
        argvs = [list(system.DEFAULT_SHELL)]
    return target, argvs, len(argvs) == 1 and not req.par


def build_for(command, target, argvs, req):
    """Builds what the boot needs; False after saying what failed."""
    goals = build.image_goals(target)
    if argvs:
        goals += system.build_goals(target.arch, not req.rootfs)
    if any(is_test_program(argv[0]) for argv in argvs):
        goals.append("user")
    if build.make(goals):
        print("keel %s: %s failed" % (command, build.command_line(goals)),
              file=sys.stderr)
        return False
    return True


def make_image(target, argvs, req, system_mode):
    """(image, programs for the command line) of the boot."""
    if not argvs:
        return None, []
    image = system.image_for(target.arch, req.rootfs,
                             [parse_add(a) for a in req.adds])
    argvs = [place_program(image, target.arch, argv) for argv in argvs]
    if not system_mode:
        return image, [GuestProgram(argv) for argv in argvs]
    system.set_request(image, argvs[0], system.host_env(sys.stdin.isatty()))
    return image, [GuestProgram([system.INIT])]


def prepare(command, req):
    """(target, image, programs, system mode?) for `keel COMMAND` (run,
    gdb): built, packed, ready to boot; None after saying on stderr what
    is wrong."""
    target, argvs, system_mode = make_plan(req)
    if not build_for(command, target, argvs, req):
        return None
    problem = target.missing()
    try:
        if not problem:
            return (target,) + make_image(target, argvs, req,
                                          system_mode) + (system_mode,)
    except rootfs.Error as e:
        problem = str(e)
    print("keel %s: %s" % (command, problem), file=sys.stderr)
    return None


def boot_options(req, system_mode):
    """The kernel options: as asked, and when keel-init runs the program
    the log quiet but for warnings and errors, so that the console is the
    program's, unless a log level or strace was asked."""
    options = list(req.options)
    if system_mode and not any(o.startswith("loglevel=") or o == "strace"
                               for o in options):
        options.append(QUIET_LOG)
    return options


def run(req):
    prepared = prepare("run", req)
    if not prepared:
        return STATUS_USAGE
    target, image, programs, system_mode = prepared
    ktest = any(o == "ktest" or o.startswith("ktest=") for o in req.options)
    result = boot(target, programs, options=boot_options(req, system_mode),
                  par=req.par, timeout=req.timeout, echo=True, interactive=True,
                  watch=ktap.is_result if ktest else None, ram=req.ram,
                  image=image)
    if ktest:
        print("keel run: boot to first ktest: %s" % (
            "%.3fs (launch to the first KTAP result line)" % result.watched
            if result.watched is not None else "no KTAP result line came"),
            file=sys.stderr)
    if result.problem:
        print("keel run: " + result.problem, file=sys.stderr)
        return STATUS_HUNG if result.timed_out else STATUS_NO_STATUS
    return result.status
