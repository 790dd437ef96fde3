"""`keel test`: runs the test suites and ends with `N passed, N failed`.

Suites: lint (keel-lint and its fixtures), unit (Check under Valgrind),
ktest (in-kernel tests, KTAP), user (programs on Keel against the host),
boot (a target's own tests/boot/<target>/run.sh, where it has one).
lint and unit do not depend on the target and run once, with the hosted
target; ktest, user and boot run on every target asked for.
"""
import sys

from . import (suite_boot, suite_ktest, suite_lint, suite_unit, suite_user,
               targets)
from .report import Suite, print_suite, print_total

SUITES = {
    "lint": suite_lint.run,
    "unit": suite_unit.run,
    "ktest": suite_ktest.run,
    "user": suite_user.run,
    "boot": suite_boot.run,
}
HOST_ONLY = ("lint", "unit")
ORDER = ("lint", "unit", "ktest", "user", "boot")


def plan(names, target_names):
    """[(suite, target, display name)] in running order: lint and unit once
    (asked for, or by default when the hosted target is tested), then
    ktest and user on each target."""
    steps = []
    for suite in HOST_ONLY:
        if suite in names or (not names and "hosted" in target_names):
            steps.append((suite, "hosted", suite))
    for target in target_names:
        for suite in ("ktest", "user", "boot"):
            if suite == "boot" and not suite_boot.available(
                    targets.get(target)):
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
    done = []
    if build_status:
        build = Suite("build")
        build.fail("make", "the build failed (make exited %d): the suites "
                   "below test whatever was built" % build_status)
        build.finish()
        print_suite(build)
        done.append(build)
    for suite_name, target, display in plan(names, target_names):
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
