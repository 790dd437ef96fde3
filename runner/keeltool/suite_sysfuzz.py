"""The `sysfuzz` suite: the system-call fuzzer (tests/fuzz/sysfuzz/, a user
program issuing random calls with hostile arguments) on the hosted kernel
built with ASan and UBSan, and on the bare-metal targets.

The kernel must survive everything the fuzzer does: no panic, no hang, no
sanitizer report, a clean power-off. One boot runs a batch of fuzzers with
consecutive seeds (`sysfuzz seed=S calls=N --- sysfuzz seed=S+1 ...`);
each makes its calls in a forked child, and a child that dies of its own
signals (a garbage rt_sigreturn, say) or exits is followed by a new one
at the next call, so every program makes all its calls. Even seeds run
with race=1 (a racer thread closing fds and unmapping memory under the
calls).

- smoke (`keel test sysfuzz`, part of `make test`): one boot of
  SMOKE_PROGRAMS programs of SMOKE_CALLS calls each, seeds from 1: the
  same calls every time. One result per program.
- campaign (`make fuzz FUZZ_S=N`, KEEL_SYSFUZZ_S=N): boots of
  CAMPAIGN_PROGRAMS programs of CAMPAIGN_CALLS calls with fresh seeds
  until N seconds have passed; prints `sysfuzz (TARGET): calls N, kernel
  failures N`. One result per boot that failed, one for the whole run.

Calls are counted from the fuzzer's lines: a finished program says how
many it made, one that died its last progress line (a lower bound). A
failure names the seeds of the boot: `runner/keel run sysfuzz seed=S
calls=N log=1` replays one, printing each call.
"""
import os
import re
import time

from . import sanitizer, suite_abi, targets
from .boot import Program, boot
from .paths import show, user_program
from .report import PROGRESS

PROGRAM = "sysfuzz"
SMOKE_PROGRAMS = 6
SMOKE_CALLS = 2500
CAMPAIGN_PROGRAMS = 16          # init runs at most 16 programs
CAMPAIGN_CALLS = 50000
# A boot's time limit grows with its calls: 0.5 s per 1000 is 6 times
# what x86_64 under TCG needs here (~3,000 calls/s), so a fuzzer stuck in
# a wait shows as a hung boot within minutes, not half an hour.
SECONDS_PER_KCALL = 0.5
DONE = re.compile(r"^sysfuzz: done, (\d+) calls, seed (\d+)$", re.M)
PROGRESS_LINE = re.compile(r"^sysfuzz: (\d+) calls$", re.M)
STARTED = re.compile(r"^sysfuzz: seed (\d+), (\d+) calls", re.M)
CHILD_DIED = re.compile(r"^sysfuzz: call \d+ killed the fuzzer \(signal",
                        re.M)
# Statuses no fuzzer can cause: the kernel failed.
PANIC_STATUS = 99
SANITIZER_STATUS = 98


def fuzz_target(target):
    """The kernel the fuzzer runs on for target: hosted's ASan + UBSan
    build for the hosted target, the target itself on bare metal."""
    return targets.SANITIZED if target.host_process else target


def calls_made(output):
    """Calls a program's output shows were made (a lower bound when it
    died), and whether it finished."""
    done = DONE.search(output)
    if done:
        return int(done.group(1)), True
    progress = [int(n) for n in PROGRESS_LINE.findall(output)]
    return (max(progress) if progress else 0), False


def kernel_failure(result):
    """None if the kernel survived the boot, else what went wrong."""
    found = sanitizer.report(result)
    if found:
        return "a sanitizer reported an error in the kernel:\n" + found
    if result.timed_out or result.status is None:
        return result.problem
    if result.status == PANIC_STATUS or "PANIC in " in result.console:
        return "the kernel panicked"
    if result.status == SANITIZER_STATUS:
        return "exit status 98 (a sanitizer's) without a report"
    return None


class Run:
    """One fuzzer program of a boot, as its output tells."""

    def __init__(self, seed, output, status):
        """status: the exit status init reported, None if it reported
        none (the program was still running when the boot ended)."""
        self.seed = seed
        self.calls, self.finished = calls_made(output)
        self.started = bool(STARTED.search(output))
        self.child_deaths = len(CHILD_DIED.findall(output))
        self.killed = None
        if status is not None and status > 128:
            self.killed = "killed by signal %d" % (status - 128)


def fuzz_boot(target, seeds, calls):
    """Boots target with one fuzzer of calls calls per seed. Returns
    (BootResult, [Run])."""
    programs = [Program(user_program(target.arch, PROGRAM),
                        ["seed=%d" % s, "calls=%d" % calls,
                         "race=%d" % (s % 2 == 0)])
                for s in seeds]
    timeout = 30 + SECONDS_PER_KCALL * calls * len(seeds) / 1000
    result = boot(target, programs, options=["loglevel=3"],
                  timeout=timeout)
    done, rest = suite_abi.split_outputs(target, result.console)
    ended = [(out, status) for _, status, out in done] + [(rest, None)]
    return result, [Run(seed, *(ended[i] if i < len(ended) else ("", None)))
                    for i, seed in enumerate(seeds)]


def replay_hint(target, seed, calls):
    return ("replay: runner/keel run%s ./build/user/%s/sysfuzz seed=%d "
            "calls=%d race=%d log=1 (race=1 runs do not replay exactly)"
            % ("" if target.host_process else " --target " + target.name,
               target.arch, seed, calls, seed % 2 == 0))


def smoke(suite, target):
    kernel = fuzz_target(target)
    seeds = list(range(1, SMOKE_PROGRAMS + 1))
    PROGRESS.show("sysfuzz: %d x %d calls on %s" % (
        len(seeds), SMOKE_CALLS, target.name))
    result, runs = fuzz_boot(kernel, seeds, SMOKE_CALLS)
    failure = kernel_failure(result)
    # The program running when the kernel failed: the first that neither
    # finished nor died of a signal.
    culprit = next((r for r in runs if not r.finished and not r.killed),
                   None) if failure else None
    for r in runs:
        name = "seed=%d calls=%d" % (r.seed, SMOKE_CALLS)
        if r is culprit:
            suite.fail(name, "%s\n%s\n%s" % (
                failure, replay_hint(target, r.seed, SMOKE_CALLS),
                result.explain([])))
        elif culprit and r.seed > culprit.seed:
            suite.fail(name, "not run: the kernel failed under seed %d"
                       % culprit.seed)
        elif not r.started:
            suite.fail(name, "the fuzzer did not start\n" +
                       result.explain([]))
        else:
            suite.add(name, True)
    if failure and not culprit:
        suite.fail("power off", "%s\n%s" % (failure, result.explain([])))
    suite.measures.append("%d calls" % sum(r.calls for r in runs))
    died = ["seed %d %s after >= %d calls" % (r.seed, r.killed, r.calls)
            for r in runs if r.killed]
    if died:
        suite.notes.append("fuzzers that died of their own signals "
                           "(allowed): " + "; ".join(died))
    deaths = sum(r.child_deaths for r in runs)
    if deaths:
        suite.notes.append("%d fuzzing children died of their own signals "
                           "and were replaced" % deaths)


def campaign(suite, target, seconds):
    kernel = fuzz_target(target)
    start = time.monotonic()
    seed, total, boots, failures = 1000, 0, 0, 0
    while time.monotonic() - start < seconds:
        seeds = list(range(seed, seed + CAMPAIGN_PROGRAMS))
        seed += CAMPAIGN_PROGRAMS
        PROGRESS.show("sysfuzz: %d calls so far, seeds %d.." % (
            total, seeds[0]))
        result, runs = fuzz_boot(kernel, seeds, CAMPAIGN_CALLS)
        boots += 1
        total += sum(r.calls for r in runs)
        failure = kernel_failure(result)
        if failure:
            failures += 1
            suite.fail("seeds %d-%d" % (seeds[0], seeds[-1]), "%s\n%s" % (
                failure, result.explain([])))
    line = "sysfuzz (%s): calls %d, kernel failures %d (%d boots, %d " \
        "calls/s)" % (target.name, total, failures, boots,
                      total / max(time.monotonic() - start, 1e-3))
    PROGRESS.clear()
    print(line, flush=True)
    suite.add(line, failures == 0)


def run(suite, target):
    kernel = fuzz_target(target)
    problem = kernel.missing()
    path = user_program(target.arch, PROGRAM)
    if not problem and not os.path.exists(path):
        problem = "%s missing: run make user" % show(path)
    if problem:
        suite.fail("boot", problem)
        return
    budget = os.environ.get("KEEL_SYSFUZZ_S")
    if budget:
        campaign(suite, target, int(budget))
    else:
        smoke(suite, target)
