/*
 * Unit tests of the kernel heap (core/mm/heap.c): size classes and large
 * allocations, zeroing and overflow, slab pages going back to the frame
 * allocator, exhaustion, and the debug checks (poison, use after free,
 * double free, foreign pointers) through the _checked variants.
 */
#include "unit.h"
#include "mm_fixtures.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hal/memdebug.h>

#include "mm/frame.h"
#include "mm/heap.h"

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/vm.h>

START_TEST(small_sizes_get_their_class)
{
	static const size_t sizes[] = { 1,   15,  16,  17,   31,   32,  33,
					100, 128, 129, 500,  512,  513, 1000,
					1024, 1025, 2000, 2047, 2048 };

	unit_boot_mm();
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t want = 16;
		char *p;

		while (want < sizes[i])
			want *= 2;
		p = kmalloc(sizes[i]);
		ck_assert_ptr_nonnull(p);
		ck_assert_uint_eq(heap_object_size(p), want);
		/* Objects are aligned to their class size. */
		ck_assert_uint_eq((uintptr_t)p % want, 0);
		memset(p, 0x5a, sizes[i]);
		kfree(p);
	}
}
END_TEST

/* Checks that the size bytes at p all still hold v, then frees p. */
static void check_and_free(unsigned char *p, size_t size, unsigned char v)
{
	for (size_t j = 0; j < size; j++)
		ck_assert_uint_eq(p[j], v);
	kfree(p);
}

START_TEST(objects_do_not_overlap)
{
	enum { N = 600 };
	unsigned char *p[N];
	size_t size[N];
	size_t frames = (unit_boot_mm(), frames_free());
	size_t slabs = heap_slab_pages();

	srand(7);
	for (int i = 0; i < N; i++) {
		size[i] = 1 + (size_t)rand() % (i % 10 == 0 ? 9000 : 700);
		p[i] = kmalloc(size[i]);
		ck_assert_ptr_nonnull(p[i]);
		memset(p[i], i & 0xff, size[i]);
	}
	/* Even ones first, then odd ones: pages empty out in any order. */
	for (int i = 0; i < N; i += 2)
		check_and_free(p[i], size[i], (unsigned char)i);
	for (int i = 1; i < N; i += 2)
		check_and_free(p[i], size[i], (unsigned char)i);
	/* Empty slab pages went back to the frame allocator. */
	ck_assert_uint_eq(heap_slab_pages(), slabs);
	ck_assert_uint_eq(frames_free(), frames);
}
END_TEST

START_TEST(zero_size_gives_distinct_objects)
{
	void *a, *b;

	unit_boot_mm();
	a = kmalloc(0);
	b = kmalloc(0);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_ne(a, b);
	kfree(a);
	kfree(b);
	kfree(NULL);
	ck_assert_int_eq(kfree_checked(NULL), 0);
}
END_TEST

START_TEST(kzalloc_and_kcalloc_zero)
{
	unsigned char *keep, *p;

	unit_boot_mm();
	/* Dirty an object, free it and get it back through kzalloc. */
	keep = kmalloc(200);
	p = kmalloc(200);
	memset(p, 0xff, 200);
	kfree(p);
	p = kzalloc(200);
	ck_assert_ptr_nonnull(p);
	for (int i = 0; i < 200; i++)
		ck_assert_uint_eq(p[i], 0);
	kfree(p);
	p = kcalloc(25, 8);
	ck_assert_ptr_nonnull(p);
	for (int i = 0; i < 200; i++)
		ck_assert_uint_eq(p[i], 0);
	kfree(p);
	p = kzalloc(3 * HAL_PAGE_SIZE);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < 3 * HAL_PAGE_SIZE; i++)
		ck_assert_uint_eq(p[i], 0);
	kfree(p);
	kfree(keep);
}
END_TEST

START_TEST(kcalloc_overflow_is_null)
{
	size_t frames = (unit_boot_mm(), frames_free());

	ck_assert_ptr_null(kcalloc(SIZE_MAX / 2 + 1, 2));
	ck_assert_ptr_null(kcalloc(2, SIZE_MAX / 2 + 1));
	ck_assert_ptr_null(kcalloc(SIZE_MAX, SIZE_MAX));
	ck_assert_ptr_null(kcalloc((size_t)1 << 33, (size_t)1 << 31));
	ck_assert_uint_eq(frames_free(), frames);
}
END_TEST

START_TEST(kstrdup_copies)
{
	char *a, *b, *big;
	char longer[3000];

	unit_boot_mm();
	a = kstrdup("keel");
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(a, "keel");
	b = kstrdup("");
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b, "");
	memset(longer, 'x', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	big = kstrdup(longer);
	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_ne(big, longer);
	ck_assert_str_eq(big, longer);
	kfree(a);
	kfree(b);
	kfree(big);
}
END_TEST

START_TEST(large_allocations_take_frame_runs)
{
	size_t frames = (unit_boot_mm(), frames_free());
	char *p;

	p = kmalloc(3 * HAL_PAGE_SIZE); /* order 2: four frames */
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq((uintptr_t)p % HAL_PAGE_SIZE, 0);
	ck_assert_uint_eq(frames_free(), frames - 4);
	ck_assert_uint_eq(heap_object_size(p), 4 * HAL_PAGE_SIZE);
	memset(p, 1, 3 * HAL_PAGE_SIZE);
	kfree(p);
	ck_assert_uint_eq(frames_free(), frames);
	p = kmalloc(HEAP_MAX_SMALL + 1); /* just past the classes: a frame */
	ck_assert_uint_eq(frames_free(), frames - 1);
	kfree(p);
	/* Larger than the largest frame block. */
	ck_assert_ptr_null(kmalloc((HAL_PAGE_SIZE << FRAME_MAX_ORDER) + 1));
	/* kmalloc is alloc_size: GCC knows SIZE_MAX cannot be an object and
	 * says so, but asking anyway is the test. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Walloc-size-larger-than="
	ck_assert_ptr_null(kmalloc(SIZE_MAX));
#pragma GCC diagnostic pop
	ck_assert_uint_eq(frames_free(), frames);
}
END_TEST

START_TEST(freed_objects_are_poisoned)
{
	unsigned char *keep, *p;
	size_t size;

	unit_boot_mm();
	keep = kmalloc(64); /* keeps the page alive after p is freed */
	p = kmalloc(64);
	size = heap_object_size(p);
	memset(p, 0, size);
	kfree(p);
	/* Past the two-byte free-chain link, all poison. The read of the
	 * free object is deliberate: tell the memory checkers. */
	hal_memdebug_defined(p, size);
	for (size_t i = 2; i < size; i++)
		ck_assert_uint_eq(p[i], HEAP_POISON);
	hal_memdebug_noaccess(p, size);
	kfree(keep);
}
END_TEST

START_TEST(use_after_free_is_caught_on_reuse)
{
	unsigned char *keep, *p;
	void *again;

	unit_boot_mm();
	keep = kmalloc(128);
	p = kmalloc(128);
	kfree(p);
	hal_memdebug_defined(p + 77, 1); /* a deliberate bug, not memcheck's */
	p[77] = 0x12;                    /* the bug */
	hal_memdebug_noaccess(p + 77, 1);
	ck_assert_int_eq(kmalloc_checked(128, &again), -EFAULT);
	ck_assert_ptr_eq(again, p); /* handed out anyway, so it can be freed */
	kfree(again);
	/* Clean reuse passes the check. */
	ck_assert_int_eq(kmalloc_checked(128, &again), 0);
	ck_assert_ptr_eq(again, p);
	kfree(again);
	kfree(keep);
}
END_TEST

START_TEST(double_free_is_caught)
{
	void *keep, *p, *a, *b;

	unit_boot_mm();
	keep = kmalloc(32);
	p = kmalloc(32);
	ck_assert_int_eq(kfree_checked(p), 0);
	ck_assert_int_eq(kfree_checked(p), -ENOENT);
	/* The chain is intact: two allocations give two objects. */
	a = kmalloc(32);
	b = kmalloc(32);
	ck_assert_ptr_ne(a, b);
	kfree(a);
	kfree(b);
	/* A large block freed twice is refused too. */
	p = kmalloc(2 * HAL_PAGE_SIZE);
	ck_assert_int_eq(kfree_checked(p), 0);
	ck_assert_int_eq(kfree_checked(p), -EINVAL);
	kfree(keep);
}
END_TEST

START_TEST(foreign_pointers_are_refused)
{
	size_t frames = (unit_boot_mm(), frames_free());
	char *small, *large, *raw;
	hal_paddr_t pa;
	int local;
	static int global;

	small = kmalloc(32);
	large = kmalloc(2 * HAL_PAGE_SIZE);
	pa = frame_alloc(0);
	raw = hal_phys_to_virt(pa);
	ck_assert_int_eq(kfree_checked(&local), -EINVAL);
	ck_assert_int_eq(kfree_checked(&global), -EINVAL);
	ck_assert_int_eq(kfree_checked(raw), -EINVAL); /* a frame, not heap */
	ck_assert_int_eq(kfree_checked(small + 1), -EINVAL);
	ck_assert_int_eq(kfree_checked(small + 16), -EINVAL);
	ck_assert_int_eq(kfree_checked(large + 8), -EINVAL);
	ck_assert_int_eq(kfree_checked(large + HAL_PAGE_SIZE), -EINVAL);
	/* Neither is a heap object, so neither has a size. */
	ck_assert_uint_eq(heap_object_size(raw), 0);
	ck_assert_uint_eq(heap_object_size(&local), 0);
	kfree(small);
	kfree(large);
	frame_free(pa);
	ck_assert_uint_eq(frames_free(), frames);
}
END_TEST

START_TEST(exhaustion_returns_null)
{
	size_t frames = (unit_boot_mm(), frames_free());
	enum { MAX_OBJS = 4096 };
	void **objs = calloc(MAX_OBJS, sizeof(*objs));
	char name[HEAP_MAX_SMALL + 100];
	hal_paddr_t hoard;
	size_t n = 0;

	hoard = hoard_frames();
	ck_assert_uint_eq(frames_free(), 0);
	ck_assert_ptr_null(kmalloc(HEAP_MAX_SMALL + 1));
	ck_assert_ptr_null(kzalloc(5 * HAL_PAGE_SIZE));
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_ptr_null(kstrdup(name));
	/* Small objects last as long as partly used pages have room. */
	while (n < MAX_OBJS && (objs[n] = kmalloc(1024)) != NULL)
		n++;
	ck_assert_uint_lt(n, MAX_OBJS);
	ck_assert_ptr_null(kmalloc(1024));
	for (size_t i = 0; i < n; i++)
		kfree(objs[i]);
	release_frames(hoard, (size_t)-1);
	ck_assert_uint_eq(frames_free(), frames);
	/* And the heap works again. */
	objs[0] = kmalloc(1024);
	ck_assert_ptr_nonnull(objs[0]);
	kfree(objs[0]);
	free(objs);
}
END_TEST

static Suite *test_heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *tc = tcase_create("kmalloc");

	tcase_add_test(tc, small_sizes_get_their_class);
	tcase_add_test(tc, objects_do_not_overlap);
	tcase_add_test(tc, zero_size_gives_distinct_objects);
	tcase_add_test(tc, kzalloc_and_kcalloc_zero);
	tcase_add_test(tc, kcalloc_overflow_is_null);
	tcase_add_test(tc, kstrdup_copies);
	tcase_add_test(tc, large_allocations_take_frame_runs);
	tcase_add_test(tc, freed_objects_are_poisoned);
	tcase_add_test(tc, use_after_free_is_caught_on_reuse);
	tcase_add_test(tc, double_free_is_caught);
	tcase_add_test(tc, foreign_pointers_are_refused);
	tcase_add_test(tc, exhaustion_returns_null);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(test_heap_suite);
