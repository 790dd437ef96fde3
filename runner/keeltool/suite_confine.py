"""The `confine` suite: the hosted kernel's confinement to its host system
call allow-list (hal/hosted/confine.c, docs/hal.md "Confinement"; issue
11 item 5). Only on targets whose kernel is a host process.

The hosted HAL's boot option `hosted.confine_check` makes the kernel try
to open a host file right after confining itself. Cases:

- confined (the default): the open is refused, the kernel panics naming
  the call, and the backtrace still names functions (confined, they come
  from the symbol table loaded at boot, not from libunwind's file reads);
- `noconfine`: the open succeeds and the program runs;
- under Valgrind memcheck: not confined (Valgrind's own host calls), the
  open succeeds and the program runs.

That every other suite passes on a confined kernel is what shows the
allow-list is complete.
"""
import os

from . import memcheck
from .boot import Program, boot
from .paths import show, user_program
from .report import PROGRESS

PANIC_STATUS = 99
PROGRAM = "hello"
CHECK = "hosted.confine_check"
REFUSED = [r"keel: host system call 257 \(openat\) is not on the "
           r"confinement allow-list",
           r"PANIC in core_kernel_fault .*confinement allow-list",
           r"#\d+ 0x[0-9a-f]+ hosted_confine\+0x"]
ALLOWED = [r"keel: confine check: opening a host file \(not confined\)",
           r"keel: confine check: openat returned [0-9]+\n",
           r"hello from user mode"]


def check(suite, name, result, status, patterns):
    errors = result.mismatches(status, patterns)
    suite.add(name, not errors, result.explain(errors) if errors else "")


def run(suite, target):
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return
    path = user_program(target.arch, PROGRAM)
    if not os.path.exists(path):
        suite.fail("boot", "%s missing: run make user" % show(path))
        return
    program = Program(path)
    PROGRESS.show("confine: a host open, confined")
    check(suite, "a host open panics the confined kernel",
          boot(target, [program], options=[CHECK]), PANIC_STATUS, REFUSED)
    PROGRESS.show("confine: a host open, noconfine")
    check(suite, "noconfine lets a host open through",
          boot(target, [program], options=["noconfine", CHECK]), 0,
          ALLOWED)
    if memcheck.missing():
        suite.fail("valgrind", memcheck.missing())
        return
    PROGRESS.show("confine: a host open, under memcheck")
    result, _ = memcheck.boot_under(target, programs=[program],
                                    options=[CHECK])
    check(suite, "under memcheck the kernel is not confined", result, 0,
          ALLOWED)
