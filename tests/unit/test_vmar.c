/*
 * Unit tests of the user memory regions (services/mm/): adding and
 * looking up regions with their refusals (unaligned, empty, outside the
 * user range, overlapping), the demand-zero fault handler, and brk with
 * Linux semantics: growth, shrinking that really releases pages, and
 * requests it must ignore (below the start, too high, into a neighbour).
 */
#include "unit.h"
#include "mm_fixtures.h"

#include "mm/mm.h"

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/vmar.h>

#define BASE 0x10000000ul
#define RW (VM_READ | VM_WRITE)

static bool mapped(struct space *s, uintptr_t va)
{
	unsigned prot;

	return vm_query(s->vs, va, &prot) == 0;
}

START_TEST(regions_are_checked)
{
	uintptr_t max = ALIGN_DOWN(user_va_max(), PAGE_SIZE);
	struct vmar_region r;
	struct space s;

	space_open(&s);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE, BASE + 4 * PAGE_SIZE, RW,
				  VMAR_ANON), 0);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE + 1, BASE + PAGE_SIZE, RW,
				  VMAR_ANON), -EINVAL);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE, BASE, RW, VMAR_ANON),
			 -EINVAL);
	ck_assert_int_eq(vmar_add(&s.vmar, 0, PAGE_SIZE, RW, VMAR_ANON),
			 -EINVAL);
	ck_assert_int_eq(vmar_add(&s.vmar, max, max + PAGE_SIZE, RW,
				  VMAR_ANON), -EINVAL);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE + 3 * PAGE_SIZE,
				  BASE + 5 * PAGE_SIZE, RW, VMAR_ANON),
			 -EEXIST);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE - PAGE_SIZE,
				  BASE + 5 * PAGE_SIZE, RW, VMAR_ANON),
			 -EEXIST);
	/* Neighbours on both sides are fine, and lookups find each. */
	ck_assert_int_eq(vmar_add(&s.vmar, BASE + 4 * PAGE_SIZE,
				  BASE + 5 * PAGE_SIZE, VM_READ, VMAR_IMAGE),
			 0);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE - PAGE_SIZE, BASE, RW,
				  VMAR_ANON), 0);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 4 * PAGE_SIZE - 1, &r),
			 0);
	ck_assert_uint_eq(r.start, BASE);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 4 * PAGE_SIZE, &r), 0);
	ck_assert_int_eq(r.kind, VMAR_IMAGE);
	ck_assert_uint_eq(r.prot, VM_READ);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE - 1, &r), 0);
	ck_assert_uint_eq(r.end, BASE);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 5 * PAGE_SIZE, &r),
			 -ENOENT);
	space_close(&s);
}
END_TEST

START_TEST(faults_fill_only_anonymous_regions)
{
	struct space s;
	uint32_t word = 7;

	space_open(&s);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE, BASE + 64 * PAGE_SIZE, RW,
				  VMAR_ANON), 0);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE + 64 * PAGE_SIZE,
				  BASE + 65 * PAGE_SIZE, RW, VMAR_IMAGE), 0);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE + 65 * PAGE_SIZE,
				  BASE + 66 * PAGE_SIZE, VM_READ, VMAR_ANON),
			 0);
	ck_assert_int_eq(vmar_fault(s.vs, BASE + 20 * PAGE_SIZE + 4,
				    USER_ACCESS_WRITE, &s.vmar), 0);
	ck_assert(mapped(&s, BASE + 20 * PAGE_SIZE));
	ck_assert_int_eq(vm_read(s.vs, BASE + 20 * PAGE_SIZE + 4, &word, 4),
			 0);
	ck_assert_uint_eq(word, 0);
	/* Fault-around stays inside its region. */
	ck_assert_int_eq(vmar_fault(s.vs, BASE + 63 * PAGE_SIZE,
				    USER_ACCESS_READ, &s.vmar), 0);
	ck_assert(!mapped(&s, BASE + 64 * PAGE_SIZE));
	/* Image regions are never filled; read-only ones refuse writes. */
	ck_assert_int_eq(vmar_fault(s.vs, BASE + 64 * PAGE_SIZE,
				    USER_ACCESS_READ, &s.vmar), -EFAULT);
	ck_assert_int_eq(vmar_fault(s.vs, BASE + 65 * PAGE_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), -EFAULT);
	ck_assert_int_eq(vmar_fault(s.vs, BASE + 65 * PAGE_SIZE,
				    USER_ACCESS_READ, &s.vmar), 0);
	/* A fault on a present page is about protection: refused. */
	ck_assert_int_eq(vmar_fault(s.vs, BASE + 65 * PAGE_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), -EFAULT);
	/* Another space's faults are not ours. */
	ck_assert_int_eq(vmar_fault(NULL, BASE, USER_ACCESS_READ, &s.vmar),
			 -EFAULT);
	space_close(&s);
}
END_TEST

START_TEST(brk_grows_and_shrinks)
{
	uintptr_t start = BASE, cur;
	struct vmar_region r;
	struct space s;

	space_open(&s);
	ck_assert_uint_eq(vmar_brk(&s.vmar, 0), 0); /* no break yet */
	ck_assert_int_eq(vmar_brk_init(&s.vmar, start + 1), -EINVAL);
	ck_assert_int_eq(vmar_brk_init(&s.vmar, start), 0);
	ck_assert_uint_eq(vmar_brk(&s.vmar, 0), start);
	cur = vmar_brk(&s.vmar, start + 3 * PAGE_SIZE + 5);
	ck_assert_uint_eq(cur, start + 3 * PAGE_SIZE + 5);
	ck_assert_int_eq(vmar_lookup(&s.vmar, start, &r), 0);
	ck_assert_uint_eq(r.end, start + 4 * PAGE_SIZE);
	ck_assert_int_eq(vmar_fault(s.vs, start + 3 * PAGE_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), 0);
	ck_assert(mapped(&s, start));
	/* Shrinking releases whole pages above the new break. */
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + 10), start + 10);
	ck_assert(mapped(&s, start));
	ck_assert(!mapped(&s, start + PAGE_SIZE));
	ck_assert(!mapped(&s, start + 3 * PAGE_SIZE));
	ck_assert_int_eq(vmar_fault(s.vs, start + 2 * PAGE_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), -EFAULT);
	/* Requests that must leave the break alone. */
	ck_assert_uint_eq(vmar_brk(&s.vmar, start - 1), start + 10);
	ck_assert_uint_eq(vmar_brk(&s.vmar, user_va_max() + PAGE_SIZE),
			  start + 10);
	ck_assert_uint_eq(vmar_brk(&s.vmar, ~0ul), start + 10);
	ck_assert_int_eq(vmar_add(&s.vmar, start + 8 * PAGE_SIZE,
				  start + 9 * PAGE_SIZE, RW, VMAR_ANON), 0);
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + 8 * PAGE_SIZE + 1),
			  start + 10);
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + 8 * PAGE_SIZE),
			  start + 8 * PAGE_SIZE);
	/* Back to the start: the region goes away. */
	ck_assert_uint_eq(vmar_brk(&s.vmar, start), start);
	ck_assert_int_eq(vmar_lookup(&s.vmar, start, &r), -ENOENT);
	ck_assert(!mapped(&s, start));
	space_close(&s);
}
END_TEST

/* mprotect splits the break's region; brk must still shrink and grow
 * across the pieces. */
START_TEST(brk_survives_protect_splitting_it)
{
	uintptr_t start = BASE;
	struct vmar_region r;
	struct space s;

	space_open(&s);
	ck_assert_int_eq(vmar_brk_init(&s.vmar, start), 0);
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + 4 * PAGE_SIZE),
			  start + 4 * PAGE_SIZE);
	ck_assert_int_eq(vmar_protect(&s.vmar, start + PAGE_SIZE, PAGE_SIZE,
				      VM_READ),
			 0);
	/* Grows from the last piece, across it after a shrink into it. */
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + 6 * PAGE_SIZE),
			  start + 6 * PAGE_SIZE);
	ck_assert_int_eq(vmar_lookup(&s.vmar, start + 5 * PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.start, start + 2 * PAGE_SIZE);
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + PAGE_SIZE + 1),
			  start + PAGE_SIZE + 1);
	ck_assert_int_eq(vmar_lookup(&s.vmar, start + 2 * PAGE_SIZE, &r),
			 -ENOENT);
	ck_assert_int_eq(vmar_lookup(&s.vmar, start + PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.prot, VM_READ);
	/* The read-only last piece is not extended: a new RW one follows. */
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + 3 * PAGE_SIZE),
			  start + 3 * PAGE_SIZE);
	ck_assert_int_eq(vmar_lookup(&s.vmar, start + 2 * PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.prot, RW);
	ck_assert_int_eq(vmar_fault(s.vs, start + 2 * PAGE_SIZE,
				    USER_ACCESS_WRITE, &s.vmar), 0);
	/* Back to the start: every piece goes. */
	ck_assert_uint_eq(vmar_brk(&s.vmar, start), start);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(vmar_lookup(&s.vmar, start + i * PAGE_SIZE,
					     &r),
				 -ENOENT);
	ck_assert_uint_eq(vmar_brk(&s.vmar, start + PAGE_SIZE),
			  start + PAGE_SIZE);
	space_close(&s);
}
END_TEST

START_TEST(protect_is_linux_mprotect)
{
	struct vmar_region r;
	struct space s;
	unsigned prot;

	space_open(&s);
	/* [BASE, +3 pages) anonymous, a gap, then one more page. */
	ck_assert_int_eq(vmar_add(&s.vmar, BASE, BASE + 3 * PAGE_SIZE, RW,
				  VMAR_ANON), 0);
	ck_assert_int_eq(vmar_add(&s.vmar, BASE + 4 * PAGE_SIZE,
				  BASE + 5 * PAGE_SIZE, RW, VMAR_ANON), 0);
	ck_assert_int_eq(vm_resolve_fault(s.vs, BASE, USER_ACCESS_WRITE), 0);
	/* Starting in no region: -ENOMEM, nothing changes. */
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE + 3 * PAGE_SIZE,
				      2 * PAGE_SIZE, VM_READ),
			 -ENOMEM);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 4 * PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.prot, RW);
	/* A gap inside: as Linux, what comes before it changes, then
	 * -ENOMEM; what follows it does not. */
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE + 2 * PAGE_SIZE,
				      3 * PAGE_SIZE, VM_EXEC),
			 -ENOMEM);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 2 * PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.start, BASE + 2 * PAGE_SIZE);
	ck_assert_uint_eq(r.prot, VM_EXEC);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 4 * PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.prot, RW);
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE + 2 * PAGE_SIZE, PAGE_SIZE,
				      RW),
			 0);
	ck_assert_int_eq(vm_query(s.vs, BASE, &prot), 0);
	ck_assert_uint_eq(prot, RW);
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE + 1, PAGE_SIZE, VM_READ),
			 -EINVAL);
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE, PAGE_SIZE, 8), -EINVAL);
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE, (size_t)0 - PAGE_SIZE,
				      VM_READ),
			 -ENOMEM);
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE, 0, VM_READ), 0);
	/* Over a present page and holes (demand paging): fine. The middle
	 * of the first region only: it splits in three. */
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE, 2 * PAGE_SIZE - 100,
				      VM_READ),
			 0);
	ck_assert_int_eq(vm_query(s.vs, BASE, &prot), 0);
	ck_assert_uint_eq(prot, VM_READ);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.start, BASE);
	ck_assert_uint_eq(r.end, BASE + 2 * PAGE_SIZE);
	ck_assert_uint_eq(r.prot, VM_READ);
	ck_assert_int_eq(vmar_lookup(&s.vmar, BASE + 2 * PAGE_SIZE, &r), 0);
	ck_assert_uint_eq(r.start, BASE + 2 * PAGE_SIZE);
	ck_assert_uint_eq(r.prot, RW);
	/* The hole now faults in read-only: a write is refused. */
	ck_assert_int_eq(vm_resolve_fault(s.vs, BASE + PAGE_SIZE,
					  USER_ACCESS_WRITE),
			 -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(s.vs, BASE + PAGE_SIZE,
					  USER_ACCESS_READ),
			 0);
	ck_assert_int_eq(vm_query(s.vs, BASE + PAGE_SIZE, &prot), 0);
	ck_assert_uint_eq(prot, VM_READ);
	/* The neighbour kept its protection. */
	ck_assert_int_eq(vm_resolve_fault(s.vs, BASE + 2 * PAGE_SIZE,
					  USER_ACCESS_WRITE),
			 0);
	/* Across two touching regions: one call. */
	ck_assert_int_eq(vmar_protect(&s.vmar, BASE, 3 * PAGE_SIZE, 0), 0);
	ck_assert_int_eq(vm_query(s.vs, BASE + 2 * PAGE_SIZE, &prot), 0);
	ck_assert_uint_eq(prot, 0);
	space_close(&s);
}
END_TEST

static Suite *vmar_suite(void)
{
	Suite *s = suite_create("vmar");
	TCase *tc = tcase_create("regions");

	tcase_add_test(tc, regions_are_checked);
	tcase_add_test(tc, faults_fill_only_anonymous_regions);
	tcase_add_test(tc, brk_grows_and_shrinks);
	tcase_add_test(tc, protect_is_linux_mprotect);
	tcase_add_test(tc, brk_survives_protect_splitting_it);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(vmar_suite);
