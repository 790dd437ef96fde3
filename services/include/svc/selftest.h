/*
 * Deliberate bugs for the tests of the kernel's memory-safety nets
 * (docs/architecture.md, "Hardening"). Debug builds only.
 */
#ifndef SVC_SELFTEST_H
#define SVC_SELFTEST_H

/*
 * Runs the deliberate bug the boot option `selftest=NAME` names, if any,
 * before init reads its programs: a service function that overruns an
 * array, smashes its stack frame, overflows a checked copy, overruns a
 * heap object by one byte or reads one after freeing it. A bug that the
 * kernel should have stopped but did not powers off with status
 * SELFTEST_MISSED; the heap bugs, which only memcheck (or ASan) can see,
 * return and let the boot go on. An unknown NAME is reported and powers
 * off with status 1. Release builds (no KEEL_DEBUG) ignore the option.
 */
void selftest_run_requested(void);

#define SELFTEST_MISSED 3

#endif
