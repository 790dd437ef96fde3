"""A KTAP reader for the in-kernel tests' console output.

    KTAP version 1
    1..2
        KTAP version 1
        # Subtest: frames
        1..2
        ok 1 alloc_free
        not ok 2 exhaustion
    not ok 1 frames
    ok 2 heap # SKIP no heap here

Every `ok` / `not ok` line without nested results under it is a test; a line
that closes nested results is its suite's summary. A `# SKIP` result is
neither passed nor failed; every plan must be met exactly (fewer results
mean the run stopped early, more are results nobody planned). Lines may carry klog's
"[seconds] TAG " prefix, which is ignored.
"""
import re

LOG_PREFIX = re.compile(r"^\[\s*\d+\.\d+\] (ERR |WARN|INFO|DBG )")
RESULT = re.compile(r"^(\s*)(ok|not ok) (\d+)\b\s*(?:- )?(.*?)\s*(?:#\s*(.*))?$")
PLAN = re.compile(r"^(\s*)1\.\.(\d+)\s*(?:#.*)?$")
VERSION = re.compile(r"^\s*K?TAP version \d+")


class Test:
    def __init__(self, indent, ok, number, name, directive, line):
        self.indent, self.ok, self.number = indent, ok, number
        self.name = name or "test %d" % number
        self.directive = directive or ""
        self.line = line          # index in the console lines
        self.parent = None
        self.children = []
        self.diag = []            # console lines printed just before it

    @property
    def skipped(self):
        return self.directive.upper().startswith("SKIP")

    def full_name(self):
        names, t = [], self
        while t:
            names.append(t.name)
            t = t.parent
        return ".".join(reversed(names))


class Plan:
    def __init__(self, indent, count, line):
        self.indent, self.count, self.line = indent, count, line
        self.results = 0          # results that came at its level


class Report:
    def __init__(self):
        self.seen_ktap = False
        self.tests = []           # every result line, in order
        self.plan = None          # the outermost plan's count
        self.top_count = 0        # results at the outermost level
        self.plans = []           # every plan line (nested ones too)

    def leaves(self):
        return [t for t in self.tests if not t.children]

    def suites(self):
        return [t for t in self.tests if t.children]

    def skipped(self):
        """The leaves that are `# SKIP`: neither passed nor failed."""
        return [t for t in self.leaves() if t.skipped]

    def plan_mismatches(self):
        """A sentence for each plan (`1..N`) that its level's results do not
        meet: fewer results (the run stopped early) or more (results nobody
        planned)."""
        problems = []
        for p in self.plans:
            if p.results == p.count:
                continue
            where = "the plan" if p.indent == min(
                q.indent for q in self.plans) else \
                "a nested plan (console line %d)" % (p.line + 1)
            problems.append("%s says 1..%d but %d results came: %s" % (
                where, p.count, p.results,
                "the run stopped early" if p.results < p.count
                else "results beyond the plan"))
        return problems


def _strip(line):
    m = LOG_PREFIX.match(line)
    return line[m.end():] if m else line


def is_result(line):
    """Whether a console line is a KTAP test result (`ok N ...` or
    `not ok N ...`, at any depth, klog prefix allowed)."""
    return RESULT.match(_strip(line.expandtabs(8))) is not None


def parse(console):
    report = Report()
    lines = [_strip(l.expandtabs(8)) for l in console.splitlines()]
    top_indent = None
    since_last = []
    open_plans = []               # plans of the levels now open
    for i, line in enumerate(lines):
        if VERSION.match(line):
            report.seen_ktap = True
            continue
        m = PLAN.match(line)
        if m:
            report.seen_ktap = True
            indent = len(m.group(1))
            if top_indent is None or indent < top_indent:
                top_indent, report.plan = indent, int(m.group(2))
            report.plans.append(Plan(indent, int(m.group(2)), i))
            open_plans = [q for q in open_plans if q.indent < indent]
            open_plans.append(report.plans[-1])
            continue
        m = RESULT.match(line)
        if not m:
            if line.strip():
                since_last.append(line)
            continue
        report.seen_ktap = True
        indent = len(m.group(1))
        # A result closes the plans nested deeper than it and counts
        # towards the plan of its own level.
        open_plans = [q for q in open_plans if q.indent <= indent]
        if open_plans and open_plans[-1].indent == indent:
            open_plans[-1].results += 1
        t = Test(len(m.group(1)), m.group(2) == "ok", int(m.group(3)),
                 m.group(4), m.group(5), i)
        j = len(report.tests) - 1
        while j >= 0 and report.tests[j].indent > t.indent:
            child = report.tests[j]
            if child.parent is None:
                child.parent = t
                t.children.insert(0, child)
            j -= 1
        t.diag = since_last[-15:]
        since_last = []
        report.tests.append(t)
    if report.tests:
        outer = min(t.indent for t in report.tests)
        report.top_count = sum(1 for t in report.tests if t.indent == outer)
    return report
