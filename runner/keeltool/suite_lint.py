"""The `lint` suite: runner/keel-lint on the real services/ tree, then on
every fixture of tests/lint/ (tests/lint/README.md): each must fail naming
its rule, and the clean one must pass. One result per fixture."""
import os
import re
import shlex
import shutil
import subprocess
import tempfile

from .paths import REPO, show
from .report import PROGRESS

LINT = os.path.join(REPO, "runner", "keel-lint")
FIXTURES = os.path.join(REPO, "tests", "lint")
VIOLATION = re.compile(r"^(.*?):(\d+): ([a-z-]+): ")


def header_field(text, field):
    m = re.search(r"^\W*%s:\s*(.*?)\s*$" % re.escape(field), text, re.M)
    return m.group(1) if m else None


def run_lint(args):
    proc = subprocess.run([LINT] + args, capture_output=True, text=True,
                          cwd=REPO)
    return proc.returncode, proc.stdout + proc.stderr


def real_tree(suite):
    services = os.path.join(REPO, "services")
    if not os.path.isdir(services):
        suite.fail("services/", "services/ does not exist yet")
        return
    PROGRESS.show("lint: services/")
    rc, out = run_lint([])
    for line in out.splitlines():
        if line.startswith("TCB share:"):
            suite.notes.append(line)
    suite.add("services/", rc == 0,
              "" if rc == 0 else "keel-lint exited %d:\n%s" % (rc, out))


def fixture(suite, case):
    with open(case, encoding="utf-8") as f:
        text = f.read()
    name = "fixture " + os.path.basename(case)
    expect = header_field(text, "lint-expect")
    where = header_field(text, "lint-path")
    args = shlex.split(header_field(text, "lint-args") or "")
    if not expect or not where:
        suite.fail(name, "%s lacks a lint-expect: or lint-path: line"
                   % show(case))
        return
    PROGRESS.show("lint: " + name)
    with tempfile.TemporaryDirectory(prefix="keel-lint-") as tmp:
        root = os.path.join(tmp, "services")
        shutil.copytree(os.path.join(FIXTURES, "base"), root)
        dest = os.path.join(root, where)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy(case, dest)
        rc, out = run_lint(["--root", root] + args)
    if expect == "clean":
        suite.add(name, rc == 0, "" if rc == 0 else
                  "the clean fixture failed (exit %d):\n%s" % (rc, out))
        return
    hits, strays = [], []
    for line in out.splitlines():
        m = VIOLATION.match(line)
        if not m:
            continue
        path = m.group(1)
        # Flag violations name the option instead of a file.
        if path.endswith(where) or path == "--svc-cflags":
            if m.group(3) == expect:
                hits.append(line)
        elif path.startswith(tmp):
            strays.append(line)
    ok = rc == 1 and hits and not strays
    details = ""
    if not ok:
        details = ("expected keel-lint to fail with a '%s' violation in %s "
                   "and nowhere else in the base tree; it exited %d:\n%s"
                   % (expect, where, rc, out))
    suite.add(name, ok, details)


def run(suite, target):
    real_tree(suite)
    cases = os.path.join(FIXTURES, "cases")
    for case in sorted(os.listdir(cases)) if os.path.isdir(cases) else []:
        fixture(suite, os.path.join(cases, case))
    if not any(r.name.startswith("fixture ") for r in suite.results):
        suite.fail("fixtures", "no fixtures in %s" % show(cases))
