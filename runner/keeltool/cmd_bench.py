"""`keel bench`: microbenchmarks run side by side in one go, natively, on
Keel (hosted and each bare-metal target under QEMU), and, where they are
installed, under User Mode Linux and gVisor (`runsc --platform=ptrace`),
printed as one table per benchmark with ratios.

The same static programs (tests/bench/, built by `make bench` into
build/bench/<arch>/) run everywhere. Each times its own work with the
monotonic clock and prints one line, `bench NAME ops=N ns=T`, and exits 0
only if the work was done and checked; anything else is an error of that
run, reported and left out of the table. Each cell is the best of REPEATS
runs, to shed noise from the other work on the machine.

The speedup table (issue 7) is of another shape: the `threads` program
(two CPU-bound threads of one process) on each machine that can be given
one CPU and two (natively, with the process's affinity; on Keel, with
the smp=N option), both measured in this run, and the ratio of the two.

Adding a row: one BENCHMARKS entry (name, program, args, ...); "{n}" in the
args becomes the environment's operation count, scaled by the row's
`scale` (expensive operations want fewer), or the row's fixed `ops`;
"{tmpfs}" becomes the environment's tmpfs directory arguments (a
directory on a tmpfs, or `--mount DIR` where the program must mount one
itself). Adding a column: one environment class with available() and
run().

A row with host_programs (the host's dynamically linked /bin/true,
python3) runs in a root file system of its own, made once for the row
and the same in every environment: the benchmark program at /PROGRAM,
each host program at its own path with its dynamic linker, shared
libraries and (for Python) standard library (elfdeps.add_program, as
`keel run` copies them). Natively it runs under chroot(8), under User
Mode Linux as its hostfs root, under gVisor as `runsc do -root`, and on
Keel as the initrd. Such rows run only where the host's programs run as
they are (host_envs): natively, on hosted Keel and under the peers.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from . import elfdeps, rootfs, targets
from .boot import GuestProgram, Program, boot
from .paths import build_dir, show
from .report import PROGRESS

REPEATS = 5
RESULT = re.compile(r"^bench (\S+) ops=(\d+) ns=(\d+)\s*$", re.M)


class Benchmark:
    def __init__(self, name, program, args, title, scale=1.0,
                 floor_args=None, ops=None, targets=(), host_programs=()):
        self.name = name          # the table's heading
        self.program = program    # tests/bench/<program>.c
        self.args = args          # "{n}" is replaced by the op count
        self.title = title
        self.scale = scale        # of each environment's op count
        self.floor_args = floor_args  # args of the in-process floor row
        self.ops = ops            # a fixed op count (64 MiB), or None
        self.targets = targets    # the issues' goals, see print_targets
        self.host_programs = list(host_programs)  # run in a BenchRoot
        self.root = None          # that root while the row runs

    def op_count(self, env):
        return self.ops or max(1, int(env.ops * self.scale))

    def argv(self, ops, floor=False, tmpfs=("/tmp",)):
        args = list(self.floor_args or []) if floor else []
        for a in self.args:
            if a == "{tmpfs}":
                args += list(tmpfs)
            else:
                args.append(a.replace("{n}", str(ops)))
        return args


BENCHMARKS = [
    Benchmark("getpid", "getpid", ["{n}"],
              "getpid round trip (a trapped system call)",
              floor_args=["--sigsys"]),
    Benchmark("clock_gettime", "clock", ["{n}"],
              "clock_gettime(CLOCK_MONOTONIC) as a libc calls it (the "
              "vDSO where there is one)"),
    Benchmark("fork", "fork", ["{n}"], "fork + exit + wait", scale=0.01,
              targets=("peers",)),
    Benchmark("exec", "exec", ["{n}"],
              "fork + execve (tiny static binary) + wait", scale=0.005,
              targets=("peers",)),
    Benchmark("fault", "fault", ["{n}"],
              "first-touch fault of one 4 KiB page", scale=0.1,
              targets=("peers", "native3")),
    Benchmark("pipe", "pipe", ["{n}"],
              "pipe 1-byte round trip between two processes", scale=0.1,
              targets=("peers",)),
    Benchmark("open", "open", ["{tmpfs}", "{n}"],
              "open + read 64 bytes + close of a tmpfs file", scale=0.1,
              targets=("peers",)),
    Benchmark("bulk-write", "bulk", ["{tmpfs}", "write", "{n}"],
              "64 MiB written to tmpfs (1 MiB writes), us per MiB", ops=64,
              targets=("bandwidth",)),
    Benchmark("bulk-read", "bulk", ["{tmpfs}", "read", "{n}"],
              "64 MiB read from tmpfs (1 MiB reads), us per MiB", ops=64,
              targets=("bandwidth",)),
    Benchmark("dyn-true", "spawn", ["{n}", "/bin/true"],
              "fork + execve of the host's dynamic /bin/true + wait",
              scale=0.005, host_programs=["/bin/true"], targets=("peers",)),
    Benchmark("python3", "spawn", ["{n}", "/usr/bin/python3", "-c", "pass"],
              "fork + execve of the host's python3 -c pass + wait",
              scale=0.001, host_programs=["/usr/bin/python3"],
              targets=("peers",)),
]

# The environments that run the host's (x86-64) programs as they are.
HOST_ENVS = ("native (host)", "keel hosted", "User Mode Linux",
             "gVisor (ptrace)")


# Two threads x this many units of 1000 xorshift steps (tests/bench/
# threads.c): about 0.15 s per thread natively (idle host) and on hosted
# Keel, where user code runs natively; QEMU's TCG is some 10x slower.
SPEEDUP_UNITS_NATIVE = 100000
SPEEDUP_UNITS_QEMU = 10000
SPEEDUP_GOAL = 0.6  # issue 7: 2 CPUs take at most 0.6 of 1 CPU's time


def program_path(arch, program):
    return os.path.join(build_dir(), "bench", arch, program)


class BenchRoot:
    """The root file system of a row with host programs (see the module
    paragraph): image, a rootfs.Image, and dir, the same tree unpacked in
    a host directory (removed by remove())."""

    def __init__(self, bench, arch="x86_64"):
        self.image = rootfs.Image()
        self.image.add_file("/" + bench.program, perm=0o755,
                            source=program_path(arch, bench.program))
        self.image.mkdir("/tmp", perm=0o1777)
        for host in bench.host_programs:
            elfdeps.add_program(self.image, host, host)
        os.makedirs(os.path.join(build_dir(), "bench"), exist_ok=True)
        self.dir = tempfile.mkdtemp(prefix="root-", dir=os.path.join(
            build_dir(), "bench"))
        try:
            self._unpack()
        except BaseException:
            self.remove()
            raise

    def _unpack(self):
        """Writes the image's entries under dir (parents sort first)."""
        for key in sorted(self.image.entries):
            inode = self.image.entries[key]
            path = os.path.join(self.dir, key)
            if inode.is_dir():
                os.makedirs(path, exist_ok=True)
            elif inode.is_link():
                os.symlink(inode.target, path)
                continue
            elif inode.source is not None:
                shutil.copyfile(inode.source, path)
            else:
                with open(path, "wb") as f:
                    f.write(inode.data)
            os.chmod(path, inode.mode & 0o7777)

    def guest_argv(self, bench, ops):
        return ["/" + bench.program] + bench.argv(ops)

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Env:
    """Where a benchmark runs. ops: its base operation count."""
    label = None
    arch = "x86_64"
    ops = 100000
    floor = False  # runs the benchmark's in-process floor variant
    tmpfs = ("/tmp",)  # "{tmpfs}": Keel's /tmp is a tmpfs

    def available(self):
        """None, or why this environment cannot run here."""
        return None

    def run(self, bench, ops, cpus=None):
        """(output, problem): the run's console text, and None or what
        went wrong. cpus: on that many CPUs (None: the default), for
        the environments with can_size set."""
        raise NotImplementedError

    can_size = False  # run(cpus=N) is honoured
    speedup_units = SPEEDUP_UNITS_NATIVE


def first_cpus(n):
    """A preexec_fn that keeps the child on the first n CPUs it may use,
    or None for no limit."""
    if n is None:
        return None
    allowed = sorted(os.sched_getaffinity(0))[:n]
    return lambda: os.sched_setaffinity(0, allowed)


def run_host(argv, timeout=300, cpus=None):
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout,
                              preexec_fn=first_cpus(cpus))
    except subprocess.TimeoutExpired:
        return "", "timed out after %ds" % timeout
    out = proc.stdout.decode("utf-8", errors="replace")
    if proc.returncode != 0:
        return out, "exit status %d" % proc.returncode
    return out, None


def host_tmpfs():
    """A tmpfs directory of the host: /dev/shm where it is one."""
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            for line in f:
                fields = line.split()
                if len(fields) > 2 and fields[1] == "/dev/shm" and \
                        fields[2] == "tmpfs":
                    return ("/dev/shm",)
    except OSError:
        pass
    return ("/tmp",)


class Native(Env):
    label = "native (host)"
    ops = 200000
    can_size = True

    def __init__(self):
        self.tmpfs = host_tmpfs()

    def run(self, bench, ops, cpus=None):
        if bench.root:
            return run_host(["chroot", bench.root.dir] +
                            bench.root.guest_argv(bench, ops), cpus=cpus)
        return run_host([program_path(self.arch, bench.program)] +
                        bench.argv(ops, tmpfs=self.tmpfs), cpus=cpus)


class SigsysFloor(Native):
    label = "in-process SIGSYS floor"
    floor = True

    def run(self, bench, ops, cpus=None):
        return run_host([program_path(self.arch, bench.program)] +
                        bench.argv(ops, floor=True, tmpfs=self.tmpfs))


class Keel(Env):
    can_size = True

    def __init__(self, target_name, ops):
        self.target = targets.get(target_name)
        self.arch = self.target.arch
        self.ops = ops
        self.label = "keel " + target_name + \
            ("" if self.target.host_process else " (QEMU)")
        if not self.target.host_process:
            self.speedup_units = SPEEDUP_UNITS_QEMU

    def available(self):
        return self.target.missing()

    def run(self, bench, ops, cpus=None):
        image = None
        if bench.root:
            image = bench.root.image
            prog = GuestProgram(bench.root.guest_argv(bench, ops))
        else:
            prog = Program(program_path(self.arch, bench.program),
                           bench.argv(ops, tmpfs=self.tmpfs))
        smp = [] if cpus is None else ["smp=%d" % cpus]
        result = boot(self.target, [prog], options=["loglevel=0"] + smp,
                      image=image)
        if result.problem:
            return result.console, result.problem
        if result.status != 0:
            return result.console, "status %s" % result.status
        return result.console, None


class Uml(Env):
    """User Mode Linux (Debian user-mode-linux): the program is init, on a
    hostfs root of its own; the status comes back in init's exit panic."""
    label = "User Mode Linux"
    ops = 20000
    tmpfs = ("--mount", "/tmp")  # its root is hostfs
    EXIT = re.compile(r"Attempted to kill init! exitcode=0x([0-9a-f]+)")

    def available(self):
        return None if shutil.which("linux.uml") else \
            "linux.uml not installed (scripts/setup-deps --bench)"

    def run(self, bench, ops, cpus=None):
        if bench.root:
            out, problem = self.boot(bench.root.dir, bench, ops)
        else:
            with tempfile.TemporaryDirectory(prefix="keel-uml-") as root:
                shutil.copy(program_path(self.arch, bench.program),
                            os.path.join(root, bench.program))
                os.mkdir(os.path.join(root, "tmp"))
                out, problem = self.boot(root, bench, ops)
        code = self.EXIT.search(out)
        if not code:
            return out, "no exit of init seen"
        status = int(code.group(1), 16) >> 8
        return out, None if status == 0 else "exit status %d" % status

    def boot(self, root, bench, ops):
        """Boots with the hostfs root root and the program as init."""
        # 256M: the bulk rows keep 64 MiB in its tmpfs
        return run_host(
            ["linux.uml", "mem=256M", "rootfstype=hostfs",
             "rootflags=" + root, "rw", "init=/" + bench.program,
             "quiet", "--"] + bench.argv(ops, tmpfs=self.tmpfs))


class Gvisor(Env):
    """gVisor (Debian runsc) on its ptrace platform, sandboxing the host's
    root file system read-only."""
    label = "gVisor (ptrace)"
    ops = 20000
    tmpfs = ("--mount", "/tmp")  # the sandbox's own tmpfs, not the host's

    def available(self):
        if not shutil.which("runsc"):
            return "runsc not installed (scripts/setup-deps --bench)"
        if os.geteuid() != 0:
            return "runsc needs root here"
        return None

    def run(self, bench, ops, cpus=None):
        runsc = ["runsc", "--platform=ptrace", "--network=none", "do"]
        if bench.root:
            return run_host(runsc + ["-root", bench.root.dir, "-cwd", "/"] +
                            bench.root.guest_argv(bench, ops))
        return run_host(runsc + [program_path(self.arch, bench.program)] +
                        bench.argv(ops, tmpfs=self.tmpfs))


def environments():
    return [Native(), SigsysFloor(), Keel("hosted", 20000),
            Keel("x86_64", 100000), Keel("riscv64", 100000), Uml(),
            Gvisor()]


def measure(env, bench, ops=None, cpus=None):
    """Best ns per op over REPEATS runs (of ops operations, else the
    row's count for env; on cpus CPUs); raises RuntimeError."""
    ops = ops or bench.op_count(env)
    best = None
    for _ in range(REPEATS):
        out, problem = env.run(bench, ops, cpus=cpus)
        found = RESULT.findall(out)
        if problem or not found:
            tail = "\n".join(out.strip().splitlines()[-8:])
            raise RuntimeError("%s: %s\n%s" % (
                env.label, problem or "no bench line in its output", tail))
        _, n, ns = found[-1]
        if int(n) != ops:
            raise RuntimeError("%s: %s ops reported, %d asked" %
                               (env.label, n, ops))
        per_op = int(ns) / int(n)
        best = per_op if best is None else min(best, per_op)
    return best


def ratio(a, b):
    return "%8.1fx" % (a / b) if a and b else "%9s" % "-"


def print_table(bench, rows, skipped):
    native = rows.get("native (host)")
    floor = rows.get("in-process SIGSYS floor")
    print("%s: best of %d, us per operation" % (bench.title, REPEATS))
    print("  %-26s %10s %9s %9s" % ("", "us/op", "x native", "x floor"))
    for label, us in rows.items():
        print("  %-26s %10.3f %s %s" % (label, us, ratio(us, native),
                                        ratio(us, floor) if floor else ""))
    for label, why in skipped:
        print("  %-26s %10s  (%s)" % (label, "-", why))


def print_targets(rows):
    """Issue 7's targets for the hosted trap path (reported, never
    asserted)."""
    hosted = rows.get("keel hosted")
    floor = rows.get("in-process SIGSYS floor")
    others = [rows[k] for k in ("User Mode Linux", "gVisor (ptrace)")
              if k in rows]
    if not hosted:
        return
    if others:
        goal = min(others) / 3
        print("  target: hosted <= 1/3 of the better of UML and gVisor "
              "(%.3f us): %s" % (goal, "met" if hosted <= goal else
                                 "missed (%.1fx of it)" % (hosted / goal)))
    if floor:
        goal = 4 * floor
        print("  target: hosted <= 4x the SIGSYS floor (%.3f us): %s" % (
            goal, "met" if hosted <= goal else
            "missed (%.1fx of it)" % (hosted / goal)))


def print_goals(bench, rows):
    """Issues 8's and 9's targets for hosted Keel (reported, never
    asserted): "peers", at least 3x faster than the better of UML and
    gVisor; "native3", at most 3x native; "bandwidth", at least 80% of
    native bandwidth (at most 1.25x native time per MiB)."""
    hosted = rows.get("keel hosted")
    native = rows.get("native (host)")
    peers = [rows[k] for k in ("User Mode Linux", "gVisor (ptrace)")
             if k in rows]
    if not hosted:
        return
    goals = []
    if "peers" in bench.targets and peers:
        goals.append(("hosted <= 1/3 of the better of UML and gVisor",
                      min(peers) / 3))
    if "native3" in bench.targets and native:
        goals.append(("hosted <= 3x native", 3 * native))
    if "bandwidth" in bench.targets and native:
        goals.append(("hosted >= 80% of native bandwidth", native / 0.8))
    for what, goal in goals:
        print("  target: %s (%.3f us): %s" % (
            what, goal, "met" if hosted <= goal else
            "missed (%.1fx of it)" % (hosted / goal)))


def make_root(bench):
    """The row's BenchRoot, or None for a row without host programs."""
    if not bench.host_programs:
        return None
    missing = [p for p in bench.host_programs if not os.path.isfile(p)]
    if missing:
        raise rootfs.Error("the host has no " + ", ".join(missing))
    if not os.path.exists(program_path("x86_64", bench.program)):
        raise rootfs.Error("%s missing: run make bench" %
                           show(program_path("x86_64", bench.program)))
    PROGRESS.show("bench: %s: making its root file system ..." % bench.name)
    return BenchRoot(bench)


def skip_reason(env, bench):
    """Why env does not run bench, or None."""
    if bench.host_programs and env.label not in HOST_ENVS:
        return "runs the host's x86-64 programs: only natively, " \
            "on hosted and under the peers"
    problem = env.available()
    path = program_path(env.arch, bench.program)
    if not problem and not os.path.exists(path):
        problem = "%s missing: run make bench" % show(path)
    return problem


def run_row(bench, envs, rows, skipped):
    """Measures bench in each of envs into rows ({label: us}) and skipped
    ([(label, why)]); True if a run failed."""
    failed = False
    for env in envs:
        if env.floor and not bench.floor_args:
            continue
        problem = skip_reason(env, bench)
        if problem:
            skipped.append((env.label, problem))
            continue
        PROGRESS.show("bench: %s on %s ..." % (bench.name, env.label))
        try:
            rows[env.label] = measure(env, bench) / 1000.0
        except RuntimeError as e:
            PROGRESS.clear()
            print("keel bench: %s: %s" % (bench.name, e), file=sys.stderr)
            skipped.append((env.label, "failed, see above"))
            failed = True
    return failed


SPEEDUP = Benchmark("threads", "threads", ["{n}"],
                    "two CPU-bound threads of one process, 1 CPU vs 2")


def run_speedup(envs):
    """The speedup table: SPEEDUP on 1 and on 2 CPUs of each environment
    that can be sized, both in this run; False if a run failed."""
    ok = True
    print("%s: best of %d, ms for the fixed work" % (SPEEDUP.title,
                                                     REPEATS))
    print("  %-26s %10s %10s %9s" % ("", "1 CPU", "2 CPUs", "2 / 1"))
    for env in envs:
        if not env.can_size or env.floor:
            continue
        problem = env.available()
        path = program_path(env.arch, SPEEDUP.program)
        if not problem and not os.path.exists(path):
            problem = "%s missing: run make bench" % show(path)
        if not problem and isinstance(env, Native) and \
                len(os.sched_getaffinity(0)) < 2:
            problem = "the host gives this process one CPU"
        if problem:
            print("  %-26s %10s  (%s)" % (env.label, "-", problem))
            continue
        ms = []
        try:
            for cpus in (1, 2):
                PROGRESS.show("bench: threads on %s, %d CPU(s) ..." %
                              (env.label, cpus))
                units = env.speedup_units
                ms.append(measure(env, SPEEDUP, units, cpus) * units / 1e6)
        except RuntimeError as e:
            PROGRESS.clear()
            print("keel bench: threads: %s" % e, file=sys.stderr)
            print("  %-26s %10s  (failed, see above)" % (env.label, "-"))
            ok = False
            continue
        PROGRESS.clear()
        r = ms[1] / ms[0]
        print("  %-26s %10.1f %10.1f %8.2fx  target <= %.1f: %s" % (
            env.label, ms[0], ms[1], r, SPEEDUP_GOAL,
            "met" if r <= SPEEDUP_GOAL else "missed"))
    return ok


def run(only=None, names=None):
    """Runs the benchmarks (only those named in names, if given) in the
    environments whose label contains a word of only (all if None)."""
    envs = [e for e in environments()
            if not only or any(o in e.label for o in only)]
    unknown = set(names or ()) - {b.name for b in BENCHMARKS + [SPEEDUP]}
    if unknown:
        print("keel bench: no benchmark named %s (there are: %s)" % (
            ", ".join(sorted(unknown)),
            ", ".join(b.name for b in BENCHMARKS + [SPEEDUP])),
            file=sys.stderr)
        return 2
    failed = False
    for bench in BENCHMARKS:
        if names and bench.name not in names:
            continue
        rows, skipped = {}, []
        try:
            bench.root = make_root(bench)
        except (rootfs.Error, OSError) as e:
            print("keel bench: %s: no root file system: %s" % (
                bench.name, e), file=sys.stderr)
            failed = True
            continue
        try:
            failed |= run_row(bench, envs, rows, skipped)
        finally:
            if bench.root:
                bench.root.remove()
                bench.root = None
        PROGRESS.clear()
        print_table(bench, rows, skipped)
        if bench.name == "getpid":
            print_targets(rows)
        print_goals(bench, rows)
    if (not names or SPEEDUP.name in names) and not run_speedup(envs):
        failed = True
    return 1 if failed else 0
