"""Valgrind memcheck, the one way the suites run host code under it: the
unit tests, the hosted kernel's in-kernel tests (ktest) and the user cases
on the hosted kernel (user-memcheck), which boot it with less memory
(RAM, below) to keep each boot cheap.

Every run gets the same options and the suppressions in tests/unit/*.supp
(known false positives of libraries, each entry with a comment saying why
it is not our bug), and writes one log per process into a directory of its
own (--log-file=DIR/valgrind.%p.log), so that a process forked by the
kernel before it execs a stub does not mix its lines with the kernel's.
--trace-children=no: the stubs the hosted kernel execs run natively, as
user code would; only the kernel is checked.

An invalid access, a use of an uninitialised value or a definite leak is
an error; `valgrind --error-exitcode=97` then exits 97 and the log holds an
`ERROR SUMMARY: N errors` line with N > 0. Callers whose program has its own
exit status (a user program's) judge by the logs, not the status.
"""
import glob
import os
import re
import shutil
import tempfile

from .boot import boot
from .paths import REPO

ERROR_STATUS = 97
# The memory of a kernel booted under memcheck. Valgrind shadows all of the
# kernel's physical memory (one memfd, mapped whole): a hosted boot with
# 256 MiB takes ~2.7 s under memcheck, with 64 MiB ~1.4 s.
RAM = "64M"
LOG_NAME = "valgrind.%p.log"
SUMMARY = re.compile(r"^==\d+== ERROR SUMMARY: ([\d,]+) errors", re.M)
REPORT_START = re.compile(
    r"(Invalid|Conditional|Use of uninit|Syscall param|Mismatched|"
    r"\d[\d,]* bytes in|Source and destination|Argument|"
    r"Process terminating)")


def missing():
    """None when valgrind can run, else what to do about it."""
    if shutil.which("valgrind"):
        return None
    return "valgrind not found: run scripts/setup-deps"


def suppressions():
    """--suppressions=FILE for each tests/unit/*.supp."""
    unit_dir = os.path.join(REPO, "tests", "unit")
    if not os.path.isdir(unit_dir):
        return []
    return ["--suppressions=" + os.path.join(unit_dir, f)
            for f in sorted(os.listdir(unit_dir)) if f.endswith(".supp")]


def command(log_dir):
    """The argv prefix that runs a program under memcheck, its logs going
    to log_dir (which must exist)."""
    return ["valgrind", "--tool=memcheck",
            "--error-exitcode=%d" % ERROR_STATUS, "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--num-callers=30",
            "--trace-children=no",
            "--log-file=" + os.path.join(log_dir, LOG_NAME)] + suppressions()


def read_logs(log_dir):
    """The text of every log in log_dir, oldest process first."""
    paths = sorted(glob.glob(os.path.join(log_dir, "valgrind.*.log")),
                   key=lambda p: int(p.split(".")[-2]))
    texts = []
    for path in paths:
        with open(path, errors="replace") as f:
            texts.append(f.read())
    return "\n".join(texts)


def error_count(log):
    """Errors the logs report (leaks included), summed over processes."""
    return sum(int(n.replace(",", "")) for n in SUMMARY.findall(log))


def errors(log, max_lines=80):
    """The interesting part of memcheck logs: the error reports and the
    summaries, without the banners."""
    keep, lines = False, []
    for line in log.splitlines():
        body = re.sub(r"^==\d+== ?", "", line)
        if REPORT_START.match(body):
            keep = True
        elif body == "":
            keep = False
        if keep or body.startswith(("ERROR SUMMARY", "definitely lost")):
            lines.append(body)
    return "\n".join(lines[:max_lines])


def report(log_dir):
    """None if the logs in log_dir show no error, else Valgrind's report."""
    log = read_logs(log_dir)
    if error_count(log) == 0:
        return None
    return errors(log) or log[-3000:]


# How many times the target's boot timeout a boot under memcheck may take.
TIMEOUT_SCALE = 4


def boot_under(target, **kwargs):
    """Boots target (as boot.boot does, with kwargs) with the kernel process
    under memcheck and RAM of memory (unless kwargs give ram). Returns (BootResult, None or
    Valgrind's report)."""
    with tempfile.TemporaryDirectory(prefix="keel-vg-") as tmp:
        kwargs["ram"] = kwargs.get("ram") or RAM
        if kwargs.get("timeout") is None and not os.environ.get("KEEL_TIMEOUT"):
            # Valgrind runs the kernel many times slower: a boot that takes
            # 10 s natively neared the plain 30 s limit on a loaded host.
            kwargs["timeout"] = target.timeout * TIMEOUT_SCALE
        result = boot(target, wrapper=command(tmp), **kwargs)
        return result, report(tmp)
