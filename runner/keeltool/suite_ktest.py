"""The `ktest` suite: boots the target with the `ktest` option and reads the
KTAP the in-kernel tests print. Each test is a result; so is anything that
went wrong around them (a hung boot, a crash, a missing result, a power-off
status that disagrees with the results).

On a target whose kernel is a host process (hosted), a second boot runs
the same tests with the kernel under Valgrind memcheck: each test is one
more result ("memcheck/SUITE.TEST"), and a memcheck error or definite leak
is one more failure with Valgrind's report.

Without filters it also boots once with an over-long `ktest=` filter,
which the kernel must refuse (status 1, no test run) rather than cut.

The tests boot on the target's default CPUs (keel test --smp N: N); the
SMP tests (`smp.*`) also run once more on 4 CPUs ("smp4/SUITE.TEST").

The suite line also shows the boot time: from the launch of the kernel
process (keel-kernel or QEMU) to the first KTAP test result line
(`ok 1 ...` / `not ok 1 ...`) on the console. It is printed, not judged."""
from . import ktap, memcheck, sanitizer
from .boot import boot
from .report import PROGRESS


def boot_time(result):
    """The boot time of a ktest boot, as shown: "0.312s", or why none."""
    if result.watched is None:
        return "n/a (no test result)"
    return "%.3fs" % result.watched


def check(suite, result, prefix="", check_status=True):
    """Adds the results of one ktest boot to suite, each name prefixed.
    check_status: whether the power-off status must agree with them."""
    report = ktap.parse(result.console)
    for t in report.leaves():
        details = ""
        if t.ok and t.skipped:
            suite.skip(prefix + t.full_name(), t.directive)
            continue
        if not t.ok:
            details = "\n".join(l.strip() for l in t.diag) or \
                "(no diagnostics)"
        suite.add(prefix + t.full_name(), t.ok, details)
    for s in report.suites():
        if not s.ok and all(c.ok for c in s.children):
            suite.fail(prefix + s.full_name(), "the suite reports not ok "
                       "although each of its tests passed:\n"
                       + "\n".join(s.diag))

    console_tail = "last console lines:\n" + result.tail()
    found = sanitizer.report(result)
    if found:
        suite.fail(prefix + "sanitizer", "a sanitizer reported an error in "
                   "the kernel:\n" + found)
    if result.problem:
        suite.fail(prefix + "boot", "%s\n%s" % (result.problem, console_tail))
    if not report.seen_ktap:
        if not result.problem:
            suite.fail(prefix + "ktap", "no KTAP output on the console. "
                       + console_tail)
        return
    for problem in report.plan_mismatches():
        suite.fail(prefix + "ktap", "%s. %s" % (problem, console_tail))
    if not report.leaves():
        suite.fail(prefix + "ktap", "no test ran. " + console_tail)
    if check_status and result.status is not None:
        want = 0 if all(t.ok for t in report.tests) else 1
        if result.status != want:
            suite.fail(prefix + "power off", "the kernel powered off with "
                       "status %d, expected %d for these results. %s"
                       % (result.status, want, console_tail))


def memcheck_pass(suite, target, filters):
    """The ktests again, with the kernel process under memcheck."""
    problem = memcheck.missing()
    if problem:
        suite.fail("memcheck", problem)
        return
    PROGRESS.show("ktest: %s with ktest under valgrind memcheck ..."
                  % target.name)
    result, errors = memcheck.boot_under(target, options=[option(filters)],
                                         watch=ktap.is_result)
    suite.measures.append("under memcheck %s" % boot_time(result))
    if errors:
        suite.fail("memcheck/valgrind", "Valgrind memcheck found errors in "
                   "the kernel:\n" + errors)
    # Valgrind's own status (97) replaces the kernel's when it found errors.
    check(suite, result, "memcheck/", check_status=not errors)


def option(filters):
    """The kernel option that runs the ktests filters select (globs of
    SUITE.TEST, or SUITE; none: all): core/ktest does the selecting."""
    return "ktest=" + ",".join(filters) if filters else "ktest"


# Longer than the kernel keeps for ktest= (core/kernel/main.c: 255 bytes).
OVERLONG_FILTER = "lib," + "x" * 300


def overlong_filter(suite, target):
    """A ktest= filter the kernel cannot hold must be refused, not cut
    (a cut one would select other tests than asked for)."""
    result = boot(target, options=[option([OVERLONG_FILTER])])
    ok = (result.status == 1 and not ktap.parse(result.console).tests and
          "keel: ktest=: the filter is longer than" in result.console)
    suite.add("overlong ktest= filter is refused", ok, "" if ok else
              "expected the refusal and status 1, no test run; got status "
              "%s:\n%s" % (result.status, result.tail()))


SMP_VARIANT_CPUS = 4


def smp_variant(suite, target, filters):
    """The SMP ktests (those filters select of them, all without filters)
    once more on SMP_VARIANT_CPUS CPUs."""
    picked = [f for f in filters if f.startswith("smp")]
    if filters and not picked:
        return
    PROGRESS.show("ktest: %s with ktest=smp on %d CPUs ..."
                  % (target.name, SMP_VARIANT_CPUS))
    result = boot(target, options=[option(picked or ["smp"])],
                  cpus=SMP_VARIANT_CPUS)
    check(suite, result, "smp%d/" % SMP_VARIANT_CPUS)


def run(suite, target, filters=()):
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return
    PROGRESS.show("ktest: booting %s with ktest ..." % target.name)
    result = boot(target, options=[option(filters)], watch=ktap.is_result)
    suite.measures.append("boot to first ktest " + boot_time(result))
    check(suite, result)
    smp_variant(suite, target, filters)
    if not filters:
        overlong_filter(suite, target)
    if target.host_process:
        memcheck_pass(suite, target, filters)
