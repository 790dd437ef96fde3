"""The `fuzz` suite: the libFuzzer harnesses of tests/fuzz/ (one per parser
of untrusted input, tests/fuzz/README.md), built by `make fuzz-build` into
BUILD/fuzz/fuzz_<name> with ASan and UBSan.

Two modes, one result per harness:

- smoke (`keel test fuzz`, part of `make test`): replays the harness's
  corpus (tests/fuzz/corpus/<name>/: the seeds and every crash found and
  fixed, which are regression inputs) and runs SMOKE_RUNS mutated inputs
  from a fixed seed, so the run is bounded (a second or two a harness)
  and the same every time. New inputs go to a temporary directory, never
  into the tree.
- campaign (`make fuzz FUZZ_S=N`, which sets KEEL_FUZZ_S=N): N seconds in
  all, split evenly; a harness that crashes is started again until its
  share is used up. Inputs that reach new code are kept in
  BUILD/fuzz/corpus/<name>/ for the next campaign, crashing inputs in
  BUILD/fuzz/crashes/<name>/. Prints `fuzz_<name>: execs N, crashes N`.

A harness passes when no input crashed it (a sanitizer report, a broken
FUZZ_CHECK, a timeout or running out of memory); the failure shows the
input's path and the end of libFuzzer's report.
"""
import glob
import os
import re
import tempfile
import time

from .boot import run_command
from .paths import REPO, build_dir, show
from .report import PROGRESS

SOURCES = os.path.join(REPO, "tests", "fuzz")
CORPUS = os.path.join(SOURCES, "corpus")
SMOKE_RUNS = 2000
SMOKE_TIMEOUT = 300      # seconds for one harness's whole smoke run
INPUT_TIMEOUT = 10       # seconds one input may take (-timeout)
MAX_CRASHES = 10         # a campaign stops restarting a harness after these
# Fixed settings of every run: one input's time and memory, statistics.
COMMON_FLAGS = ["-timeout=%d" % INPUT_TIMEOUT, "-rss_limit_mb=2048",
                "-print_final_stats=1"]
EXECS = re.compile(r"^stat::number_of_executed_units:\s*(\d+)", re.M)
ARTIFACT = re.compile(r"Test unit written to (\S+)")
REPORT_LINES = 30
CORPUS_NAME = re.compile(r"^(seed|crash)-")
REPORT_START = re.compile(r"^==\d+==ERROR|ERROR: libFuzzer|runtime error:|"
                          r"^FUZZ CHECK failed")


def harnesses():
    """The harness names, from tests/fuzz/fuzz_<name>.c."""
    return sorted(os.path.basename(p)[len("fuzz_"):-len(".c")]
                  for p in glob.glob(os.path.join(SOURCES, "fuzz_*.c")))


def binary(name):
    return os.path.join(build_dir(), "fuzz", "fuzz_" + name)


def executions(out):
    return sum(int(n) for n in EXECS.findall(out))


def failure_report(out):
    """The sanitizer's (or libFuzzer's, or FUZZ_CHECK's) report: from its
    first line to ASan's shadow-byte dump, at most REPORT_LINES lines."""
    lines = out.splitlines()
    start = next((i for i, l in enumerate(lines) if REPORT_START.search(l)),
                 max(0, len(lines) - REPORT_LINES))
    report = []
    for line in lines[start:start + REPORT_LINES]:
        if line.startswith("Shadow bytes around"):
            break
        report.append(line)
    return "\n".join(report)


def fuzz_once(name, work, artifacts, flags, timeout):
    """Runs harness name on its corpora (work first: libFuzzer adds new
    inputs there). Returns (ok, execs, artifact paths, output)."""
    os.makedirs(work, exist_ok=True)
    cmd = [binary(name), "-artifact_prefix=" + artifacts + os.sep] + \
        COMMON_FLAGS + flags + [work, os.path.join(CORPUS, name)]
    rc, out, timed_out, _ = run_command(cmd, timeout)
    if timed_out:
        out += "\n(the run took more than %d s and was stopped)" % timeout
    return rc == 0 and not timed_out, executions(out), \
        ARTIFACT.findall(out), out


def missing(suite, name):
    """Fails the harness's result if it cannot run; True then."""
    if not os.path.exists(binary(name)):
        suite.fail("fuzz_" + name, "%s missing: run make fuzz-build"
                   % show(binary(name)))
        return True
    corpus = os.path.join(CORPUS, name)
    files = os.listdir(corpus) if os.path.isdir(corpus) else []
    if not files:
        suite.fail("fuzz_" + name, "no seed corpus in %s: run "
                   "tests/fuzz/gen-seeds" % show(corpus))
        return True
    # libFuzzer writes new inputs into the first directory it is given: a
    # hand run with the corpus first fills it with hash-named files.
    stray = sorted(f for f in files if not CORPUS_NAME.match(f))
    if stray:
        suite.fail("fuzz_" + name, "%d files in %s are neither seed-* nor "
                   "crash-* (%s ...): a fuzzer run wrote them there; "
                   "remove them (tests/fuzz/README.md)"
                   % (len(stray), show(corpus), stray[0]))
        return True
    return False


def smoke(suite, name, rates):
    with tempfile.TemporaryDirectory(prefix="keel-fuzz-") as tmp:
        start = time.monotonic()
        ok, execs, found, out = fuzz_once(
            name, os.path.join(tmp, "work"), tmp,
            ["-runs=%d" % SMOKE_RUNS, "-seed=1"], SMOKE_TIMEOUT)
        seconds = time.monotonic() - start
        inputs = len(glob.glob(os.path.join(CORPUS, name, "*")))
        title = "fuzz_%s: %d corpus inputs, %d runs" % (name, inputs,
                                                       SMOKE_RUNS)
        if ok:
            suite.add(title, True)
            rates.append("%s %d/s" % (name, execs / max(seconds, 1e-3)))
            return
        kept = []
        for path in found:  # the crashing input outlives the temporary dir
            dest = os.path.join(build_dir(), "fuzz", "crashes", name,
                                os.path.basename(path))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if os.path.exists(path):
                os.replace(path, dest)
                kept.append(show(dest))
        suite.fail(title, "crashed%s:\n%s" % (
            " on " + ", ".join(kept) if kept else "", failure_report(out)))


def campaign(suite, name, seconds):
    """Fuzzes harness name for seconds; prints and records the counts."""
    work = os.path.join(build_dir(), "fuzz", "corpus", name)
    artifacts = os.path.join(build_dir(), "fuzz", "crashes", name)
    os.makedirs(artifacts, exist_ok=True)
    start = time.monotonic()
    execs, crashes, reports = 0, [], []
    while len(crashes) < MAX_CRASHES:
        left = round(start + seconds - time.monotonic())
        if left < 1:
            break
        ok, n, found, out = fuzz_once(name, work, artifacts,
                                      ["-max_total_time=%d" % left],
                                      left + 60)
        execs += n
        if ok:
            break
        crashes += [show(p) for p in found] or ["(no input written)"]
        reports.append(failure_report(out))
    line = "fuzz_%s: execs %d, crashes %d (%d exec/s)" % (
        name, execs, len(crashes),
        execs / max(time.monotonic() - start, 1e-3))
    PROGRESS.clear()
    print(line, flush=True)
    if crashes:
        suite.fail(line, "crashing inputs: %s\n%s" % (", ".join(crashes),
                                                      reports[0]))
    else:
        suite.add(line, True)


def run(suite, target):
    names = harnesses()
    budget = os.environ.get("KEEL_FUZZ_S")
    rates = []
    for name in names:
        if missing(suite, name):
            continue
        PROGRESS.show("fuzz: fuzz_" + name)
        if budget:
            campaign(suite, name, max(1, int(budget) // len(names)))
        else:
            smoke(suite, name, rates)
    if rates:
        suite.notes.append("exec/s (ASan, UBSan): " + ", ".join(rates))
