"""The `unit` suite: the Check suites of build/hosted/unit-tests, run under
Valgrind memcheck. Check writes one TAP line per test to the file named by
CK_TAP_LOG_FILE_NAME; each is a result. Any memcheck error (invalid access,
uninitialised value, definite leak) is one more failed result, with
Valgrind's report."""
import os
import re
import signal
import tempfile

from . import memcheck
from .boot import run_command
from .paths import build_dir, show
from .report import PROGRESS

TIMEOUT = 900
TAP = re.compile(r"^(ok|not ok) (\d+) - ([^:]*):([^:]*):([^:]*): ?(.*)$")
SUMMARY = re.compile(r"^unit: (\d+) passed, (\d+) failed$", re.M)
CHECK_FAILURE = re.compile(r"^([^:\s]+):(\d+):[FE]:([^:]*):([^:]*):\d+: ?(.*)$")


def test_name(file, tcase, test):
    unit = os.path.splitext(os.path.basename(file))[0]
    unit = unit[len("test_"):] if unit.startswith("test_") else unit
    return "%s/%s/%s" % (unit, tcase, test)


def run(suite, target, filters=()):
    """filters: globs of unit names (test_vm.c is vm); none: all."""
    binary = os.path.join(build_dir(), "hosted", "unit-tests")
    if not os.path.exists(binary):
        suite.fail("unit-tests", "%s missing: run make hosted (or make)"
                   % show(binary))
        return
    problem = memcheck.missing()
    if problem:
        suite.fail("valgrind", problem)
        return
    PROGRESS.show("unit: %s under valgrind memcheck ..." % show(binary))
    with tempfile.TemporaryDirectory(prefix="keel-unit-") as tmp:
        tap_file = os.path.join(tmp, "unit.tap")
        env = dict(os.environ, CK_TAP_LOG_FILE_NAME=tap_file, CK_FORK="no")
        rc, out, timed_out, _ = run_command(
            memcheck.command(tmp) + [binary] + list(filters), TIMEOUT,
            env=env)
        tap = open(tap_file).read() if os.path.exists(tap_file) else ""
        log = memcheck.read_logs(tmp)

    failures = {}
    for m in CHECK_FAILURE.finditer(out):
        failures[test_name(m.group(1), m.group(3), m.group(4))] = \
            "%s:%s: %s" % (m.group(1), m.group(2), m.group(5))
    ran = 0
    for line in tap.splitlines():
        m = TAP.match(line)
        if not m:
            continue
        ran += 1
        name = test_name(m.group(3), m.group(4), m.group(5))
        ok = m.group(1) == "ok"
        suite.add(name, ok, "" if ok else failures.get(name, m.group(6)))

    tap_counts = (suite.passed, suite.failed)
    summary = SUMMARY.search(out)
    if timed_out:
        suite.fail("unit-tests", "no result after %ds: hung? Output:\n%s"
                   % (TIMEOUT, out[-3000:]))
        return
    if rc == memcheck.ERROR_STATUS:
        suite.fail("valgrind memcheck", memcheck.errors(log) or log[-3000:])
    elif rc not in (0, 1):
        why = ("killed by %s" % signal.Signals(-rc).name if rc < 0
               else "exit status %d" % rc)
        suite.fail("unit-tests", "unit-tests stopped (%s) after %d tests:\n%s"
                   % (why, ran, out[-2000:] + "\n" + memcheck.errors(log)))
        return
    if not summary:
        suite.fail("unit-tests", "no 'unit: N passed, N failed' line:\n%s"
                   % out[-2000:])
    elif (int(summary.group(1)), int(summary.group(2))) != tap_counts:
        suite.fail("unit-tests", "the summary says '%s' but Check's TAP log "
                   "has %d passed, %d failed" % ((summary.group(0),)
                                                 + tap_counts))
    if ran == 0:
        suite.fail("unit-tests", "no test ran:\n%s" % out[-2000:])
