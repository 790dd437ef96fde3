"""Test results and how they are shown: a line per suite as it finishes,
the details of each failure under it, and one plain closing line
`N passed, N failed`. Skipped tests are neither: the suite line shows
them (`..., N skipped`), the closing line does not count them."""
import sys
import time


class Result:
    def __init__(self, name, ok, details="", skipped=False):
        self.name, self.ok, self.details = name, ok, details
        self.skipped = skipped    # neither passed nor failed


class Suite:
    """The results of one suite on one target."""

    def __init__(self, name):
        self.name = name
        self.results = []
        self.notes = []
        self.measures = []   # shown after the duration: "boot to ... 0.3s"
        self.start = time.monotonic()
        self.seconds = 0.0

    def add(self, name, ok, details=""):
        self.results.append(Result(name, ok, details))

    def fail(self, name, details):
        self.add(name, False, details)

    def skip(self, name, why=""):
        """A test that did not run (KTAP `# SKIP`): counted apart."""
        self.results.append(Result(name, True, why, skipped=True))

    def finish(self):
        self.seconds = time.monotonic() - self.start

    @property
    def passed(self):
        return sum(1 for r in self.results if r.ok and not r.skipped)

    @property
    def skipped(self):
        return sum(1 for r in self.results if r.skipped)

    @property
    def failed(self):
        return sum(1 for r in self.results if not r.ok)


def indent(text, prefix="    "):
    return "\n".join(prefix + line for line in text.rstrip().splitlines())


class Progress:
    """A transient status line for slow steps, only on a terminal (logs get
    the suite lines and nothing in between)."""

    def __init__(self):
        self.tty = sys.stdout.isatty()
        self.shown = False

    def show(self, text):
        if self.tty:
            sys.stdout.write("\r\033[K" + text[:110])
            sys.stdout.flush()
            self.shown = True

    def clear(self):
        if self.shown:
            sys.stdout.write("\r\033[K")
            sys.stdout.flush()
            self.shown = False


PROGRESS = Progress()


def print_suite(suite, verbose=False):
    PROGRESS.clear()
    dots = "." * max(3, 22 - len(suite.name))
    times = "; ".join(["%.1fs" % suite.seconds] + suite.measures)
    skipped = ", %d skipped" % suite.skipped if suite.skipped else ""
    print("%s %s %d passed, %d failed%s (%s)"
          % (suite.name, dots, suite.passed, suite.failed, skipped, times))
    for note in suite.notes:
        print("  note: " + note)
    for r in suite.results:
        if not r.ok:
            print("  FAIL %s" % r.name)
            if r.details:
                print(indent(r.details))
        elif r.skipped:
            if verbose:
                print("  skip %s%s" % (r.name,
                                       " (%s)" % r.details if r.details
                                       else ""))
        elif verbose:
            print("  ok   %s" % r.name)
    sys.stdout.flush()


def print_total(suites):
    passed = sum(s.passed for s in suites)
    failed = sum(s.failed for s in suites)
    print("%d passed, %d failed" % (passed, failed))
    sys.stdout.flush()
    return failed
