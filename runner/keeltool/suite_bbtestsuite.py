"""The `busybox-testsuite` suite: busybox's own testsuite (testsuite/ of
Debian's busybox source package, bbsource.py) on hosted Keel against the
same busybox binary natively.

The testsuite, the configuration busybox-static was built with (runtest
reads it to leave out what is not built) and a runner
(tests/busybox/testsuite.sh) join the system `keel run` boots (bbroot.py);
runtest runs natively chrooted into that tree, then on Keel. At
least 95% of the tests that pass natively must pass on Keel: the suite
is one result with both counts, and names the tests that pass only
natively. The native run is cached under build/busybox/ by what it
depends on (busybox, the source version, the runner script).

Left out: bc's tests (45 s natively of arithmetic, next to 25 s for all
the rest), and mdev.tests, as Debian's build leaves it out (it needs a
real /sys/class). When the source cannot be fetched (no network in CI),
the suite says so and skips: a skip is not a pass.
"""
import hashlib
import os
import re

from . import bbroot, bbsource
from .paths import build_dir
from .suite_busybox import SCRIPT_DIR, program_lines

LEFT_OUT = ["bc"]
PASS_RATIO = 0.95
NATIVE_TIMEOUT = 300
KEEL_TIMEOUT = 900
RESULT = re.compile(r"^(PASS|FAIL|SKIPPED|UNTESTED): (.*?)\s*$")
DONE = "testsuite: runtest done"


def outcomes(output):
    """{status: [test names]} from runtest's output."""
    found = {"PASS": [], "FAIL": [], "SKIPPED": [], "UNTESTED": []}
    for line in output.splitlines():
        m = RESULT.match(line)
        if m:
            found[m.group(1)].append(m.group(2))
    return found


def counts(found):
    return "%d passed, %d failed, %d skipped, %d untested" % tuple(
        len(found[k]) for k in ("PASS", "FAIL", "SKIPPED", "UNTESTED"))


def make_image(testsuite, argv):
    """The system with /bb/testsuite (without mdev.tests, as Debian's
    build), /bb/.config and /bb/busybox for runtest's $bindir, the
    runner."""
    image = bbroot.make_image("x86_64", argv, [
        (testsuite, "/bb/testsuite"),
        (bbsource.config_path(testsuite), "/bb/.config"),
        (os.path.join(SCRIPT_DIR, "testsuite.sh"), "/testsuite.sh")])
    image.symlink("/bb/busybox", "/bin/busybox")
    mdev = image.resolve("/bb/testsuite/mdev.tests")
    image.entries.pop(mdev, None)
    return image


def cache_key(testsuite):
    h = hashlib.sha256()
    inputs = (bbroot.busybox_for("x86_64"), bbsource.config_path(testsuite),
              os.path.join(SCRIPT_DIR, "testsuite.sh"))
    for path in inputs:
        with open(path, "rb") as f:
            h.update(f.read())
    h.update(testsuite.encode() + " ".join(LEFT_OUT).encode())
    return h.hexdigest()[:16]


def native_output(image, testsuite, argv):
    """(runtest's native output, problem or None), cached."""
    cache = os.path.join(build_dir(), "busybox",
                         "testsuite-native-%s.txt" % cache_key(testsuite))
    if os.path.isfile(cache):
        return open(cache).read(), None
    tree = os.path.join(build_dir(), "busybox", "testsuite-root")
    status, out, problem = bbroot.run_native(image, tree, argv,
                                             NATIVE_TIMEOUT)
    if problem or DONE not in out:
        return out, problem or "runtest did not finish natively"
    with open(cache, "w") as f:
        f.write(out)
    return out, None


def run(suite, target):
    testsuite, why = bbsource.testsuite_dir()
    if not testsuite:
        suite.skip("busybox testsuite", why)
        suite.notes.append("not run: " + why.splitlines()[0])
        return
    argv = ["/bin/sh", "/testsuite.sh"] + LEFT_OUT
    image = make_image(testsuite, argv)
    native, problem = native_output(image, testsuite, argv)
    if problem:
        suite.fail("busybox testsuite", "natively: %s\n%s" % (
            problem, native[-2000:]))
        return
    result = bbroot.boot_image(target, image, KEEL_TIMEOUT)
    keel = program_lines(result.console)
    theirs, ours = outcomes(native), outcomes(keel)
    passed = set(theirs["PASS"])
    both = passed & set(ours["PASS"])
    ratio = len(both) / len(passed) if passed else 0.0
    suite.notes.append("native: " + counts(theirs))
    suite.notes.append("Keel:   " + counts(ours))
    details = []
    if DONE not in keel:
        details.append("runtest did not finish on Keel: %s" % (
            result.problem or "its last line never came"))
    lost = sorted(passed - both)
    if lost:
        details.append("pass natively, not on Keel: " + "; ".join(lost[:60]))
    name = "%d of %d native passes pass on Keel (%.1f%%, at least %d%% " \
        "needed)" % (len(both), len(passed), 100 * ratio, 100 * PASS_RATIO)
    ok = bool(passed) and ratio >= PASS_RATIO and DONE in keel
    suite.add(name, ok, "\n".join(details))
    if ok and lost:
        suite.notes.append(details[-1])
