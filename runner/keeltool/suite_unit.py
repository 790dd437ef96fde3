"""The `unit` suite: the Check suites of build/hosted/unit-tests, run under
Valgrind memcheck. Check writes one TAP line per test to the file named by
CK_TAP_LOG_FILE_NAME; each is a result. Any memcheck error (invalid access,
uninitialised value, definite leak) is one more failed result, with
Valgrind's report."""
import os
import re
import shutil
import signal
import tempfile

from .boot import run_command
from .paths import REPO, build_dir, show
from .report import PROGRESS

VALGRIND_ERROR_STATUS = 97
TIMEOUT = 900
TAP = re.compile(r"^(ok|not ok) (\d+) - ([^:]*):([^:]*):([^:]*): ?(.*)$")
SUMMARY = re.compile(r"^unit: (\d+) passed, (\d+) failed$", re.M)
CHECK_FAILURE = re.compile(r"^([^:\s]+):(\d+):[FE]:([^:]*):([^:]*):\d+: ?(.*)$")


def test_name(file, tcase, test):
    unit = os.path.splitext(os.path.basename(file))[0]
    unit = unit[len("test_"):] if unit.startswith("test_") else unit
    return "%s/%s/%s" % (unit, tcase, test)


def valgrind_errors(log):
    """The interesting part of a memcheck log: the error reports and the
    summaries, without the banner."""
    keep, lines = False, []
    for line in log.splitlines():
        body = re.sub(r"^==\d+== ?", "", line)
        if re.match(r"(Invalid|Conditional|Use of uninit|Syscall param|"
                     r"Mismatched|\d[\d,]* bytes in|Source and destination|"
                     r"Argument|Process terminating)", body):
            keep = True
        elif body == "":
            keep = False
        if keep or body.startswith(("ERROR SUMMARY", "definitely lost")):
            lines.append(body)
    return "\n".join(lines[:80])


def suppressions():
    """--suppressions for each tests/unit/*.supp: known false positives of
    libraries (each entry with a comment saying why it is not our bug)."""
    unit_dir = os.path.join(REPO, "tests", "unit")
    return ["--suppressions=" + os.path.join(unit_dir, f)
            for f in sorted(os.listdir(unit_dir)) if f.endswith(".supp")] \
        if os.path.isdir(unit_dir) else []


def run(suite, target):
    binary = os.path.join(build_dir(), "hosted", "unit-tests")
    if not os.path.exists(binary):
        suite.fail("unit-tests", "%s missing: run make hosted (or make)"
                   % show(binary))
        return
    if not shutil.which("valgrind"):
        suite.fail("valgrind", "valgrind not found: run scripts/setup-deps")
        return
    PROGRESS.show("unit: %s under valgrind memcheck ..." % show(binary))
    with tempfile.TemporaryDirectory(prefix="keel-unit-") as tmp:
        tap_file = os.path.join(tmp, "unit.tap")
        log_file = os.path.join(tmp, "valgrind.log")
        env = dict(os.environ, CK_TAP_LOG_FILE_NAME=tap_file, CK_FORK="no")
        cmd = ["valgrind", "--tool=memcheck", "--error-exitcode=%d"
               % VALGRIND_ERROR_STATUS, "--leak-check=full",
               "--errors-for-leak-kinds=definite", "--num-callers=30",
               "--log-file=" + log_file] + suppressions() + [binary]
        rc, out, timed_out, _ = run_command(cmd, TIMEOUT, env=env)
        tap = open(tap_file).read() if os.path.exists(tap_file) else ""
        log = open(log_file).read() if os.path.exists(log_file) else ""

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
    if rc == VALGRIND_ERROR_STATUS:
        suite.fail("valgrind memcheck", valgrind_errors(log) or log[-3000:])
    elif rc not in (0, 1):
        why = ("killed by %s" % signal.Signals(-rc).name if rc < 0
               else "exit status %d" % rc)
        suite.fail("unit-tests", "unit-tests stopped (%s) after %d tests:\n%s"
                   % (why, ran, out[-2000:] + "\n" + valgrind_errors(log)))
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
