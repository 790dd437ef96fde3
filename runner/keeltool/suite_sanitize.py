"""The `asan-ktest`, `asan-user` and `asan-abi` suites: the ktest, user and
abi suites again, on the hosted kernel built with AddressSanitizer and
UBSan (BUILD/asan/hosted/, `make asan-build`; docs/hardening.md). Only on
targets whose kernel is a host process.

Every boot fails its results if the console holds a sanitizer report
(runner/keeltool/sanitizer.py), which is shown, symbolized by the
runtime. asan-ktest also boots the deliberate bugs only the sanitizers
see (selftest=heap-overrun, heap-uaf, overflow): each must be reported,
naming the service function with file and line, so a sanitizer build
that stopped reporting fails here instead of passing everything.
"""
import re

from . import ktap, sanitizer, suite_abi, suite_ktest, suite_user, targets
from .boot import Program, boot
from .paths import user_program
from .report import PROGRESS

PROGRAM = "hello"
SELFTEST_FILE = r"services/selftest/selftest\.c:\d+"
# (boot option, what it is, patterns the report must match)
SELFTESTS = [
    ("heap-overrun", "ASan reports a one-byte kmalloc overrun",
     [r"ERROR: AddressSanitizer: use-after-poison", r"WRITE of size 1",
      r"in selftest_heap_overrun " + SELFTEST_FILE]),
    ("heap-uaf", "ASan reports a kmalloc use after free",
     [r"ERROR: AddressSanitizer: use-after-poison", r"READ of size 1",
      r"in selftest_heap_use_after_free " + SELFTEST_FILE]),
    ("overflow", "UBSan reports a signed overflow",
     [SELFTEST_FILE + r":\d+: runtime error: signed integer overflow",
      r"in selftest_signed_overflow " + SELFTEST_FILE]),
]
# hal/hosted/hosted.h: HOSTED_SANITIZER_STATUS
REPORT_STATUS = 98


def sanitized(suite):
    """The sanitizer build's target, or None (and a failure) if it is not
    built."""
    target = targets.SANITIZED
    problem = target.missing()
    if problem:
        suite.fail("boot", problem)
        return None
    return target


def selftest(suite, target, bug, title, patterns):
    program = Program(user_program(target.arch, PROGRAM))
    result = boot(target, [program], options=["selftest=" + bug])
    found = sanitizer.report(result) or ""
    errors = result.mismatches(REPORT_STATUS, [])
    if not found:
        errors.append("no sanitizer report")
    for pattern in patterns:
        if not re.search(pattern, found):
            errors.append("the report lacks /%s/" % pattern)
    suite.add(title, not errors, result.explain(errors) if errors else "")


def run_ktest(suite, target, filters=()):
    asan = sanitized(suite)
    if not asan:
        return
    PROGRESS.show("asan-ktest: booting with ktest ...")
    result = boot(asan, options=[suite_ktest.option(filters)],
                  watch=ktap.is_result)
    suite.measures.append("boot to first ktest " +
                          suite_ktest.boot_time(result))
    suite_ktest.check(suite, result)
    if filters:
        return
    for bug, title, patterns in SELFTESTS:
        PROGRESS.show("asan-ktest: selftest=" + bug)
        selftest(suite, asan, bug, title, patterns)


def run_user(suite, target, filters=()):
    asan = sanitized(suite)
    if asan:
        suite_user.run(suite, asan, filters)


def run_abi(suite, target):
    asan = sanitized(suite)
    if asan:
        suite_abi.run(suite, asan)
