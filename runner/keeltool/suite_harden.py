"""The `harden` suite: the kernel's memory-safety nets catch the bugs they
exist for (docs/architecture.md, "Hardening"; issue 12).

Each case boots the target with the debug-build option `selftest=NAME`,
which makes a service function (services/selftest/selftest.c) commit one
deliberate bug before init runs its program, and checks how it ended:

- on every target, an array index out of bounds, a smashed stack frame,
  a checked copy (memcpy) past a kmalloc object, a signed overflow and a
  kernel stack overflow must each be a kernel panic (exit status 99)
  whose console names the file and line, the service function (in the
  backtrace) and the cause;
- on a target whose kernel is a host process (hosted), a one-byte
  overrun of a kmalloc object and a read of a freed one must be reported
  by memcheck (the kernel tells Valgrind about every heap object and free
  frame), naming the service function. These are expected failures: the
  case passes only when Valgrind finds the error, so a heap that hides
  its objects from memcheck again fails it. That the normal boots stay
  clean under memcheck is what the ktest and user-memcheck suites check.
"""
import os
import re

from . import memcheck
from .boot import Program, boot
from .paths import show, user_program
from .report import PROGRESS

PANIC_STATUS = 99
PROGRAM = "hello"
SELFTEST_FILE = r"services/selftest/selftest\.c:\d+"
VG_SELFTEST_FILE = r"selftest\.c:\d+\)"  # Valgrind names the file only


class Case:
    def __init__(self, name, bug, console=(), valgrind=(), status=None):
        self.name = name
        self.bug = bug             # the selftest=NAME option
        self.console = console     # regexes the console must match
        self.valgrind = valgrind   # regexes Valgrind's report must match
        self.status = status       # the machine's status, when judged


PANIC_CASES = [
    Case("out-of-bounds index in a service panics", "bounds",
         console=[r"PANIC in an array access \(" + SELFTEST_FILE +
                  r"\): index 12 out of bounds for type 'char \[12\]'",
                  r"#\d+ 0x[0-9a-f]+ selftest_index_overrun\+"],
         status=PANIC_STATUS),
    Case("smashed stack frame in a service panics", "stack",
         console=[r"PANIC in __stack_chk_fail .*overwrote its stack frame",
                  r"#\d+ 0x[0-9a-f]+ selftest_stack_smash\+"],
         status=PANIC_STATUS),
    Case("checked memcpy past a kmalloc object panics", "copy",
         console=[r"PANIC in fortify_panic .*checked copy: memcpy of 14 "
                  r"bytes overflows an object of 13",
                  r"#\d+ 0x[0-9a-f]+ selftest_copy_overflow\+"],
         status=PANIC_STATUS),
    # The other UBSan checks of the core's runtime (core/lib/ubsan.c).
    Case("signed overflow in a service panics", "overflow",
         console=[r"PANIC in a signed addition \(" + SELFTEST_FILE +
                  r"\): undefined behaviour",
                  r"#\d+ 0x[0-9a-f]+ selftest_signed_overflow\+"],
         status=PANIC_STATUS),
    # The guard page below every kernel stack (docs/hal.md, "Kernel
    # stacks"): unbounded recursion in the services task is a clean panic.
    Case("kernel stack overflow panics naming the task", "kstack",
         console=[r"PANIC in core_kernel_fault .*: kernel stack overflow in "
                  r"task \d+ 'services' \(.* in the guard below its stack\)",
                  r"#\d+ 0x[0-9a-f]+ recurse\+"],
         status=PANIC_STATUS),
]
MEMCHECK_CASES = [
    Case("memcheck reports a one-byte kmalloc overrun", "heap-overrun",
         valgrind=[r"Invalid write of size 1",
                   r"selftest_heap_overrun \(" + VG_SELFTEST_FILE],
         console=[r"keel: selftest: heap-overrun done"]),
    Case("memcheck reports a kmalloc use after free", "heap-uaf",
         valgrind=[r"Invalid read of size 1",
                   r"selftest_heap_use_after_free \(" + VG_SELFTEST_FILE,
                   # Valgrind names the freed block, or (when a live
                   # object of the size class sits just before it) the
                   # slot's reuse, or a larger freed block whose memory
                   # the slab page took over later (which one depends
                   # on what booting allocated): the read was caught.
                   r"(inside a block of size 24 free'd"
                   r"|inside a block of size [0-9,]+ free'd"
                   r"|recently re-allocated block)"],
         console=[r"keel: selftest: heap-uaf done"]),
]


def run_case(suite, target, case, under_memcheck):
    program = Program(user_program(target.arch, PROGRAM))
    options = ["selftest=" + case.bug]
    if under_memcheck:
        result, report = memcheck.boot_under(target, programs=[program],
                                             options=options)
    else:
        result, report = boot(target, [program], options=options), None
    errors = result.mismatches(case.status, case.console)
    if under_memcheck and not report:
        errors.append("Valgrind memcheck reported no error")
    for pattern in case.valgrind:
        if report and not re.search(pattern, report):
            errors.append("Valgrind's report lacks /%s/" % pattern)
    details = ""
    if errors:
        details = result.explain(errors)
        if report:
            details += "\nValgrind:\n" + report
    suite.add(case.name, not errors, details)


def run(suite, target):
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return
    path = user_program(target.arch, PROGRAM)
    if not os.path.exists(path):
        suite.fail("boot", "%s missing: run make user" % show(path))
        return
    cases = [(c, False) for c in PANIC_CASES]
    if target.host_process:
        if memcheck.missing():
            suite.fail("valgrind", memcheck.missing())
        else:
            cases += [(c, True) for c in MEMCHECK_CASES]
    for i, (case, under_memcheck) in enumerate(cases, 1):
        PROGRESS.show("harden: [%d/%d] %s" % (i, len(cases), case.name))
        run_case(suite, target, case, under_memcheck)
