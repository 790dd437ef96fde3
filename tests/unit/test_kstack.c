/*
 * Unit tests of the hosted backend's kernel stacks (hal/hosted/kstack.c),
 * read from the host's own view, /proc/self/maps: a mapped stack is a
 * shared read/write mapping of the physical-memory file, the guard below
 * it is inaccessible, and an unmapped stack becomes inaccessible again.
 */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include <hal/hal.h>

#include "mm/frame.h"

/* The permission string ("rw-s") of the host mapping holding addr, into
 * perms[5]; false if no mapping holds it. */
static bool host_perms(const void *addr, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)addr;
	char line[512];
	bool found = false;

	ck_assert_ptr_nonnull(f);
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    a >= lo && a < hi)
			found = true;
	fclose(f);
	return found;
}

static void expect_perms(const void *addr, const char *want)
{
	char perms[5] = "";

	ck_assert_msg(host_perms(addr, perms), "no host mapping at %p", addr);
	ck_assert_str_eq(perms, want);
}

START_TEST(stack_is_mapped_and_guard_is_not)
{
	hal_paddr_t pa;
	char *stack;

	unit_boot_mm();
	pa = frame_alloc(2);
	ck_assert_uint_ne(pa, 0);
	stack = hal_kstack_map(pa);
	ck_assert_ptr_nonnull(stack);
	expect_perms(stack, "rw-s");
	expect_perms(stack + HAL_KSTACK_SIZE - 1, "rw-s");
	expect_perms(stack - 1, "---p");
	expect_perms(stack - HAL_KSTACK_GUARD, "---p");
	/* The same frames as the direct map's (written there only: memcheck
	 * does not know the views alias). */
	memset(hal_phys_to_virt(pa), 0x3c, HAL_KSTACK_SIZE);
	ck_assert_int_eq(stack[HAL_KSTACK_SIZE - 1], 0x3c);
	hal_kstack_unmap(stack);
	expect_perms(stack, "---p");
	frame_free(pa);
}
END_TEST

START_TEST(unmapped_slot_is_reused)
{
	hal_paddr_t pa;
	void *a, *b;

	unit_boot_mm();
	pa = frame_alloc(2);
	ck_assert_uint_ne(pa, 0);
	a = hal_kstack_map(pa);
	ck_assert_ptr_nonnull(a);
	hal_kstack_unmap(a);
	b = hal_kstack_map(pa);
	ck_assert_ptr_eq(a, b); /* the lowest free slot again */
	hal_kstack_unmap(b);
	frame_free(pa);
}
END_TEST

static Suite *kstack_suite(void)
{
	Suite *s = suite_create("kstack");
	TCase *tc = tcase_create("hosted");

	tcase_add_test(tc, stack_is_mapped_and_guard_is_not);
	tcase_add_test(tc, unmapped_slot_is_reused);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(kstack_suite);
