/*
 * Unit tests of the physical frame allocator (core/mm/frame.c): private
 * pools built over a block taken from the global pool, so that exhaustion,
 * fragmentation and bad frees can be driven exactly, plus the global
 * pool's frame_alloc / frames_free.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "mm/frame.h"

#include <keel/errno.h>
#include <keel/vm.h>

/* A private pool over one block of 2^order frames of the global pool. */
struct test_pool {
	struct frame_pool pool;
	hal_paddr_t base;
	unsigned order;
};

static void test_pool_make(struct test_pool *tp, unsigned order)
{
	struct hal_mem_region r;

	unit_boot_mm();
	tp->order = order;
	tp->base = frame_alloc(order);
	ck_assert(tp->base != 0);
	r.base = tp->base;
	r.size = HAL_PAGE_SIZE << order;
	ck_assert_int_eq(frame_pool_init(&tp->pool, &r, 1), 0);
}

static void test_pool_drop(struct test_pool *tp)
{
	frame_free(tp->base);
}

/* Frames the metadata of n frames takes. */
static size_t meta_frames(size_t n)
{
	return (n * sizeof(struct frame) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
}

START_TEST(pool_keeps_its_metadata_in_the_region)
{
	struct test_pool tp;
	size_t n = 1ul << 8;

	test_pool_make(&tp, 8);
	ck_assert_uint_eq(sizeof(struct frame), 32);
	ck_assert_uint_eq(tp.pool.ntotal, n - meta_frames(n));
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), tp.pool.ntotal);
	/* The metadata sits at the start of the region, frames after it. */
	ck_assert_ptr_eq(tp.pool.zones[0].meta, hal_phys_to_virt(tp.base));
	ck_assert_uint_eq(tp.pool.zones[0].base,
			  tp.base + meta_frames(n) * HAL_PAGE_SIZE);
	ck_assert_ptr_null(frame_pool_meta(&tp.pool, tp.base));
	ck_assert_ptr_nonnull(frame_pool_meta(&tp.pool,
					      tp.pool.zones[0].base));
	test_pool_drop(&tp);
}
END_TEST

START_TEST(pool_rejects_bad_regions)
{
	struct frame_pool pool;
	hal_paddr_t base;
	struct hal_mem_region r[2];

	unit_boot_mm();
	base = frame_alloc(4);
	ck_assert(base != 0);

	r[0] = (struct hal_mem_region){ base + 8, 8 * HAL_PAGE_SIZE };
	ck_assert_int_eq(frame_pool_init(&pool, r, 1), -EINVAL);
	r[0] = (struct hal_mem_region){ base, 8 * HAL_PAGE_SIZE + 100 };
	ck_assert_int_eq(frame_pool_init(&pool, r, 1), -EINVAL);
	/* Overlapping regions. */
	r[0] = (struct hal_mem_region){ base, 8 * HAL_PAGE_SIZE };
	r[1] = (struct hal_mem_region){ base + 4 * HAL_PAGE_SIZE,
					8 * HAL_PAGE_SIZE };
	ck_assert_int_eq(frame_pool_init(&pool, r, 2), -EINVAL);
	ck_assert_int_eq(frame_pool_init(&pool, r, HAL_MAX_MEM_REGIONS + 1),
			 -EINVAL);
	/* One frame cannot hold its metadata and a frame to manage. */
	r[0] = (struct hal_mem_region){ base, HAL_PAGE_SIZE };
	ck_assert_int_eq(frame_pool_init(&pool, r, 1), -ENOMEM);
	ck_assert_int_eq(frame_pool_init(&pool, r, 0), -ENOMEM);
	/* Two pages: one for metadata, one to hand out. */
	r[0] = (struct hal_mem_region){ base, 2 * HAL_PAGE_SIZE };
	ck_assert_int_eq(frame_pool_init(&pool, r, 1), 0);
	ck_assert_uint_eq(frame_pool_alloc(&pool, 0), base + HAL_PAGE_SIZE);
	ck_assert_uint_eq(frame_pool_alloc(&pool, 0), 0);
	frame_free(base);
}
END_TEST

START_TEST(blocks_are_aligned_and_disjoint)
{
	struct test_pool tp;
	hal_paddr_t got[FRAME_MAX_ORDER + 1] = { 0 };
	size_t before;

	test_pool_make(&tp, 9);
	before = frame_pool_free_count(&tp.pool);
	for (unsigned k = 0; k <= 7; k++) {
		hal_paddr_t pa = frame_pool_alloc(&tp.pool, k);
		struct frame *f;

		ck_assert(pa != 0);
		ck_assert_uint_eq(pa % (HAL_PAGE_SIZE << k), 0);
		f = frame_pool_meta(&tp.pool, pa);
		ck_assert_uint_eq(f->order, k);
		ck_assert_uint_eq(f->refcount, 1);
		ck_assert(f->flags & FRAME_USED);
		for (unsigned j = 0; j < k; j++)
			ck_assert(got[j] + (HAL_PAGE_SIZE << j) <= pa ||
				  pa + (HAL_PAGE_SIZE << k) <= got[j]);
		got[k] = pa;
	}
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), before - 255);
	for (unsigned k = 0; k <= 7; k++)
		ck_assert_int_eq(frame_pool_free_checked(&tp.pool, got[k]), 0);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), before);
	ck_assert_uint_eq(frame_pool_alloc(&tp.pool, FRAME_MAX_ORDER + 1), 0);
	test_pool_drop(&tp);
}
END_TEST

START_TEST(exhaustion_returns_zero_then_recovers)
{
	struct test_pool tp;
	size_t total, n = 0;
	hal_paddr_t *pas;

	test_pool_make(&tp, 7);
	total = frame_pool_free_count(&tp.pool);
	pas = calloc(total + 1, sizeof(*pas));
	while ((pas[n] = frame_pool_alloc(&tp.pool, 0)) != 0) {
		ck_assert_uint_lt(n, total);
		n++;
	}
	ck_assert_uint_eq(n, total);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), 0);
	ck_assert_uint_eq(frame_pool_alloc(&tp.pool, 0), 0);
	ck_assert_uint_eq(frame_pool_alloc(&tp.pool, 3), 0);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, pas[n / 2]), 0);
	/* One frame back: order 0 works again, order 1 still does not. */
	ck_assert_uint_eq(frame_pool_alloc(&tp.pool, 1), 0);
	ck_assert_uint_eq(frame_pool_alloc(&tp.pool, 0), pas[n / 2]);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(frame_pool_free_checked(&tp.pool, pas[i]), 0);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), total);
	free(pas);
	test_pool_drop(&tp);
}
END_TEST

/* How many blocks each free list holds. */
static void free_list_lengths(struct frame_pool *pool, size_t *len)
{
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++) {
		struct list_head *pos;

		len[k] = 0;
		list_for_each(pos, &pool->free_lists[k])
			len[k]++;
	}
}

START_TEST(fragmentation_then_coalescing)
{
	struct test_pool tp;
	size_t total, n = 0, freed = 0;
	size_t before[FRAME_MAX_ORDER + 1], after[FRAME_MAX_ORDER + 1];
	hal_paddr_t *pas, extra;

	test_pool_make(&tp, 7);
	total = frame_pool_free_count(&tp.pool);
	free_list_lengths(&tp.pool, before);
	pas = calloc(total, sizeof(*pas));
	for (n = 0; n < total; n++) {
		pas[n] = frame_pool_alloc(&tp.pool, 0);
		ck_assert(pas[n] != 0);
	}
	/* Free every frame with an even frame number: each one's buddy is
	 * still allocated, so nothing can merge. */
	for (size_t i = 0; i < n; i++) {
		if ((pas[i] >> HAL_PAGE_SHIFT) % 2 == 0) {
			ck_assert_int_eq(
				frame_pool_free_checked(&tp.pool, pas[i]), 0);
			pas[i] = 0;
			freed++;
		}
	}
	ck_assert_uint_ge(freed, total / 2 - 1);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), freed);
	ck_assert_uint_eq(frame_pool_alloc(&tp.pool, 1), 0);
	/* Order 0 is still there. */
	extra = frame_pool_alloc(&tp.pool, 0);
	ck_assert(extra != 0);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, extra), 0);
	/* Freeing the buddies merges everything back. */
	for (size_t i = 0; i < n; i++)
		if (pas[i])
			ck_assert_int_eq(
				frame_pool_free_checked(&tp.pool, pas[i]), 0);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), total);
	free_list_lengths(&tp.pool, after);
	for (unsigned k = 0; k <= FRAME_MAX_ORDER; k++)
		ck_assert_uint_eq(after[k], before[k]);
	/* The largest block the region can hold is whole again. */
	extra = frame_pool_alloc(&tp.pool, 6);
	ck_assert(extra != 0);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, extra), 0);
	free(pas);
	test_pool_drop(&tp);
}
END_TEST

START_TEST(double_free_is_refused)
{
	struct test_pool tp;
	hal_paddr_t a, b;
	size_t free_now;

	test_pool_make(&tp, 6);
	a = frame_pool_alloc(&tp.pool, 0);
	b = frame_pool_alloc(&tp.pool, 2);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, a), 0);
	free_now = frame_pool_free_count(&tp.pool);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, a), -EINVAL);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, b), 0);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, b), -EINVAL);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), free_now + 4);
	test_pool_drop(&tp);
}
END_TEST

START_TEST(free_of_frame_never_allocated_is_refused)
{
	struct test_pool tp;
	struct frame_zone *z;
	size_t total;

	test_pool_make(&tp, 6);
	z = &tp.pool.zones[0];
	total = frame_pool_free_count(&tp.pool);
	/* Every managed frame: heads of free blocks and frames inside. */
	for (size_t i = 0; i < z->nframes; i++)
		ck_assert_int_eq(frame_pool_free_checked(
					 &tp.pool, z->base + i * HAL_PAGE_SIZE),
				 -EINVAL);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), total);
	test_pool_drop(&tp);
}
END_TEST

START_TEST(misaligned_and_foreign_frees_are_refused)
{
	struct test_pool tp;
	hal_paddr_t blk;
	size_t free_now;

	test_pool_make(&tp, 6);
	blk = frame_pool_alloc(&tp.pool, 2);
	ck_assert(blk != 0);
	free_now = frame_pool_free_count(&tp.pool);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, blk + 8), -EINVAL);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, blk + 1), -EINVAL);
	/* A frame inside the block is not its head. */
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool,
						 blk + HAL_PAGE_SIZE),
			 -EINVAL);
	/* The metadata frame, the frame past the region, and 0. */
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, tp.base), -EINVAL);
	ck_assert_int_eq(frame_pool_free_checked(
				 &tp.pool, tp.base + (HAL_PAGE_SIZE << 6)),
			 -EINVAL);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, 0), -EINVAL);
	ck_assert_int_eq(frame_pool_put_checked(&tp.pool, blk + 4), -EINVAL);
	ck_assert_int_eq(frame_pool_get_checked(&tp.pool, 0), -EINVAL);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), free_now);
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, blk), 0);
	test_pool_drop(&tp);
}
END_TEST

START_TEST(refcounts_share_and_release)
{
	struct test_pool tp;
	hal_paddr_t pa;
	size_t total;

	test_pool_make(&tp, 5);
	total = frame_pool_free_count(&tp.pool);
	pa = frame_pool_alloc(&tp.pool, 1);
	ck_assert_int_eq(frame_pool_get_checked(&tp.pool, pa), 0);
	ck_assert_uint_eq(frame_pool_meta(&tp.pool, pa)->refcount, 2);
	/* Shared: freeing it outright is a bug. */
	ck_assert_int_eq(frame_pool_free_checked(&tp.pool, pa), -EBUSY);
	ck_assert_int_eq(frame_pool_put_checked(&tp.pool, pa), 0);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), total - 2);
	ck_assert_uint_eq(frame_pool_meta(&tp.pool, pa)->refcount, 1);
	ck_assert_int_eq(frame_pool_put_checked(&tp.pool, pa), 0);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), total);
	/* Gone: no more puts or gets. */
	ck_assert_int_eq(frame_pool_put_checked(&tp.pool, pa), -EINVAL);
	ck_assert_int_eq(frame_pool_get_checked(&tp.pool, pa), -EINVAL);
	ck_assert_uint_eq(frame_pool_free_count(&tp.pool), total);
	test_pool_drop(&tp);
}
END_TEST

START_TEST(multiple_regions_form_one_pool)
{
	struct frame_pool pool;
	struct hal_mem_region r[2];
	hal_paddr_t base, pa;
	size_t total, from_first = 0, from_second = 0;

	unit_boot_mm();
	base = frame_alloc(6);
	ck_assert(base != 0);
	/* Two regions with a hole between them. */
	r[0] = (struct hal_mem_region){ base, 16 * HAL_PAGE_SIZE };
	r[1] = (struct hal_mem_region){ base + 32 * HAL_PAGE_SIZE,
					32 * HAL_PAGE_SIZE };
	ck_assert_int_eq(frame_pool_init(&pool, r, 2), 0);
	ck_assert_uint_eq(pool.nzones, 2);
	total = frame_pool_free_count(&pool);
	ck_assert_uint_eq(total, 15 + 31);
	while ((pa = frame_pool_alloc(&pool, 0)) != 0) {
		ck_assert_ptr_nonnull(frame_pool_meta(&pool, pa));
		if (pa < base + 16 * HAL_PAGE_SIZE)
			from_first++;
		else if (pa >= base + 32 * HAL_PAGE_SIZE)
			from_second++;
		else
			ck_abort_msg("frame %#lx from the hole",
				     (unsigned long)pa);
	}
	ck_assert_uint_eq(from_first, 15);
	ck_assert_uint_eq(from_second, 31);
	/* The hole is not the pool's. */
	ck_assert_ptr_null(frame_pool_meta(&pool, base + 20 * HAL_PAGE_SIZE));
	frame_free(base);
}
END_TEST

START_TEST(global_pool_and_frames_free)
{
	size_t baseline = unit_boot_mm();
	size_t start = frames_free();
	hal_paddr_t pa, big;
	unsigned char *p;

	ck_assert_uint_gt(baseline, 0);
	pa = frame_alloc(0);
	ck_assert(pa != 0);
	ck_assert_uint_eq(frames_free(), start - 1);
	memset(hal_phys_to_virt(pa), 0xee, HAL_PAGE_SIZE);
	frame_free(pa);
	ck_assert_uint_eq(frames_free(), start);
	big = frame_alloc_zeroed(2);
	ck_assert(big != 0);
	ck_assert_uint_eq(frames_free(), start - 4);
	p = hal_phys_to_virt(big);
	for (size_t i = 0; i < 4 * HAL_PAGE_SIZE; i++)
		ck_assert_uint_eq(p[i], 0);
	ck_assert_uint_eq(frame_refcount(big), 1);
	frame_get(big);
	ck_assert_uint_eq(frame_refcount(big), 2);
	frame_put(big);
	frame_put(big);
	ck_assert_uint_eq(frame_refcount(big), 0);
	ck_assert_uint_eq(frames_free(), start);
}
END_TEST

START_TEST(virtual_addresses_map_back_to_frames)
{
	hal_paddr_t pa, got = 0;
	char *p;
	int local;

	unit_boot_mm();
	pa = frame_alloc(1);
	ck_assert(pa != 0);
	p = hal_phys_to_virt(pa);
	ck_assert_ptr_eq(frame_meta_of_virt(p, &got), frame_meta(pa));
	ck_assert_uint_eq(got, pa);
	ck_assert_ptr_eq(frame_meta_of_virt(p + HAL_PAGE_SIZE + 5, &got),
			 frame_meta(pa + HAL_PAGE_SIZE));
	ck_assert_uint_eq(got, pa + HAL_PAGE_SIZE + 5);
	ck_assert_uint_eq(frame_pa(frame_meta(pa)), pa);
	ck_assert_ptr_null(frame_meta_of_virt(&local, NULL));
	ck_assert_ptr_null(frame_meta_of_virt(NULL, NULL));
	frame_free(pa);
}
END_TEST

static Suite *test_frame_suite(void)
{
	Suite *s = suite_create("frame");
	TCase *tc = tcase_create("buddy");

	tcase_add_test(tc, pool_keeps_its_metadata_in_the_region);
	tcase_add_test(tc, pool_rejects_bad_regions);
	tcase_add_test(tc, blocks_are_aligned_and_disjoint);
	tcase_add_test(tc, exhaustion_returns_zero_then_recovers);
	tcase_add_test(tc, fragmentation_then_coalescing);
	tcase_add_test(tc, double_free_is_refused);
	tcase_add_test(tc, free_of_frame_never_allocated_is_refused);
	tcase_add_test(tc, misaligned_and_foreign_frees_are_refused);
	tcase_add_test(tc, refcounts_share_and_release);
	tcase_add_test(tc, multiple_regions_form_one_pool);
	tcase_add_test(tc, global_pool_and_frames_free);
	tcase_add_test(tc, virtual_addresses_map_back_to_frames);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(test_frame_suite);
