/*
 * Check-based unit tests of core and service internals, run on the hosted
 * build under Valgrind. Each test_<unit>.c defines a function returning its
 * Suite and registers it with UNIT_SUITE(fn); tests/unit/main.c runs them.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <check.h>

struct unit_suite {
	const char *file; /* tests/unit/test_<unit>.c: the unit's name */
	Suite *(*make)(void);
};

/* Registers fn's suite under the unit named by this file (test_vm.c: vm),
 * the name `unit-tests GLOB...` and `keel test unit GLOB` select by. */
#define UNIT_SUITE(fn)                                                  \
	static const struct unit_suite unit_suite_##fn                  \
		__attribute__((used, section("keel_unit_suites"),       \
			       aligned(8))) = { __FILE__, fn }

/*
 * Gives the test process physical memory (mem_bytes of it) and brings up
 * the frame allocator and the kernel heap on it, as boot would. Safe to
 * call from every test: the first call does the work. Returns the free
 * frame count right after setup.
 */
size_t unit_boot_mm(void);

#define UNIT_PHYS_BYTES (64ul << 20)

#endif
