"""`keel bench`: the cost of a trapped system call round trip on Keel
against a native one on the host, measured in the same run.

bench/getpid.c makes N getpid calls and exits with N % 251 (255 if a call
failed), which is checked, so a run that did not do the work cannot pass
for a fast one. Each side is timed from the outside (time.monotonic around
the whole run, boot included on Keel) with N calls and with none; the
difference over N is the cost of one round trip.
Each measurement is the fastest of several runs, to shed noise from the
other work on the machine.
"""
import os
import subprocess
import sys
import time

from . import targets
from .boot import Program, boot
from .paths import build_dir, show
from .report import PROGRESS

REPEATS = 3
STATUS_MOD = 251  # bench/getpid.c exits with calls % 251 when all went well
NATIVE_CALLS = 200000
KEEL_CALLS = {"hosted": 10000, "x86_64": 100000, "riscv64": 100000}


def bench_program(arch):
    return os.path.join(build_dir(), "bench", arch, "getpid")


def native_seconds(path, calls):
    start = time.monotonic()
    proc = subprocess.run([path, str(calls)], stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    if proc.returncode != calls % STATUS_MOD:
        raise RuntimeError("%s %d exited %d natively, expected %d"
                           % (show(path), calls, proc.returncode,
                              calls % STATUS_MOD))
    return elapsed


def keel_seconds(target, path, calls):
    result = boot(target, [Program(path, [str(calls)])],
                  options=["loglevel=0"])
    if result.problem or result.status != calls % STATUS_MOD:
        raise RuntimeError("getpid %d on Keel %s: %s\n%s" % (
            calls, target.name, result.problem or "status %s, expected %d"
            % (result.status, calls % STATUS_MOD), result.tail()))
    return result.seconds


def per_call(measure, calls):
    """Seconds per call: best of REPEATS runs with calls, minus the best
    run with none."""
    full = min(measure(calls) for _ in range(REPEATS))
    empty = min(measure(0) for _ in range(REPEATS))
    return max(full - empty, 0.0) / calls


def run(target_name):
    target = targets.get(target_name)
    problem = target.missing()
    keel_prog = bench_program(target.arch)
    native_prog = bench_program("x86_64")
    for p in {keel_prog, native_prog}:
        if not os.path.exists(p):
            problem = problem or "%s missing: run make bench" % show(p)
    if problem:
        print("keel bench: " + problem, file=sys.stderr)
        return 1
    calls = KEEL_CALLS.get(target.name, 100000)
    try:
        PROGRESS.show("bench: native getpid x %d ..." % NATIVE_CALLS)
        native = per_call(lambda n: native_seconds(native_prog, n),
                          NATIVE_CALLS)
        PROGRESS.show("bench: getpid x %d on Keel %s ..." % (calls,
                                                            target.name))
        keel = per_call(lambda n: keel_seconds(target, keel_prog, n), calls)
    except RuntimeError as e:
        PROGRESS.clear()
        print("keel bench: %s" % e, file=sys.stderr)
        return 1
    PROGRESS.clear()
    print("getpid round trip (best of %d, empty run subtracted):" % REPEATS)
    print("  native host     %9.3f us  (%d calls)" % (native * 1e6,
                                                       NATIVE_CALLS))
    print("  keel %-10s %9.3f us  (%d calls)" % (target.name, keel * 1e6,
                                                  calls))
    if native > 0:
        print("  ratio keel/native: %.1fx" % (keel / native))
    else:
        print("  ratio keel/native: n/a (native time below resolution)")
    return 0
