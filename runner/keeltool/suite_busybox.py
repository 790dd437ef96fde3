"""The `busybox` suite: a scripted busybox shell session
(tests/busybox/shell.sh) on Keel against the same busybox natively.

The script and a small runner (tests/busybox/run.sh: a clean environment,
the script's output to a file first, so that it never writes to a
terminal) join the system `keel run` boots (busybox with its applet
links, keel-init; bbroot.py). It runs natively chrooted into that tree,
then on Keel; the outputs must match line by line, section by section
("== name" lines start a section, and each section is one test), and so
must the exit status. riscv64 runs the busybox fetched for it
(make busybox-riscv64) when there is one, against the x86-64 native run:
the script prints nothing that depends on the architecture.
"""
import os
import re

from . import bbroot
from .paths import REPO, build_dir
from .suite_user import diff
from .targets import KERNEL_LINE

SCRIPT_DIR = os.path.join(REPO, "tests", "busybox")
NATIVE_TIMEOUT = 120
KEEL_TIMEOUT = 300
SECTION = re.compile(r"^== (.+)$")


def sections(text):
    """[(name, lines)] of the output; lines before the first "== name"
    line form the section "start"."""
    out = [("start", [])]
    for line in text.splitlines():
        m = SECTION.match(line)
        if m:
            out.append((m.group(1), []))
        else:
            out[-1][1].append(line)
    return out


def program_lines(console, firmware=False):
    """The programs' output: the console without the kernel's lines (and,
    firmware: without the firmware's banner before the first of them)."""
    lines = console.splitlines()
    if firmware:
        first = next((i for i, l in enumerate(lines) if KERNEL_LINE.match(l)),
                     0)
        lines = lines[first:]
    return "\n".join(l for l in lines if not KERNEL_LINE.match(l)) + "\n"


def compare(suite, label, native, keel):
    """One result per section of native's output: Keel's must match."""
    got = dict(sections(keel))
    for name, lines in sections(native):
        theirs = got.pop(name, None)
        if theirs is None:
            suite.fail("%s: %s" % (label, name),
                       "Keel's output has no section %r" % name)
        elif theirs != lines:
            suite.fail("%s: %s" % (label, name),
                       diff("\n".join(lines), "\n".join(theirs)))
        else:
            suite.add("%s: %s" % (label, name), True)
    for name in got:
        suite.fail("%s: %s" % (label, name), "a section only Keel printed")


def run(suite, target):
    if not bbroot.busybox_for(target.arch):
        suite.skip("shell", "no busybox for %s: run make busybox-%s" % (
            target.arch, target.arch))
        return
    argv = ["/bin/sh", "/run.sh", "/shell.sh"]
    adds = [(os.path.join(SCRIPT_DIR, name), "/" + name)
            for name in ("run.sh", "shell.sh")]
    tree = os.path.join(build_dir(), "busybox", "shell-root")
    status, native, problem = bbroot.run_native(
        bbroot.make_image("x86_64", argv, adds), tree, argv, NATIVE_TIMEOUT)
    if problem or status != 0:
        suite.fail("shell", "natively: %s (a wrong test)\n%s" % (
            problem or "exit status %d" % status, native[-2000:]))
        return
    result = bbroot.boot_image(target, bbroot.make_image(target.arch, argv,
                                                         adds), KEEL_TIMEOUT)
    compare(suite, "shell", native,
            program_lines(result.console, target.firmware))
    errors = result.mismatches(status, [])
    suite.add("shell: exit status", not errors,
              result.explain(errors) if errors else "")
