"""The `user` suite: user programs on Keel against the host as the oracle.

Each case runs its programs natively first (the x86-64 builds in
build/user/x86_64/, with the same argv Keel gives them), then boots Keel
with them exactly as `keel run` does, and compares what the programs wrote
and the exit status. Some cases add console lines the kernel must print
(a program killed by a signal) or their own check (run=par interleaving).
"""
import difflib
import fnmatch
import os
import re
import subprocess

from . import memcheck, sanitizer
from .boot import Program, boot
from .paths import show, user_program
from .report import PROGRESS

NATIVE_TIMEOUT = 60
ORACLE_ARCH = "x86_64"


class Case:
    def __init__(self, name, programs, par=False, console=(), check=None,
                 refused=None, targets=None, options=(),
                 unstartable=None, ram=None):
        self.name = name
        self.programs = programs    # argv lists, argv[0] the program name
        self.par = par
        self.options = options      # kernel options before the programs
        self.console = console      # regexes the kernel console must match
        self.check = check          # replaces the output comparison
        # A status the kernel must power off with, having run no program
        # (no output): then there is no native oracle.
        self.refused = refused
        self.targets = targets      # target names it runs on (None: all)
        # {index: status}: programs Keel must refuse to start, which count
        # as that status with no output instead of being run natively.
        self.unstartable = unstartable or {}
        self.ram = ram              # the machine's memory ("32M"), if not
                                    # the target's default


def shell_status(returncode):
    """A status as a shell reports it: 128+signal for a killed process."""
    return 128 - returncode if returncode < 0 else returncode


def interleaved(native_outputs, keel_output):
    """spin A / spin B under run=par: both print all their lines, in order,
    and B's first line comes before A's last (so they shared the CPU)."""
    lines = keel_output.splitlines()
    a, b = (o.splitlines() for o in native_outputs)
    for name, want in (("A", a), ("B", b)):
        got = [l for l in lines if l in want]
        if got != want:
            return "program %s printed %r, natively %r" % (name, got, want)
    if not a or not b:
        return "a program printed nothing natively"
    if lines.index(b[0]) > lines.index(a[-1]):
        return ("no interleaving: B's first line came after A's last "
                "(is the timer preempting user code?)")
    return None


def preempted(native_outputs, keel_output):
    """preempt A (tests/user/preempt.c) | spin B under run=par: both print
    all their lines in order, and in every round R of preempt, spin prints
    a line between "start R" and "done R". preempt makes no system call in
    between, so only the timer preempting its user code lets spin run
    there; how slow the kernel is (Valgrind) does not matter."""
    lines = keel_output.splitlines()
    a, b = (o.splitlines() for o in native_outputs)
    for name, want in (("preempt", a), ("spin", b)):
        got = [l for l in lines if l in want]
        if got != want:
            return "%s printed %r, natively %r" % (name, got, want)
    spin_at = [i for i, l in enumerate(lines) if l in b]
    for start in (l for l in a if " start " in l):
        done = start.replace(" start ", " done ")
        lo, hi = lines.index(start), lines.index(done)
        if not any(lo < i < hi for i in spin_at):
            return ("no preemption: spin printed nothing between %r and "
                    "%r, while preempt computed without a system call; is "
                    "the timer preempting user code?" % (start, done))
    return None


def failalloc_clean(native_outputs, keel_output):
    """failalloc (tests/user/failalloc.c): every path swept, with some
    allocations failed, and no BAD or LEAK line. Natively it only says it
    is not on Keel."""
    lines = keel_output.splitlines()
    problems = [l for l in lines if l.startswith(("BAD ", "LEAK "))]
    if problems:
        return "allocation fault injection found problems:\n" + \
            "\n".join(problems[:40])
    swept = [l for l in lines if ": failed: ENOMEM" in l or
             " allocations, failed: " in l]
    if len(swept) < FAILALLOC_PATHS:
        return "%d of %d paths swept:\n%s" % (len(swept), FAILALLOC_PATHS,
                                               keel_output[-2000:])
    total = sum(int(l.split(": ")[1].split()[0]) for l in swept)
    if total == 0:
        return "no path made an allocation: nothing was failed"
    if "failalloc: 0 problems" not in lines:
        return "no summary line 'failalloc: 0 problems'"
    return None


def lines_in_order(want):
    """A check for a Keel-only test (it prints "NAME: not on Keel"
    natively): the Keel output must be exactly the lines of want."""
    def check(native_outputs, keel_output):
        got = keel_output.splitlines()
        if got != want:
            return "Keel printed:\n%s\nexpected:\n%s" % (
                "\n".join(got[:40]), "\n".join(want))
        return None
    return check


# tests/user/oom.c: the hog dies by SIGKILL, nothing else does.
OOM_LINES = ["warm-up:", "hog: exited 0", "bystander: exited 0",
             "after: exited 0", "hog:", "hog: killed by signal 9",
             "bystander: exited 0", "after: exited 0",
             "after the hog: memory all given back"]
def forkbomb_clean(native_outputs, keel_output):
    """tests/user/forkbomb.c: the limited bombs stop at RLIMIT_NPROC with
    EAGAIN, the unlimited one fails with ENOMEM or EAGAIN (lines of the
    out-of-memory killer may come in between, on the console), memory
    comes back, and a child runs afterwards."""
    got = [l for l in keel_output.splitlines()]
    # 31 while every task counts (the parent is one of the 32), 32 where
    # the count is per user and exempts root (the bomb runs as uid 4242).
    want = [["warm-up: %d processes fork failed with EAGAIN" % n,
             "limit 32: %d processes fork failed with EAGAIN" % n,
             "limit 32: memory all given back"] for n in (31, 32)]
    if got[:3] not in want or len(got) != 5 or \
            got[3] not in ("no limit: fork failed with ENOMEM",
                           "no limit: fork failed with EAGAIN",
                           "no limit: fork failed with EAGAIN ENOMEM") or \
            got[4] != "after: a child exited 7":
        return "Keel printed:\n%s" % "\n".join(got[:40])
    return None


# tests/user/enfile.c: ENFILE at /proc/sys/fs/file-max.
ENFILE_LINES = ["file-max above the open files: yes",
                "file-max bad value: EINVAL", "file-max lowered: 0",
                "opened 16 of 16 before ENFILE", "pipe2 at the limit: ENFILE",
                "eventfd2 at the limit: ENFILE",
                "timerfd_create at the limit: ENFILE",
                "epoll_create1 at the limit: ENFILE",
                "signalfd4 at the limit: ENFILE",
                "dup at the limit (no new file): ok",
                "open after a close: ok", "file-max restored: 0",
                "file-nr back: yes",
                "after the files: memory all given back"]
FAILALLOC_PATHS = 14   # tests/user/failalloc.c: paths[]
KILLED_SEGV = r"killed by SIGSEGV"
CASES = [
    Case("hello args and status", [["hello", "7", "two", "three"]]),
    Case("hello no args", [["hello"]]),
    Case("exit_status", [["exit_status"]]),
    Case("bss_touch", [["bss_touch"]]),
    Case("fault_write", [["fault_write"]], console=[KILLED_SEGV]),
    Case("fault_ro", [["fault_ro"]], console=[KILLED_SEGV]),
    Case("fault_exec", [["fault_exec"]], console=[KILLED_SEGV]),
    Case("fault_ill", [["fault_ill"]], console=[r"killed by SIGILL"]),
    Case("bad_pointer", [["bad_pointer"]]),
    Case("syscall_errors", [["syscall_errors"]],
         console=[r"keel: pid \d+ \(syscall_errors\): unknown syscall 1999"]),
    Case("write_count", [["write_count"]]),
    Case("pid", [["pid"]]),
    Case("pid (strace)", [["pid"]], options=["strace"],
         console=[r"keel: pid (\d+) \(pid\): getpid\(\) = \1\b",
                  r"\(pid\): write\(1, \"[^\"]*\"(\.\.\.)?, \d+\) = \d+",
                  r"\(pid\): exit_group\(0\) = \?"]),
    Case("tls", [["tls"]]),
    Case("brk", [["brk"]]),
    Case("mprotect", [["mprotect"]]),
    Case("signal", [["signal"]]),
    Case("signal_default term", [["signal_default", "term"]],
         console=[r"killed by SIGTERM: signal sent by pid \d+"]),
    Case("signal_default core", [["signal_default", "core"]],
         console=[r"killed by SIGQUIT \(core dumped\)"]),
    Case("signal_badframe", [["signal_badframe"]],
         console=[r"killed by SIGSEGV \(core dumped\): unreadable signal "
                  r"frame"]),
    Case("signal_badframe pc", [["signal_badframe", "pc"]],
         console=[KILLED_SEGV]),
    Case("signal_badframe fptail", [["signal_badframe", "fptail"]],
         console=[r"killed by SIGSEGV \(core dumped\): invalid signal "
                  r"frame"], targets=("riscv64",)),
    Case("signal_fpe", [["signal_fpe"]], targets=("hosted", "x86_64")),
    Case("files_rw", [["files_rw"]]),
    # Allocation fault injection over system-call paths: each failed
    # allocation gives ENOMEM (or is done without) and leaks nothing.
    Case("failalloc", [["failalloc"]], check=failalloc_clean),
    # A memory hog beside a bystander: the out-of-memory killer takes
    # the hog, says so, and all its memory comes back.
    Case("oom", [["oom"]], check=lines_in_order(OOM_LINES),
         console=[r"keel: out of memory: killed pid \d+ \(oom\)"]),
    # Fork bombs with and without RLIMIT_NPROC: EAGAIN at the limit,
    # ENOMEM when memory runs out; the kernel and the parent go on.
    # 32 MiB: memory runs out after some hundred processes, not thousands.
    Case("forkbomb", [["forkbomb"]], check=forkbomb_clean, ram="32M"),
    # The system-wide file limit: ENFILE, and every file given back.
    Case("enfile", [["enfile"]], check=lines_in_order(ENFILE_LINES)),
    # Kernel addresses fault from user code; a child's memory stays its
    # own, and comes back zeroed to the next process.
    Case("isolation", [["isolation"]]),
    Case("spin A | spin B (run=par)", [["spin", "A", "6"], ["spin", "B", "6"]],
         par=True, check=interleaved),
    # On one CPU: only there must the timer take it from preempt's user
    # code for spin to run (on two they simply run side by side).
    Case("preempt A | spin B (run=par)",
         [["preempt", "A", "3", "4"], ["spin", "B", "30"]], par=True,
         check=preempted, options=["smp=1"]),
    Case("fault_write --- hello", [["fault_write"], ["hello", "3"]],
         console=[KILLED_SEGV]),
    # A segment running past the end of the file: refused (126, ENOEXEC),
    # nothing read past the file, and the kernel goes on with hello.
    Case("elf_truncated --- hello", [["elf_truncated"], ["hello", "3"]],
         unstartable={0: 126},
         console=[r"keel: /elf_truncated: Exec format error \(ENOEXEC\)"]),
    Case("elf_truncated (run=par)", [["elf_truncated"], ["hello"]],
         par=True, unstartable={0: 126},
         console=[r"keel: /elf_truncated: Exec format error \(ENOEXEC\)"]),
    # Issue 12: a word store filled to its last byte, then empty words,
    # used to run hello as if nothing happened (writing past init's
    # command-line struct). The line must be refused with a message: by
    # init (hosted), or by the core where the backend's copy of the line
    # is shorter than that (x86_64 2047 bytes, riscv64 1023).
    Case("overlong command line is refused",
         [["hello", "a" * 4085, '""', '""']], refused=1,
         console=[r"keel: bad command line: the command line is too long"]),
]


def run_native(path, argv):
    """(output, shell status) of path run on the host with argv."""
    try:
        proc = subprocess.run(argv, executable=path, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=NATIVE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, "timed out after %ds natively" % NATIVE_TIMEOUT
    return proc.stdout.decode("utf-8", errors="replace"), \
        shell_status(proc.returncode)


def oracle(case):
    """Runs the case natively. Returns (outputs per program, the machine
    status Keel should report, problem)."""
    outputs, statuses = [], []
    for i, argv in enumerate(case.programs):
        if i in case.unstartable:
            outputs.append("")
            statuses.append(case.unstartable[i])
            continue
        path = user_program(ORACLE_ARCH, argv[0])
        out, status = run_native(path, ["/" + argv[0]] + argv[1:])
        if out is None:
            return None, None, "%s: %s" % (argv[0], status)
        outputs.append(out)
        statuses.append(status)
    if case.par:
        status = next((s for s in statuses if s != 0), 0)
    else:
        status = statuses[-1]
    return outputs, status, None


def diff(want, got):
    lines = difflib.unified_diff(want.splitlines(), got.splitlines(),
                                 "native", "keel", lineterm="", n=2)
    return "\n".join(list(lines)[:40])


MAX_HUNG_IN_A_ROW = 2


def boot_case(target, case, under_memcheck):
    """Boots Keel with the case's programs, the kernel under memcheck if
    asked. Returns (BootResult, Valgrind's report or None)."""
    programs = [Program(user_program(target.arch, argv[0]), argv[1:])
                for argv in case.programs]
    if under_memcheck:
        return memcheck.boot_under(target, programs=programs, par=case.par,
                                   options=case.options, ram=case.ram)
    return boot(target, programs, options=case.options, par=case.par,
                ram=case.ram), None


def run_case(suite, target, case, under_memcheck=False):
    """Runs one case; returns whether its boot hung."""
    missing = [p for argv in case.programs
               for p in (user_program(ORACLE_ARCH, argv[0]),
                         user_program(target.arch, argv[0]))
               if not os.path.exists(p)]
    if missing:
        suite.fail(case.name, "%s missing: run make user (is the program "
                   "in tests/user/?)" % ", ".join(sorted(set(map(show,
                                                                 missing)))))
        return False
    if case.refused is not None:
        outputs, want_status, problem = [""], case.refused, None
    else:
        outputs, want_status, problem = oracle(case)
    if problem:
        suite.fail(case.name, "the native run failed: " + problem)
        return False
    result, valgrind = boot_case(target, case, under_memcheck)
    got = target.program_output(result.console)
    errors = []
    found = sanitizer.report(result)
    if found:
        errors.append("a sanitizer reported an error in the kernel:\n"
                      + found)
    if valgrind:
        # Valgrind's status (97) then replaces the machine's.
        errors.append("Valgrind memcheck found errors in the kernel:\n"
                      + valgrind)
    if result.problem:
        errors.append(result.problem)
    elif not valgrind and result.status != want_status:
        errors.append("exit status %d, natively %d"
                      % (result.status, want_status))
    if case.check:
        why = case.check(outputs, got)
        if why:
            errors.append(why)
    elif got != "".join(outputs):
        errors.append("output differs from the native run:\n"
                      + diff("".join(outputs), got))
    for pattern in case.console:
        if not re.search(pattern, result.console):
            errors.append("the console lacks /%s/" % pattern)
    details = ""
    if errors:
        details = "\n".join(errors) + "\nconsole (%.1fs):\n%s" % (
            result.seconds, result.tail(25))
    suite.add(case.name, not errors, details)
    return result.timed_out


def selected(filters, target):
    """The cases for target that the filters (globs of case names; none:
    all) pick."""
    return [c for c in CASES
            if (c.targets is None or target.name in c.targets)
            and (not filters or any(fnmatch.fnmatchcase(c.name, f)
                                    for f in filters))]


def run(suite, target, filters=(), under_memcheck=False):
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return
    cases = selected(filters, target)
    if not cases:
        suite.fail("cases", "no user case matches %s (cases: %s)" % (
            " ".join(filters), ", ".join(c.name for c in CASES)))
    label = "user-memcheck" if under_memcheck else "user"
    hung = 0
    for i, case in enumerate(cases, 1):
        if hung >= MAX_HUNG_IN_A_ROW:
            # Keeps a kernel that hangs every boot from taking the whole
            # time budget of CI, one timeout per case.
            suite.fail(case.name, "not run: the last %d boots hung" % hung)
            continue
        PROGRESS.show("%s: [%d/%d] %s" % (label, i, len(cases), case.name))
        hung = hung + 1 if run_case(suite, target, case, under_memcheck) \
            else 0


def run_memcheck(suite, target, filters=()):
    """The `user-memcheck` suite: the user cases again, with the kernel
    process under Valgrind memcheck (targets whose kernel is a host
    process only). The stubs are exec'd and not traced."""
    problem = memcheck.missing()
    if problem:
        suite.fail("valgrind", problem)
        return
    run(suite, target, filters, under_memcheck=True)
