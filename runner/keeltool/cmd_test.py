"""`keel test`: runs the test suites and ends with `N passed, N failed`.

Suites: lint (keel-lint and its fixtures), unit (Check under Valgrind),
ktest (in-kernel tests, KTAP; hosted: a second pass under Valgrind), user
(programs on Keel against the host), user-memcheck (the user cases with
the hosted kernel under Valgrind), boot (a target's own
tests/boot/<target>/run.sh, where it has one), harden (deliberate bugs
that the bounds checks, the stack protector and memcheck must catch).
lint and unit do not depend on the target and run once, with the hosted
target; ktest, user and boot run on every target asked for, user-memcheck
on the targets whose kernel is a host process (hosted).
"""
import sys

from . import (suite_boot, suite_harden, suite_ktest, suite_lint, suite_unit,
               suite_user, targets)
from .report import Suite, print_suite, print_total

SUITES = {
    "lint": suite_lint.run,
    "unit": suite_unit.run,
    "ktest": suite_ktest.run,
    "user": suite_user.run,
    "user-memcheck": suite_user.run_memcheck,
    "boot": suite_boot.run,
    "harden": suite_harden.run,
}
HOST_ONLY = ("lint", "unit")
PER_TARGET = ("ktest", "user", "user-memcheck", "boot", "harden")
ORDER = HOST_ONLY + PER_TARGET


def applies(suite, target):
    """Whether suite runs on target at all."""
    if suite == "boot":
        return suite_boot.available(target)
    if suite == "user-memcheck":
        return target.host_process
    return True


def plan(names, target_names):
    """[(suite, target, display name)] in running order: lint and unit once
    (asked for, or by default when the hosted target is tested), then
    the others on each target where they apply."""
    steps = []
    for suite in HOST_ONLY:
        if suite in names or (not names and "hosted" in target_names):
            steps.append((suite, "hosted", suite))
    for target in target_names:
        for suite in PER_TARGET:
            if not applies(suite, targets.get(target)):
                continue
            if not names or suite in names:
                display = suite if target == "hosted" else \
                    "%s (%s)" % (suite, target)
                steps.append((suite, target, display))
    return steps


def run(names, target_name, verbose=False, build_status=0):
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        print("keel test: unknown suite %s (suites: %s)"
              % (", ".join(unknown), " ".join(ORDER)), file=sys.stderr)
        return 2
    target_names = targets.default_targets() if target_name == "all" \
        else [target_name]
    steps = plan(names, target_names)
    for name in names:
        if not any(step[0] == name for step in steps):
            print("keel test: %s does not apply to %s" % (
                name, " or ".join(target_names)), file=sys.stderr)
    done = []
    if build_status:
        build = Suite("build")
        build.fail("make", "the build failed (make exited %d): the suites "
                   "below test whatever was built" % build_status)
        build.finish()
        print_suite(build)
        done.append(build)
    for suite_name, target, display in steps:
        suite = Suite(display)
        try:
            SUITES[suite_name](suite, targets.get(target))
        except KeyboardInterrupt:
            raise
        except Exception as e:  # a runner bug must not hide other results
            import traceback
            suite.fail("runner", "keel test crashed in this suite: %r\n%s"
                       % (e, traceback.format_exc()))
        suite.finish()
        print_suite(suite, verbose)
        done.append(suite)
    return 1 if print_total(done) else 0
