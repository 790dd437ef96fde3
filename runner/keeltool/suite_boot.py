"""The `boot` suite of a bare-metal target: tests/boot/<arch>/run.sh, the
backend's own boot tests (machine shapes, image checks), which prints TAP.
Each TAP test is a result, its details the text after `#` on its line and
the `# ...` diagnostic lines under it; a bail-out, a non-zero exit with no
failed test or a hang is one more failure. Targets without such a script
have no boot suite."""
import os
import re

from . import ktap
from .boot import run_command
from .paths import REPO, build_dir
from .report import PROGRESS

TIMEOUT = 900


def script(target):
    return os.path.join(REPO, "tests", "boot", target.name, "run.sh")


def available(target):
    return os.path.isfile(script(target))


def details(test, lines):
    """Why test failed: its directive and the `#` lines that follow it (the
    TAP place for diagnostics), else the lines printed before it."""
    after = []
    for line in lines[test.line + 1:]:
        if not line.lstrip().startswith("#"):
            break
        after.append(line.lstrip()[1:].strip())
    text = "\n".join(([test.directive] if test.directive else []) + after)
    return text or "\n".join(l.strip() for l in test.diag)


def run(suite, target):
    path = script(target)
    PROGRESS.show("boot: %s ..." % os.path.relpath(path, REPO))
    env = dict(os.environ, KEEL_BUILD=build_dir())
    rc, out, timed_out, _ = run_command(["bash", path, build_dir()], TIMEOUT,
                                        env=env)
    report = ktap.parse(out)
    lines = out.splitlines()
    for t in report.leaves():
        if t.ok and t.skipped:
            suite.skip(t.name, t.directive)
        else:
            suite.add(t.name, t.ok, "" if t.ok else details(t, lines))
    tail = "\n".join(lines[-15:])
    bail = re.search(r"^Bail out!.*$", out, re.M)
    if timed_out:
        suite.fail("run.sh", "no result after %ds:\n%s" % (TIMEOUT, tail))
    elif bail:
        suite.fail("run.sh", tail)
    elif rc != 0 and all(t.ok for t in report.tests):
        suite.fail("run.sh", "exited %d:\n%s" % (rc, tail))
    elif report.plan_mismatches():
        suite.fail("run.sh", "\n".join(report.plan_mismatches())
                   + ":\n" + tail)
    elif not report.tests:
        suite.fail("run.sh", "no TAP results:\n" + tail)
