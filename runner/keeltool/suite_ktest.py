"""The `ktest` suite: boots the target with the `ktest` option and reads the
KTAP the in-kernel tests print. Each test is a result; so is anything that
went wrong around them (a hung boot, a crash, a missing result, a power-off
status that disagrees with the results).

The suite line also shows the boot time: from the launch of the kernel
process (keel-kernel or QEMU) to the first KTAP test result line
(`ok 1 ...` / `not ok 1 ...`) on the console. It is printed, not judged."""
from . import ktap
from .boot import boot
from .report import PROGRESS


def boot_time(result):
    """The boot time of a ktest boot, as shown: "0.312s", or why none."""
    if result.watched is None:
        return "n/a (no test result)"
    return "%.3fs" % result.watched


def run(suite, target):
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return
    PROGRESS.show("ktest: booting %s with ktest ..." % target.name)
    result = boot(target, options=["ktest"], watch=ktap.is_result)
    suite.measures.append("boot to first ktest " + boot_time(result))
    report = ktap.parse(result.console)

    for t in report.leaves():
        details = ""
        if not t.ok:
            details = "\n".join(l.strip() for l in t.diag) or \
                "(no diagnostics)"
        suite.add(t.full_name(), t.ok, details)
    for s in report.suites():
        if not s.ok and all(c.ok for c in s.children):
            suite.fail(s.full_name(), "the suite reports not ok although "
                       "each of its tests passed:\n" + "\n".join(s.diag))

    console_tail = "last console lines:\n" + result.tail()
    if result.problem:
        suite.fail("boot", "%s\n%s" % (result.problem, console_tail))
    if not report.seen_ktap:
        if not result.problem:
            suite.fail("ktap", "no KTAP output on the console. "
                       + console_tail)
        return
    if report.plan is not None and report.top_count < report.plan:
        suite.fail("ktap", "the plan says 1..%d but only %d results came: "
                   "the run stopped early. %s"
                   % (report.plan, report.top_count, console_tail))
    if not report.leaves():
        suite.fail("ktap", "no test ran. " + console_tail)
    if result.status is not None:
        want = 0 if all(t.ok for t in report.tests) else 1
        if result.status != want:
            suite.fail("power off", "the kernel powered off with status %d, "
                       "expected %d for these results. %s"
                       % (result.status, want, console_tail))
