/*
 * Unit tests of what the kernel heap and the frame allocator tell the
 * memory checkers (<hal/memdebug.h>, docs/hal.md "Memory debugging"):
 * under memcheck, a kmalloc object is addressable for exactly its
 * requested size, the rest of its slot and a freed object are not, and
 * free frames are not. Read with VALGRIND_GET_VBITS, which reports
 * unaddressable bytes without counting an error. The unit suite always
 * runs under memcheck; run natively, these tests have nothing to look at
 * and pass without checking.
 */
#include "unit.h"

#include <valgrind/memcheck.h>

#include <hal/hal.h>

#include "mm/frame.h"
#include "mm/heap.h"

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>

#define VBITS_OK 1
#define VBITS_UNADDRESSABLE 3

/* VALGRIND_GET_VBITS of [p, p+n) (n <= 64): VBITS_OK, or
 * VBITS_UNADDRESSABLE if any byte is not addressable. */
static unsigned vbits(const void *p, size_t n, unsigned char *bits)
{
	return (unsigned)VALGRIND_GET_VBITS(p, bits, n);
}

static bool addressable(const void *p, size_t n)
{
	unsigned char bits[64];

	return vbits(p, n, bits) == VBITS_OK;
}

/* Every byte of [p, p+n) addressable and undefined (vbits all ones). */
static bool fresh(const void *p, size_t n)
{
	unsigned char bits[64];

	if (vbits(p, n, bits) != VBITS_OK)
		return false;
	for (size_t i = 0; i < n; i++)
		if (bits[i] != 0xff)
			return false;
	return true;
}

START_TEST(object_is_exactly_its_requested_size)
{
	char *p;

	if (!RUNNING_ON_VALGRIND)
		return;
	unit_boot_mm();
	p = kmalloc(13);
	ck_assert_ptr_nonnull(p);
	ck_assert(heap_object_size(p) > 13); /* the slot has slack */
	ck_assert(fresh(p, 13));             /* kmalloc does not zero */
	ck_assert(!addressable(p + 13, 1));
	ck_assert(!addressable(p + heap_object_size(p) - 1, 1));
	memset(p, 1, 13);
	ck_assert(addressable(p, 13));
	kfree(p);
	ck_assert(!addressable(p, 1));
}
END_TEST

START_TEST(large_object_is_exactly_its_requested_size)
{
	size_t size = HAL_PAGE_SIZE + 5;
	char *p;

	if (!RUNNING_ON_VALGRIND)
		return;
	unit_boot_mm();
	p = kmalloc(size);
	ck_assert_ptr_nonnull(p);
	ck_assert(fresh(p + size - 8, 8));
	ck_assert(!addressable(p + size, 1));
	kfree(p);
	ck_assert(!addressable(p, 1));
}
END_TEST

START_TEST(free_frames_are_no_access)
{
	hal_paddr_t pa;
	char *page;

	if (!RUNNING_ON_VALGRIND)
		return;
	unit_boot_mm();
	pa = frame_alloc(0);
	ck_assert(pa != 0);
	page = hal_phys_to_virt(pa);
	ck_assert(fresh(page, 64));
	ck_assert(fresh(page + HAL_PAGE_SIZE - 64, 64));
	frame_free(pa);
	ck_assert(!addressable(page, 1));
	ck_assert(!addressable(page + HAL_PAGE_SIZE - 1, 1));
}
END_TEST

/* The heap's own reads and writes of free objects (links, poison, the
 * double-free walk) must not be reported: a run of frees and reuses in
 * one slab page passes under memcheck only if they are bracketed. */
START_TEST(heap_internals_touch_free_objects_silently)
{
	void *objs[8];

	if (!RUNNING_ON_VALGRIND)
		return;
	unit_boot_mm();
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < 8; i++)
			objs[i] = kmalloc(40);
		for (size_t i = 0; i < 8; i += 2)
			kfree(objs[i]);
		ck_assert_int_eq(kfree_checked(objs[0]), -ENOENT);
		for (size_t i = 1; i < 8; i += 2)
			kfree(objs[i]);
	}
	ck_assert_uint_eq(VALGRIND_COUNT_ERRORS, 0);
}
END_TEST

static Suite *memdebug_suite(void)
{
	Suite *s = suite_create("memdebug");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, object_is_exactly_its_requested_size);
	tcase_add_test(tc, large_object_is_exactly_its_requested_size);
	tcase_add_test(tc, free_frames_are_no_access);
	tcase_add_test(tc, heap_internals_touch_free_objects_silently);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(memdebug_suite);
