"""`keel test`: runs the test suites and ends with `N passed, N failed`.

Suites: lint (keel-lint and its fixtures), unit (Check under Valgrind),
ktest (in-kernel tests, KTAP; hosted: a second pass under Valgrind), user
(programs on Keel against the host), abi (libc-built programs
(tests/abi/) on Keel against Linux), user-memcheck (the user cases with
the hosted kernel under Valgrind), boot (a target's own
tests/boot/<target>/run.sh, where it has one), harden (deliberate bugs
that the bounds checks, the stack protector and memcheck must catch),
fuzz (the libFuzzer harnesses of tests/fuzz/ on their corpora, bounded),
confine (hosted: the kernel's host system-call allow-list holds),
asan-ktest, asan-user and asan-abi (hosted: ktest, user and abi on the
kernel built with ASan and UBSan; any sanitizer report fails), sysfuzz
(the system-call fuzzer on the ASan + UBSan hosted kernel and on bare
metal: the kernel must survive it), system (`keel run` with the busybox
root file system, --rootfs, --add, and an interactive shell through a
pseudo-terminal), busybox (a scripted busybox shell session against the
same busybox natively), busybox-testsuite (hosted: busybox's own
testsuite; 95% of its native passes must pass), dynhost (the host's
dynamic programs through keel run against their native runs) and debian
(a Debian root file system's commands against chroot; when mmdebstrap is
there).
lint, unit and fuzz do not depend on the target and run once, with the hosted
target; ktest, user and boot run on every target asked for, user-memcheck
on the targets whose kernel is a host process (hosted).
"""
import sys

from . import (build, suite_abi, suite_boot, suite_confine, suite_fuzz,
               suite_harden, suite_ktest, suite_lint, suite_sanitize,
               suite_sysfuzz, suite_system, suite_unit, suite_user, targets,
               suite_busybox, suite_bbtestsuite, suite_dynhost, suite_debian)
from .report import Suite, print_suite, print_total

SUITES = {
    "lint": suite_lint.run,
    "unit": suite_unit.run,
    "ktest": suite_ktest.run,
    "user": suite_user.run,
    "user-memcheck": suite_user.run_memcheck,
    "abi": suite_abi.run,
    "boot": suite_boot.run,
    "harden": suite_harden.run,
    "fuzz": suite_fuzz.run,
    "confine": suite_confine.run,
    "asan-ktest": suite_sanitize.run_ktest,
    "asan-user": suite_sanitize.run_user,
    "asan-abi": suite_sanitize.run_abi,
    "sysfuzz": suite_sysfuzz.run,
    "system": suite_system.run,
    "busybox": suite_busybox.run,
    "busybox-testsuite": suite_bbtestsuite.run,
    "dynhost": suite_dynhost.run,
    "debian": suite_debian.run,
}
HOST_ONLY = ("lint", "unit", "fuzz")
PER_TARGET = ("ktest", "user", "user-memcheck", "abi", "system", "dynhost",
              "debian", "boot",
              "harden", "confine", "asan-ktest", "asan-user", "asan-abi",
              "sysfuzz", "busybox", "busybox-testsuite")
# Suites of the ASan + UBSan build of a kernel that is a host process.
SANITIZER_SUITES = ("asan-ktest", "asan-user", "asan-abi")
ORDER = HOST_ONLY + PER_TARGET
# Suites that take filters (globs) after their name: which unit suites,
# ktests (SUITE.TEST), user cases or abi programs to run.
FILTERED = ("unit", "ktest", "user", "user-memcheck", "abi", "asan-ktest",
            "asan-user")


def parse_words(words):
    """`SUITE [FILTER...] [SUITE [FILTER...]]...` -> (suite names in order,
    {suite: [filters]}, error or None). A word that is not a suite name is
    a filter of the suite before it."""
    names, filters = [], {}
    for w in words:
        if w in SUITES:
            if w not in names:
                names.append(w)
            filters.setdefault(w, [])
        elif not names:
            return None, None, ("unknown suite %s (suites: %s)"
                                % (w, " ".join(ORDER)))
        elif names[-1] not in FILTERED:
            return None, None, ("%s takes no filter (got %r); filters go "
                                "after %s" % (names[-1], w,
                                              ", ".join(FILTERED)))
        else:
            filters[names[-1]].append(w)
    return names, filters, None


def applies(suite, target):
    """Whether suite runs on target at all."""
    if suite == "boot":
        return suite_boot.available(target)
    if suite in ("user-memcheck", "confine", "busybox-testsuite") + \
            SANITIZER_SUITES:
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


def build_first(steps):
    """Builds what the steps need (build.make); returns a failed "build"
    Suite if make failed, else None."""
    goals = [g for suite, target, _ in steps
             for g in build.goals_for(suite, targets.get(target))]
    status = build.make(goals)
    if not status:
        return None
    failed = Suite("build")
    failed.fail("make", "%s failed (exit %d; its output is above): the "
                "suites did not run, they would test stale binaries"
                % (build.command_line(goals), status))
    return failed


def run(words, target_name, verbose=False, build_status=None):
    """keel test: build_status None: build first (build.make); else make
    test has built already and this is its exit status."""
    names, filters, error = parse_words(words)
    if error:
        print("keel test: " + error, file=sys.stderr)
        return 2
    target_names = targets.default_targets() if target_name == "all" \
        else [target_name]
    steps = plan(names, target_names)
    for name in names:
        if not any(step[0] == name for step in steps):
            print("keel test: %s does not apply to %s" % (
                name, " or ".join(target_names)), file=sys.stderr)
    done = []
    failed_build = None
    if build_status is None:
        failed_build = build_first(steps)
    elif build_status:
        failed_build = Suite("build")
        failed_build.fail("make", "the build failed (make exited %d): the "
                          "suites below test whatever was built"
                          % build_status)
    if failed_build:
        failed_build.finish()
        print_suite(failed_build)
        done.append(failed_build)
        if build_status is None:
            return 1 if print_total(done) else 0
    for suite_name, target, display in steps:
        suite = Suite(display)
        try:
            extra = [filters.get(suite_name, [])] if suite_name in FILTERED else []
            SUITES[suite_name](suite, targets.get(target), *extra)
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
