"""The `abi` suite: Linux programs built against real libcs (tests/abi/,
mk/abi.mk) on Keel, against Linux as the oracle.

Every program is built static once per variant (x86_64-glibc,
x86_64-musl, riscv64-glibc) and runs natively first, with the argv and
environment Keel gives it (riscv64 under qemu-riscv64-static); a program
that fails natively is a wrong test and fails as such. Then each target
boots once per batch of programs of a variant (the kernel runs them one
after another) with loglevel=3, so that init's `init: /NAME exited with
status N` line closes each program's output; output and status must match
the native run's. A variant whose libc needs a call this kernel does not
have yet (musl writes through writev) is skipped, saying which.
"""
import fnmatch
import os
import re
import shutil
import subprocess

from . import sanitizer
from .boot import Program, boot
from .paths import REPO, build_dir, show
from .report import PROGRESS
from .suite_user import diff, shell_status
from .targets import KERNEL_LINE

NATIVE_TIMEOUT = 60
BATCH = 16            # INIT_MAX_PROGS
VARIANTS = {"x86_64": ("x86_64-glibc", "x86_64-musl"),
            "riscv64": ("riscv64-glibc",)}
COMPILERS = {"x86_64-glibc": "gcc", "x86_64-musl": "musl-gcc",
             "riscv64-glibc": "riscv64-linux-gnu-gcc"}   # mk/abi.mk
# Calls a libc cannot print without: a variant is skipped while the
# kernel image has no handler (syscall_desc_<name>) for one of them.
NEEDS = {"x86_64-musl": ("writev",)}
# Programs whose riscv64 oracle is the x86-64 native run, because
# qemu-user lacks or emulates differently the calls they test (their results do not depend on the
# architecture).
ORACLE_FROM = {("riscv64-glibc", "robust_list"): "x86_64-glibc",
               # qemu-user (7.2) has no openat2
               ("riscv64-glibc", "files_openat2"): "x86_64-glibc",
               ("riscv64-glibc", "mmap"): "x86_64-glibc",
               ("riscv64-glibc", "madvise"): "x86_64-glibc",
               ("riscv64-glibc", "mremap"): "x86_64-glibc",
               ("riscv64-glibc", "futex_waitv"): "x86_64-glibc",
               # qemu-user answers an unknown tty ioctl with ENOSYS
               ("riscv64-glibc", "tty"): "x86_64-glibc",
               # ... and knows neither TIOCGPTLCK nor TIOCGSID
               ("riscv64-glibc", "pty"): "x86_64-glibc",
               ("riscv64-glibc", "pty_job"): "x86_64-glibc",
               # qemu-user's /proc/self is its own process's (comm, task)
               ("riscv64-glibc", "procfs"): "x86_64-glibc",
               ("riscv64-glibc", "thread_names"): "x86_64-glibc",
               # qemu-user's select refuses fds past FD_SETSIZE, and it
               # crashes forking with 4096 fds
               ("riscv64-glibc", "fdtable_grow"): "x86_64-glibc",
               # qemu-user cannot exec its riscv64 program by another
               # name (a symlink: the host has no binfmt_misc for it)
               ("riscv64-glibc", "proc_exe"): "x86_64-glibc",
               # qemu-user gives the guest a fixed stack of its own, not
               # one that grows to RLIMIT_STACK.
               ("riscv64-glibc", "exhaust_stack"): "x86_64-glibc",
               # qemu-user has no preadv2/pwritev2 and checks the
               # buffers of /dev/null reads and writes itself.
               ("riscv64-glibc", "files_io"): "x86_64-glibc",
               ("riscv64-glibc", "files_dev"): "x86_64-glibc",
               ("riscv64-glibc", "files_iov"): "x86_64-glibc",
               # qemu-user's getdents64 answers a 0-byte buffer with
               # ENOMEM and checks the buffer first; it has no fchmodat2
               # and cannot exec its /proc/self/exe.
               ("riscv64-glibc", "files_getdents"): "x86_64-glibc",
               ("riscv64-glibc", "files_setid"): "x86_64-glibc",
               ("riscv64-glibc", "files_closerange"): "x86_64-glibc",
               # qemu-user checks the whole pollfd array first (EFAULT
               # where Linux says EINVAL for too many).
               ("riscv64-glibc", "poll"): "x86_64-glibc",
               # qemu-user checks sleep pointers itself and numbers
               # POSIX timers its own way; it has no futex_waitv.
               ("riscv64-glibc", "nanosleep"): "x86_64-glibc",
               ("riscv64-glibc", "posix_timer"): "x86_64-glibc",
               # qemu-user checks epoll_wait's and eventfd read's buffers
               # itself and has no epoll_pwait2.
               ("riscv64-glibc", "epoll"): "x86_64-glibc",
               ("riscv64-glibc", "eventfd"): "x86_64-glibc",
               # qemu-user's vfork is a fork: the child's writes stay its own
               ("riscv64-glibc", "fork"): "x86_64-glibc",
               # qemu-user cannot execve its /proc/self/exe (its own)
               ("riscv64-glibc", "exec"): "x86_64-glibc",
               ("riscv64-glibc", "exec_busy"): "x86_64-glibc",
               ("riscv64-glibc", "exec_setid"): "x86_64-glibc",
               ("riscv64-glibc", "creds"): "x86_64-glibc",
               ("riscv64-glibc", "bb_exe"): "x86_64-glibc",
               # qemu-user applies no RLIMIT_AS/STACK to the guest, and
               # its own threads count against RLIMIT_NPROC
               ("riscv64-glibc", "rlimit_enforce"): "x86_64-glibc",
               # qemu-user has no PR_SET_CHILD_SUBREAPER and no
               # restart_syscall
               ("riscv64-glibc", "prctl_proc"): "x86_64-glibc",
               ("riscv64-glibc", "restart"): "x86_64-glibc",
               # qemu-user has no clone3 and no CLONE_VM processes
               ("riscv64-glibc", "clone"): "x86_64-glibc",
               ("riscv64-glibc", "unaligned"): "x86_64-glibc",
               # qemu-user translates netlink messages itself and drops
               # those of types it does not know
               ("riscv64-glibc", "netlink_route"): "x86_64-glibc",
               # qemu-user drops unknown socket and signalfd flags and
               # sizes, rewrites control messages itself (cmsg_len,
               # MSG_CTRUNC) and hangs in socket_bind's abstract names.
               ("riscv64-glibc", "signalfd"): "x86_64-glibc",
               ("riscv64-glibc", "socket_bind"): "x86_64-glibc",
               ("riscv64-glibc", "socket_errors"): "x86_64-glibc",
               ("riscv64-glibc", "socket_scm"): "x86_64-glibc",
               # qemu-user's /proc/self/stat and task/ are its own
               # process's; its select cannot take nfds past FD_SETSIZE.
               ("riscv64-glibc", "procfs_task"): "x86_64-glibc",
               ("riscv64-glibc", "procfs_status"): "x86_64-glibc",
               ("riscv64-glibc", "priority"): "x86_64-glibc",
               ("riscv64-glibc", "sched_policy"): "x86_64-glibc",
               # ... and its threads are members of the process group
               # the program makes, at nice 0
               ("riscv64-glibc", "ioprio"): "x86_64-glibc",
               ("riscv64-glibc", "select_sets"): "x86_64-glibc",
               # qemu-user (7.2) gives its guest no vDSO
               ("riscv64-glibc", "vdso"): "x86_64-glibc"}
# Programs with no native oracle on a variant: Keel's run must only exit
# 0 with the last line "still alive" (the process and kernel lived).
NO_ORACLE = {
    # qemu-user checks guest pointers itself (EFAULT for a NULL buffer
    # before Linux's EBADF), and the x86-64 run has other calls.
    ("riscv64-glibc", "badptr"): "still alive",
}
# The environment Keel starts programs with (services/proc/proc.c).
KEEL_ENV = {"PATH": "/bin:/usr/bin", "HOME": "/"}
# Arguments some programs are given (argv[0] is always /NAME).
ARGS = {"args": ["alpha", "beta", "3"]}
EXITED = re.compile(r"^\[\s*\d+\.\d+\] DBG  init: /(\S+) exited with "
                    r"status (\d+)\s*$")

# A kernel log record that starts in the middle of a program's line: the
# program wrote its line in pieces (musl's stdout is one writev of the
# buffer and the new text, written to the console a segment at a time)
# and another CPU logged in between. The record is cut out, so that the
# program's line is whole again.
MID_LINE_LOG = re.compile(r"(?<=[^\n])\[\s*\d+\.\d+\] (ERR |WARN|INFO|DBG )"
                          r"[^\n]*\n")

_native_cache = {}


def programs():
    """The test names, from the sources (tests/abi/*.c)."""
    src = os.path.join(REPO, "tests", "abi")
    return sorted(f[:-2] for f in os.listdir(src) if f.endswith(".c"))


def binary(variant, name):
    return os.path.join(build_dir(), "abi", variant, name)


def run_native(variant, name):
    """(output, status, problem) of the program on Linux, cached."""
    variant = ORACLE_FROM.get((variant, name), variant)
    key = (variant, name)
    if key in _native_cache:
        return _native_cache[key]
    path = os.path.abspath(binary(variant, name))
    argv = ["/" + name] + ARGS.get(name, [])
    if variant.startswith("riscv64"):
        cmd, exe = ["qemu-riscv64-static", "-0", argv[0], path] + argv[1:], \
            None
    else:
        cmd, exe = argv, path
    try:
        proc = subprocess.run(cmd, executable=exe, env=KEEL_ENV,
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT,
                              timeout=NATIVE_TIMEOUT)
        result = (proc.stdout.decode("utf-8", errors="replace"),
                  shell_status(proc.returncode), None)
    except subprocess.TimeoutExpired:
        result = (None, None, "timed out after %ds natively"
                  % NATIVE_TIMEOUT)
    except OSError as e:
        result = (None, None, "cannot run natively: %s" % e)
    _native_cache[key] = result
    return result


def missing_calls(target, variant):
    """The calls of NEEDS[variant] the target's kernel image lacks."""
    needs = NEEDS.get(variant, ())
    if not needs:
        return []
    image = target.image_path()
    try:
        syms = subprocess.run(["nm", image], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL,
                              text=True).stdout
    except OSError:
        return list(needs)
    return [n for n in needs if "syscall_desc_%s\n" % n not in syms]


def split_outputs(target, console):
    """[(name, status, output)] per program init reported as exited, and
    the output after the last one."""
    lines = MID_LINE_LOG.sub("", console).splitlines(keepends=True)
    if target.firmware:
        first = next((i for i, l in enumerate(lines)
                      if KERNEL_LINE.match(l)), 0)
        lines = lines[first:]
    done, current = [], []
    for line in lines:
        m = EXITED.match(line)
        if m:
            done.append((m.group(1), int(m.group(2)), "".join(current)))
            current = []
        elif not KERNEL_LINE.match(line):
            current.append(line)
    return done, "".join(current)


def check_batch(suite, target, variant, names):
    """Boots the batch and adds one result per program."""
    progs = [Program(binary(variant, n), ARGS.get(n, [])) for n in names]
    result = boot(target, progs, options=["loglevel=3"])
    found = sanitizer.report(result)
    if found:
        suite.fail("sanitizer: batch from %s (%s)" % (names[0], variant),
                   "a sanitizer reported an error in the kernel:\n" + found)
    done, rest = split_outputs(target, result.console)
    for i, name in enumerate(names):
        label = "%s (%s)" % (name, variant)
        if (variant, name) in NO_ORACLE:
            out, status, problem = None, 0, None
        else:
            out, status, problem = run_native(variant, name)
        if problem:
            suite.fail(label, "the native run failed: " + problem)
            continue
        if i >= len(done) or done[i][0] != name:
            suite.fail(label, "did not finish on Keel (%s)\nconsole:\n%s"
                       % (result.problem or "the boot ended first",
                          result.tail(25)))
            continue
        _, got_status, got = done[i]
        errors = []
        if got_status != status:
            errors.append("exit status %d, natively %d"
                          % (got_status, status))
        if out is None:
            last = NO_ORACLE[(variant, name)]
            if not got.rstrip().endswith(last):
                errors.append("the output does not end with %r (there is "
                              "no native oracle here):\n%s" % (last, got))
        elif got != out:
            errors.append("output differs from the native run:\n"
                          + diff(out, got))
        suite.add(label, not errors, "\n".join(errors))


def run_variant(suite, target, variant, names):
    built = [n for n in names if os.path.exists(binary(variant, n))]
    for n in sorted(set(names) - set(built)):
        suite.fail("%s (%s)" % (n, variant), "%s missing: run make abi"
                   % show(binary(variant, n)))
    lacking = missing_calls(target, variant)
    if lacking:
        for n in built:
            suite.skip("%s (%s)" % (n, variant), "the kernel lacks %s"
                       % ", ".join(lacking))
        suite.notes.append("%s skipped: its libc needs %s, which this "
                           "kernel does not implement yet"
                           % (variant, ", ".join(lacking)))
        return
    for i in range(0, len(built), BATCH):
        batch = built[i:i + BATCH]
        PROGRESS.show("abi: %s %s.." % (variant, batch[0]))
        check_batch(suite, target, variant, batch)


# The vDSO check under strace (hosted only: there a trap is dearest): a
# libc's clock_gettime loop between two marker lines (tests/abi/vdso.c,
# `vdso loop`) must make no clock_gettime system call.
VDSO_LOOP_CALL = re.compile(r"keel: pid \d+ \(vdso\): clock_gettime\(")
VDSO_LOOP_START = re.compile(r"\(vdso\): write\(1, \"loop start")
VDSO_LOOP_END = re.compile(r"\(vdso\): write\(1, \"loop end")


def check_vdso_strace(suite, target, variant):
    label = "vdso: no clock_gettime traps under strace (%s)" % variant
    if not os.path.exists(binary(variant, "vdso")):
        suite.fail(label, "%s missing: run make abi"
                   % show(binary(variant, "vdso")))
        return
    PROGRESS.show("abi: %s vdso under strace.." % variant)
    result = boot(target, [Program(binary(variant, "vdso"), ["loop"])],
                  options=["loglevel=3", "strace"])
    lines = result.console.splitlines()
    start = next((i for i, l in enumerate(lines)
                  if VDSO_LOOP_START.search(l)), None)
    end = next((i for i, l in enumerate(lines)
                if VDSO_LOOP_END.search(l)), None)
    if start is None or end is None or "loop monotonic: yes" not in \
            result.console:
        suite.fail(label, "the loop did not run to its end (%s):\n%s"
                   % (result.problem or "no markers", result.tail(25)))
        return
    calls = [l for l in lines[start:end] if VDSO_LOOP_CALL.search(l)]
    suite.add(label, not calls, "%d clock_gettime calls trapped in the "
              "loop, e.g.:\n%s" % (len(calls), "\n".join(calls[:5])))


def run(suite, target, filters=()):
    """Every program, or those whose name matches one of the globs."""
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return
    names = [n for n in programs()
             if not filters or any(fnmatch.fnmatch(n, f) for f in filters)]
    for variant in VARIANTS[target.arch]:
        cc = COMPILERS[variant]
        if not shutil.which(cc):
            suite.fail(variant, "%s is missing: run scripts/setup-deps"
                       % cc)
            continue
        if variant.startswith("riscv64") and \
                not shutil.which("qemu-riscv64-static"):
            suite.fail(variant, "qemu-riscv64-static is missing (the "
                       "native oracle): run scripts/setup-deps")
            continue
        run_variant(suite, target, variant, names)
        if target.name == "hosted" and not target.sanitized and \
                "vdso" in names:
            check_vdso_strace(suite, target, variant)
