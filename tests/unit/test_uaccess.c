/*
 * Unit tests of user-memory access (core/mm/uaccess.c) through the
 * explicit-space functions vm_copy_from_user & co.: copies across pages,
 * user-mode permission checks, copy-on-write breaking, demand paging
 * through the fault handler, and every -EFAULT / -ENAMETOOLONG case; short
 * copies at page boundaries, the no-fault variants, and the 32-bit word
 * operations (each atomic op, copy-on-write, alignment, permissions, and a
 * host thread hammering the same word as a user thread would).
 */
#include "unit.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>

#include "mm/frame.h"
#include "mm_fixtures.h"
#include "mm/mm.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>

#define PG PAGE_SIZE
#define UA 0x800000ul /* user address the tests map at */

static struct vm_space *space_with(size_t pages, unsigned prot)
{
	struct vm_space *vs;

	unit_boot_mm();
	vs = vm_space_create();
	ck_assert_ptr_nonnull(vs);
	if (pages)
		ck_assert_int_eq(vm_map_zero(vs, UA, pages * PG, prot), 0);
	return vs;
}

START_TEST(copies_round_trip_across_pages)
{
	struct vm_space *vs = space_with(3, VM_READ | VM_WRITE);
	char out[2 * PG], in[2 * PG], check[2 * PG];

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 13 + 1);
	ck_assert_int_eq(vm_copy_to_user(vs, UA + 100, out, sizeof(out)), 0);
	ck_assert_int_eq(vm_copy_from_user(vs, in, UA + 100, sizeof(in)), 0);
	ck_assert_mem_eq(in, out, sizeof(out));
	/* What the kernel sees through vm_read is the same memory. */
	ck_assert_int_eq(vm_read(vs, UA + 100, check, sizeof(check)), 0);
	ck_assert_mem_eq(check, out, sizeof(out));
	ck_assert_int_eq(vm_copy_to_user(vs, UA, out, 0), 0);
	ck_assert_int_eq(vm_copy_from_user(vs, in, 0, 0), 0);
	vm_space_put(vs);
}
END_TEST

START_TEST(bad_addresses_are_efault)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	char buf[32] = "unchanged";

	ck_assert_int_eq(vm_copy_from_user(vs, buf, UA + PG, 1), -EFAULT);
	ck_assert_int_eq(vm_copy_to_user(vs, UA - PG, buf, 1), -EFAULT);
	/* Kernel range, low addresses, and ranges that wrap. */
	ck_assert_int_eq(vm_copy_from_user(vs, buf, user_va_max(), 1),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_from_user(vs, buf, 0xffff800000001000ul, 8),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_from_user(vs, buf, 0, 8), -EFAULT);
	ck_assert_int_eq(vm_copy_from_user(vs, buf, user_va_min() - 8, 16),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_to_user(vs, UINTPTR_MAX - 7, buf, 16),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_from_user(vs, buf, UA, SIZE_MAX), -EFAULT);
	ck_assert_int_eq(vm_clear_user(vs, user_va_max() - 4, 8), -EFAULT);
	ck_assert_str_eq(buf, "unchanged");
	vm_space_put(vs);
}
END_TEST

START_TEST(crossing_into_an_unmapped_page_is_efault)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	char buf[64];

	memset(buf, 'z', sizeof(buf));
	ck_assert_int_eq(vm_copy_from_user(vs, buf, UA + PG - 32, 64),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_to_user(vs, UA + PG - 32, buf, 64), -EFAULT);
	ck_assert_int_eq(vm_clear_user(vs, UA + PG - 1, 2), -EFAULT);
	/* Up to the last byte of the page is fine. */
	ck_assert_int_eq(vm_copy_from_user(vs, buf, UA + PG - 64, 64), 0);
	vm_space_put(vs);
}
END_TEST

START_TEST(permissions_are_checked_as_for_user_code)
{
	struct vm_space *vs = space_with(2, VM_READ);
	char buf[8] = "data", got[8];

	ck_assert_int_eq(vm_write(vs, UA, "ro!", 4), 0);
	ck_assert_int_eq(vm_copy_to_user(vs, UA, buf, 5), -EFAULT);
	ck_assert_int_eq(vm_clear_user(vs, UA, 5), -EFAULT);
	ck_assert_int_eq(vm_copy_from_user(vs, got, UA, 4), 0);
	ck_assert_str_eq(got, "ro!");
	/* No access at all: neither way. */
	ck_assert_int_eq(vm_protect(vs, UA + PG, PG, 0), 0);
	ck_assert_int_eq(vm_copy_from_user(vs, got, UA + PG, 1), -EFAULT);
	ck_assert_int_eq(vm_copy_to_user(vs, UA + PG, buf, 1), -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(supervisor_pages_are_efault)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	hal_paddr_t pa;
	unsigned flags;
	char got[4];

	/* Turn the page into a kernel-only one behind the space's back. */
	ck_assert_int_eq(pt_lookup(vs->fmt, vs->root, UA, &pa, &flags), 0);
	ck_assert_int_eq(pt_update(vs->fmt, vs->root, UA, pa,
				   flags & ~PT_USER),
			 0);
	ck_assert_int_eq(vm_copy_from_user(vs, got, UA, 4), -EFAULT);
	ck_assert_int_eq(vm_copy_to_user(vs, UA, "no", 3), -EFAULT);
	ck_assert_int_eq(vm_strncpy_from_user(vs, got, UA, 4), -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(write_breaks_copy_on_write)
{
	struct vm_space *parent = space_with(1, VM_READ | VM_WRITE), *child;
	char got[8];

	hal_paddr_t shared, pa;

	ck_assert_int_eq(vm_copy_to_user(parent, UA, "shared", 7), 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	ck_assert_int_eq(pt_lookup(parent->fmt, parent->root, UA, &shared,
				   NULL),
			 0);
	/* Reads never break sharing. */
	ck_assert_int_eq(vm_copy_from_user(child, got, UA, 7), 0);
	ck_assert_str_eq(got, "shared");
	ck_assert_uint_eq(frame_refcount(shared), 2);
	ck_assert_int_eq(vm_copy_to_user(child, UA, "mine!", 6), 0);
	ck_assert_int_eq(pt_lookup(child->fmt, child->root, UA, &pa, NULL), 0);
	ck_assert_uint_ne(pa, shared);
	ck_assert_uint_eq(frame_refcount(shared), 1);
	ck_assert_int_eq(vm_copy_from_user(parent, got, UA, 7), 0);
	ck_assert_str_eq(got, "shared");
	ck_assert_int_eq(vm_copy_from_user(child, got, UA, 6), 0);
	ck_assert_str_eq(got, "mine!");
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

static unsigned handler_calls;

static int demand_zero(struct vm_space *vs, uintptr_t va, unsigned access,
		       void *arg)
{
	uintptr_t lo = *(uintptr_t *)arg;

	handler_calls++;
	if (va < lo || va >= lo + 4 * PG)
		return -EFAULT;
	return vm_map_zero(vs, ALIGN_DOWN(va, PG), PG, VM_READ | VM_WRITE);
}

START_TEST(holes_are_filled_by_the_fault_handler)
{
	struct vm_space *vs = space_with(0, 0);
	uintptr_t region = UA;
	char msg[PG + 10], got[PG + 10];

	memset(msg, 'd', sizeof(msg));
	vm_set_fault_handler(vs, demand_zero, &region);
	handler_calls = 0;
	ck_assert_int_eq(vm_copy_to_user(vs, UA + PG - 5, msg, sizeof(msg)),
			 0);
	/* [UA+PG-5, UA+2*PG+5): three pages faulted in, once each. */
	ck_assert_uint_eq(handler_calls, 3);
	ck_assert_int_eq(vm_copy_from_user(vs, got, UA + PG - 5, sizeof(got)),
			 0);
	ck_assert_mem_eq(got, msg, sizeof(msg));
	ck_assert_uint_eq(handler_calls, 3);
	/* Past the region, the handler refuses. */
	ck_assert_int_eq(vm_copy_from_user(vs, got, UA + 4 * PG, 1), -EFAULT);
	ck_assert_uint_eq(vm_space_frames(vs), 3);
	vm_space_put(vs);
}
END_TEST

START_TEST(clear_user_zeroes)
{
	struct vm_space *vs = space_with(2, VM_READ | VM_WRITE);
	char ones[PG], got[PG];

	memset(ones, 1, sizeof(ones));
	ck_assert_int_eq(vm_copy_to_user(vs, UA + 200, ones, sizeof(ones)), 0);
	ck_assert_int_eq(vm_clear_user(vs, UA + 300, PG - 200), 0);
	ck_assert_int_eq(vm_copy_from_user(vs, got, UA + 200, sizeof(got)), 0);
	for (size_t i = 0; i < PG; i++)
		ck_assert_uint_eq(got[i], i >= 100 && i < PG - 100 ? 0 : 1);
	vm_space_put(vs);
}
END_TEST

/* One vm_strncpy_from_user call on a space with one page at UA, into
 * which the test first writes nbytes bytes at put_at. */
struct strncpy_case {
	const char *what;
	uintptr_t put_at;
	const char *bytes;
	size_t nbytes;
	uintptr_t src;
	size_t max;
	ssize_t want;         /* the length, or -errno */
	const char *want_dst; /* what dst holds after a success */
};

static const struct strncpy_case strncpy_cases[] = {
	{ "a string", UA, "hello", 6, UA, 32, 5, "hello" },
	{ "the empty string", UA, "hello", 6, UA + 5, 1, 0, "" },
	{ "exactly enough room for the NUL", UA, "hello", 6, UA, 6, 5,
	  "hello" },
	{ "no NUL within max", UA, "hello", 6, UA, 5, -ENAMETOOLONG, NULL },
	{ "max 0", UA, "hello", 6, UA, 0, -ENAMETOOLONG, NULL },
	/* The page's last bytes, with nothing mapped after them. */
	{ "the NUL just before a hole", UA + PG - 4, "end", 4, UA + PG - 4,
	  64, 3, "end" },
	{ "running into a hole", UA + PG - 4, "more", 4, UA + PG - 4, 64,
	  -EFAULT, NULL },
	{ "a short max ends before the hole", UA + PG - 4, "more", 4,
	  UA + PG - 4, 4, -ENAMETOOLONG, NULL },
	{ "starting in the hole", UA + PG - 4, "more", 4, UA + PG, 8,
	  -EFAULT, NULL },
	{ "wrapping around", UA, "hello", 6, UINTPTR_MAX - 2, 8, -EFAULT,
	  NULL },
};

START_TEST(strncpy_from_user_cases)
{
	const struct strncpy_case *c = &strncpy_cases[_i];
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	char dst[64];
	ssize_t got;

	ck_assert_uint_le(c->max, sizeof(dst));
	ck_assert_int_eq(vm_copy_to_user(vs, c->put_at, c->bytes, c->nbytes),
			 0);
	memset(dst, 'x', sizeof(dst));
	got = vm_strncpy_from_user(vs, dst, c->src, c->max);
	ck_assert_msg(got == c->want, "%s: %zd, want %zd", c->what, got,
		      c->want);
	if (c->want_dst)
		ck_assert_str_eq(dst, c->want_dst);
	vm_space_put(vs);
}
END_TEST

START_TEST(strncpy_outside_user_space_is_efault)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	char dst[8];

	ck_assert_int_eq(vm_strncpy_from_user(vs, dst, user_va_max(), 8),
			 -EFAULT);
	ck_assert_int_eq(vm_strncpy_from_user(vs, dst, 0, 8), -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(teardown_after_uaccess_leaks_nothing)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_space *vs = space_with(4, VM_READ | VM_WRITE), *child;
	uintptr_t region = UA + 16 * PG;
	char buf[3 * PG];

	memset(buf, 'q', sizeof(buf));
	vm_set_fault_handler(vs, demand_zero, &region);
	ck_assert_int_eq(vm_copy_to_user(vs, UA + 10, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vm_space_fork(vs, &child), 0);
	ck_assert_int_eq(vm_copy_to_user(child, UA, buf, sizeof(buf)), 0);
	ck_assert_int_eq(vm_copy_to_user(vs, region + 10, buf, sizeof(buf)),
			 0);
	vm_space_put(vs);
	ck_assert_int_eq(vm_copy_from_user(child, buf, UA + PG, PG), 0);
	vm_space_put(child);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

/* ---- Short copies ----------------------------------------------------- */

START_TEST(partial_copy_stops_at_a_hole)
{
	/* One page at UA, nothing after it: copies that run off its end. */
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	char out[300], in[300];

	memset(out, 'w', sizeof(out));
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA + PG - 100, out,
						 sizeof(out)),
			 100);
	memset(in, 'x', sizeof(in));
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, UA + PG - 100,
						   sizeof(in)),
			 100);
	for (size_t i = 0; i < sizeof(in); i++)
		ck_assert_uint_eq(in[i], i < 100 ? 'w' : 'x');
	/* One byte before the end, and ending exactly at it. */
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, UA + PG - 1, 2), 1);
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, UA + PG - 8, 8), 8);
	vm_space_put(vs);
}
END_TEST

START_TEST(partial_copy_starting_in_a_hole_is_efault)
{
	/* The other page order: a hole at UA, then a page at UA + PG. */
	struct vm_space *vs = space_with(0, 0);
	char buf[300], got[8];

	ck_assert_int_eq(vm_map_zero(vs, UA + PG, PG, VM_READ | VM_WRITE), 0);
	ck_assert_int_eq(vm_write(vs, UA + PG, "page2", 6), 0);
	memset(buf, 'n', sizeof(buf));
	ck_assert_int_eq(vm_copy_from_user_partial(vs, buf, UA + PG - 100,
						   sizeof(buf)),
			 -EFAULT);
	ck_assert_int_eq(buf[0], 'n');
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA + PG - 100, buf,
						 sizeof(buf)),
			 -EFAULT);
	/* Nothing was written to the page after the hole. */
	ck_assert_int_eq(vm_read(vs, UA + PG, got, 6), 0);
	ck_assert_str_eq(got, "page2");
	/* From the page on, it all goes. */
	ck_assert_int_eq(vm_copy_from_user_partial(vs, buf, UA + PG, 6), 6);
	ck_assert_str_eq(buf, "page2");
	vm_space_put(vs);
}
END_TEST

START_TEST(partial_write_stops_at_a_read_only_page)
{
	struct vm_space *vs = space_with(2, VM_READ | VM_WRITE);
	char out[PG], in[PG];

	ck_assert_int_eq(vm_protect(vs, UA + PG, PG, VM_READ), 0);
	memset(out, 'r', sizeof(out));
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA + PG - 10, out,
						 sizeof(out)),
			 10);
	/* Reading the read-only page is fine. */
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, UA + PG - 10,
						   sizeof(in)),
			 (ssize_t)sizeof(in));
	ck_assert_int_eq(in[9], 'r');
	ck_assert_int_eq(in[10], 0);
	/* Not at all writable from the start. */
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA + PG, out, 8),
			 -EFAULT);
	/* Clearing stops at the same place. */
	ck_assert_int_eq(vm_clear_user_partial(vs, UA + PG - 4, 64), 4);
	ck_assert_int_eq(vm_clear_user_partial(vs, UA + PG, 64), -EFAULT);
	ck_assert_int_eq(vm_copy_from_user(vs, in, UA + PG - 10, 10), 0);
	ck_assert_mem_eq(in, "rrrrrr\0\0\0\0", 10);
	ck_assert_int_eq(vm_clear_user_partial(vs, UA, 0), 0);
	vm_space_put(vs);
}
END_TEST

START_TEST(partial_copy_whole_and_edge_cases)
{
	struct vm_space *vs = space_with(3, VM_READ | VM_WRITE);
	char out[2 * PG], in[2 * PG];

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7);
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA + 5, out, sizeof(out)),
			 (ssize_t)sizeof(out));
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, UA + 5, sizeof(in)),
			 (ssize_t)sizeof(in));
	ck_assert_mem_eq(in, out, sizeof(out));
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, 0, 0), 0);
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA, out, 0), 0);
	/* Ranges that leave user space fail whole, even where they begin
	 * on a mapped page. */
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, UA, SIZE_MAX),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UINTPTR_MAX - 7, out, 16),
			 -EFAULT);
	ck_assert_int_eq(vm_copy_from_user_partial(vs, in, user_va_max() - 8,
						   16),
			 -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(partial_copy_faults_pages_in)
{
	struct vm_space *vs = space_with(0, 0);
	uintptr_t region = UA; /* demand_zero serves four pages from here */
	char buf[5 * PG];

	memset(buf, 'p', sizeof(buf));
	vm_set_fault_handler(vs, demand_zero, &region);
	handler_calls = 0;
	/* Three pages served, the fourth past the region refused. */
	ck_assert_int_eq(vm_copy_to_user_partial(vs, UA + PG, buf,
						 sizeof(buf)),
			 3 * PG);
	ck_assert_uint_eq(vm_space_frames(vs), 3);
	ck_assert_int_eq(vm_copy_from_user_partial(vs, buf, UA + 2 * PG + 1,
						   sizeof(buf)),
			 2 * PG - 1);
	vm_space_put(vs);
}
END_TEST

START_TEST(out_of_memory_breaking_cow_is_enomem_or_short)
{
	struct vm_space *parent = space_with(2, VM_READ | VM_WRITE), *child;
	char out[PG + 8], got[8];
	hal_paddr_t hoard;
	uint32_t old = 0;

	ck_assert_int_eq(vm_copy_to_user(parent, UA + PG - 4, "cow!cow", 8),
			 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	memset(out, 'c', sizeof(out));
	hoard = hoard_frames();
	/* No frame for the copy: nothing written, so -ENOMEM. */
	ck_assert_int_eq(vm_copy_to_user_partial(child, UA + PG - 4, out,
						 sizeof(out)),
			 -ENOMEM);
	ck_assert_int_eq(vm_user_atomic_op_u32(child, UA, USER_ATOMIC_ADD, 1,
					       &old, 0),
			 -ENOMEM);
	ck_assert_int_eq(vm_put_user_u32(child, UA, 1, 0), -ENOMEM);
	/* One frame: the first page goes, the count stops at the second. */
	hoard = release_frames(hoard, 1);
	ck_assert_int_eq(vm_copy_to_user_partial(child, UA + PG - 4, out,
						 sizeof(out)),
			 4);
	release_frames(hoard, (size_t)-1);
	ck_assert_int_eq(vm_copy_from_user(parent, got, UA + PG - 4, 8), 0);
	ck_assert_str_eq(got, "cow!cow");
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

/* ---- No-fault copies ------------------------------------------------ */

START_TEST(nofault_copy_fails_on_demand_zero_page)
{
	struct vm_space *vs = space_with(0, 0);
	uintptr_t region = UA;
	char buf[16] = "untouched";

	vm_set_fault_handler(vs, demand_zero, &region);
	handler_calls = 0;
	ck_assert_int_eq(vm_copy_from_user_nofault(vs, buf, UA, 8), -EFAULT);
	ck_assert_int_eq(vm_copy_to_user_nofault(vs, UA, "x", 1), -EFAULT);
	ck_assert_uint_eq(handler_calls, 0);
	ck_assert_uint_eq(vm_space_frames(vs), 0);
	ck_assert_str_eq(buf, "untouched");
	/* The ordinary copy faults the page in; then no-fault works. */
	ck_assert_int_eq(vm_copy_from_user(vs, buf, UA, 8), 0);
	ck_assert_uint_eq(handler_calls, 1);
	ck_assert_int_eq(vm_copy_to_user_nofault(vs, UA, "nofault", 8), 0);
	ck_assert_int_eq(vm_copy_from_user_nofault(vs, buf, UA, 8), 0);
	ck_assert_str_eq(buf, "nofault");
	/* A copy into the next, still absent page fails there. */
	ck_assert_int_eq(vm_copy_from_user_nofault(vs, buf, UA + PG - 4, 8),
			 -EFAULT);
	ck_assert_uint_eq(handler_calls, 1);
	vm_space_put(vs);
}
END_TEST

START_TEST(nofault_write_fails_on_copy_on_write_page)
{
	struct vm_space *parent = space_with(1, VM_READ | VM_WRITE), *child;
	hal_paddr_t shared;
	char got[8];

	ck_assert_int_eq(vm_copy_to_user(parent, UA, "parent", 7), 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	ck_assert_int_eq(pt_lookup(parent->fmt, parent->root, UA, &shared,
				   NULL),
			 0);
	/* Reading needs no fault; writing would need a copy. */
	ck_assert_int_eq(vm_copy_from_user_nofault(child, got, UA, 7), 0);
	ck_assert_str_eq(got, "parent");
	ck_assert_int_eq(vm_copy_to_user_nofault(child, UA, "child", 6),
			 -EFAULT);
	ck_assert_uint_eq(frame_refcount(shared), 2);
	/* Fault it in writeable as a futex caller would, then retry. */
	ck_assert_int_eq(vm_fault_in_user_writeable(child, UA + 3), 0);
	ck_assert_uint_eq(frame_refcount(shared), 1);
	ck_assert_int_eq(vm_copy_to_user_nofault(child, UA, "child", 6), 0);
	ck_assert_int_eq(vm_copy_from_user(parent, got, UA, 7), 0);
	ck_assert_str_eq(got, "parent");
	/* Fault-in refuses what user code could not write. */
	ck_assert_int_eq(vm_fault_in_user_writeable(child, UA + PG), -EFAULT);
	ck_assert_int_eq(vm_fault_in_user_writeable(child, user_va_max()),
			 -EFAULT);
	ck_assert_int_eq(vm_protect(child, UA, PG, VM_READ), 0);
	ck_assert_int_eq(vm_fault_in_user_writeable(child, UA), -EFAULT);
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

/* ---- 32-bit user words ---------------------------------------------- */

#define WORD_INIT 0xf0f01234u
#define WORD_ARG 0x0ff00001u

struct atomic_case {
	enum user_atomic_op op;
	uint32_t want; /* the word after op(WORD_INIT, WORD_ARG) */
};

static const struct atomic_case atomic_cases[] = {
	{ USER_ATOMIC_SET, WORD_ARG },
	{ USER_ATOMIC_ADD, WORD_INIT + WORD_ARG },
	{ USER_ATOMIC_OR, WORD_INIT | WORD_ARG },
	{ USER_ATOMIC_ANDN, WORD_INIT & ~WORD_ARG },
	{ USER_ATOMIC_XOR, WORD_INIT ^ WORD_ARG },
};

/* The word at va, read behind uaccess's back. */
static uint32_t word_at(struct vm_space *vs, uintptr_t va)
{
	uint32_t v;

	ck_assert_int_eq(vm_read(vs, va, &v, sizeof(v)), 0);
	return v;
}

static void set_word(struct vm_space *vs, uintptr_t va, uint32_t v)
{
	ck_assert_int_eq(vm_write(vs, va, &v, sizeof(v)), 0);
}

START_TEST(atomic_op_returns_old_value)
{
	const struct atomic_case *c = &atomic_cases[_i];
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	uintptr_t va = UA + PG - 4; /* the page's last word */
	uint32_t old = 0;

	set_word(vs, va, WORD_INIT);
	set_word(vs, va - 4, 0x5555aaaau);
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, va, c->op, WORD_ARG, &old,
					       0),
			 0);
	ck_assert_uint_eq(old, WORD_INIT);
	ck_assert_uint_eq(word_at(vs, va), c->want);
	ck_assert_uint_eq(word_at(vs, va - 4), 0x5555aaaau);
	/* Again, without asking for the old value: it was c->want. */
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, va, c->op, WORD_ARG, NULL,
					       UACCESS_NOFAULT),
			 0);
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, va, USER_ATOMIC_ADD, 0,
					       &old, 0),
			 0);
	switch (c->op) {
	case USER_ATOMIC_ADD:
		ck_assert_uint_eq(old, c->want + WORD_ARG);
		break;
	case USER_ATOMIC_XOR:
		ck_assert_uint_eq(old, WORD_INIT);
		break;
	default: /* set, or and andn are idempotent */
		ck_assert_uint_eq(old, c->want);
	}
	vm_space_put(vs);
}
END_TEST

START_TEST(cmpxchg_swaps_only_on_match)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	uint32_t old = 0;

	set_word(vs, UA + 8, 7);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, UA + 8, 6, 100, &old, 0), 0);
	ck_assert_uint_eq(old, 7);
	ck_assert_uint_eq(word_at(vs, UA + 8), 7);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, UA + 8, 7, 100, &old, 0), 0);
	ck_assert_uint_eq(old, 7);
	ck_assert_uint_eq(word_at(vs, UA + 8), 100);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, UA + 8, 100, 0xffffffffu,
					     NULL, UACCESS_NOFAULT),
			 0);
	ck_assert_uint_eq(word_at(vs, UA + 8), 0xffffffffu);
	vm_space_put(vs);
}
END_TEST

START_TEST(get_and_put_user_u32)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	uint32_t v = 0;

	ck_assert_int_eq(vm_put_user_u32(vs, UA + 12, 0xdeadbeefu, 0), 0);
	ck_assert_uint_eq(word_at(vs, UA + 12), 0xdeadbeefu);
	ck_assert_uint_eq(word_at(vs, UA + 8), 0);
	ck_assert_uint_eq(word_at(vs, UA + 16), 0);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA + 12, 0), 0);
	ck_assert_uint_eq(v, 0xdeadbeefu);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA + PG - 4, UACCESS_NOFAULT),
			 0);
	ck_assert_uint_eq(v, 0);
	/* Failures leave *val alone. */
	v = 42;
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA + PG, 0), -EFAULT);
	ck_assert_uint_eq(v, 42);
	vm_space_put(vs);
}
END_TEST

START_TEST(atomic_on_cow_page_breaks_sharing_first)
{
	struct vm_space *parent = space_with(1, VM_READ | VM_WRITE), *child;
	hal_paddr_t shared, pa;
	uint32_t old = 0;

	set_word(parent, UA + 64, 1000);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	ck_assert_int_eq(pt_lookup(parent->fmt, parent->root, UA, &shared,
				   NULL),
			 0);
	/* A load does not break sharing. */
	ck_assert_int_eq(vm_get_user_u32(child, &old, UA + 64, 0), 0);
	ck_assert_uint_eq(old, 1000);
	ck_assert_uint_eq(frame_refcount(shared), 2);
	/* No-fault atomics cannot copy the page. */
	ck_assert_int_eq(vm_user_atomic_op_u32(child, UA + 64, USER_ATOMIC_ADD,
					       1, &old, UACCESS_NOFAULT),
			 -EFAULT);
	ck_assert_uint_eq(frame_refcount(shared), 2);
	ck_assert_int_eq(vm_user_atomic_op_u32(child, UA + 64, USER_ATOMIC_ADD,
					       5, &old, 0),
			 0);
	ck_assert_uint_eq(old, 1000);
	ck_assert_int_eq(pt_lookup(child->fmt, child->root, UA, &pa, NULL), 0);
	ck_assert_uint_ne(pa, shared);
	ck_assert_uint_eq(word_at(child, UA + 64), 1005);
	ck_assert_uint_eq(word_at(parent, UA + 64), 1000);
	/* The parent, alone with its frame now, changes it in place. */
	ck_assert_int_eq(vm_user_cmpxchg_u32(parent, UA + 64, 1000, 1, &old,
					     0),
			 0);
	ck_assert_int_eq(pt_lookup(parent->fmt, parent->root, UA, &pa, NULL),
			 0);
	ck_assert_uint_eq(pa, shared);
	ck_assert_uint_eq(word_at(parent, UA + 64), 1);
	ck_assert_uint_eq(word_at(child, UA + 64), 1005);
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

START_TEST(misaligned_words_are_einval)
{
	static const uintptr_t bad[] = { UA + 1, UA + 2, UA + 3, UA + PG - 2,
					 UA + PG - 1 };
	struct vm_space *vs = space_with(2, VM_READ | VM_WRITE);
	uint32_t v = 9;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(vm_get_user_u32(vs, &v, bad[i], 0), -EINVAL);
		ck_assert_int_eq(vm_put_user_u32(vs, bad[i], 1, 0), -EINVAL);
		ck_assert_int_eq(vm_user_atomic_op_u32(vs, bad[i],
						       USER_ATOMIC_OR, 1, &v,
						       0),
				 -EINVAL);
		ck_assert_int_eq(vm_user_cmpxchg_u32(vs, bad[i], 0, 1, &v, 0),
				 -EINVAL);
	}
	ck_assert_uint_eq(v, 9);
	/* Misaligned is checked before the address: as Linux futexes. */
	ck_assert_int_eq(vm_get_user_u32(vs, &v, user_va_max() + 1, 0),
			 -EINVAL);
	ck_assert_uint_eq(word_at(vs, UA), 0);
	ck_assert_uint_eq(word_at(vs, UA + 4), 0);
	ck_assert_uint_eq(word_at(vs, UA + PG - 4), 0);
	ck_assert_uint_eq(word_at(vs, UA + PG), 0);
	vm_space_put(vs);
}
END_TEST

START_TEST(read_only_and_unmapped_words_are_efault)
{
	struct vm_space *vs = space_with(2, VM_READ | VM_WRITE);
	uint32_t v = 0;

	set_word(vs, UA, 77);
	ck_assert_int_eq(vm_protect(vs, UA, PG, VM_READ), 0);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA, 0), 0);
	ck_assert_uint_eq(v, 77);
	ck_assert_int_eq(vm_put_user_u32(vs, UA, 1, 0), -EFAULT);
	for (int op = USER_ATOMIC_SET; op <= USER_ATOMIC_XOR; op++)
		ck_assert_int_eq(vm_user_atomic_op_u32(vs, UA, op, 1, &v, 0),
				 -EFAULT);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, UA, 77, 1, &v, 0), -EFAULT);
	ck_assert_uint_eq(word_at(vs, UA), 77);
	/* No access at all, no page, kernel and out-of-range addresses. */
	ck_assert_int_eq(vm_protect(vs, UA + PG, PG, 0), 0);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA + PG, 0), -EFAULT);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA + 2 * PG, 0), -EFAULT);
	ck_assert_int_eq(vm_put_user_u32(vs, UA - 4, 1, 0), -EFAULT);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, user_va_max() - 4, 0, 1, &v,
					     0),
			 -EFAULT);
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, 0xffff800000001000ul,
					       USER_ATOMIC_ADD, 1, &v, 0),
			 -EFAULT);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, 0, 0), -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(unknown_op_is_enosys)
{
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	uint32_t old = 3;

	set_word(vs, UA, 5);
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, UA, (enum user_atomic_op)5,
					       1, &old, 0),
			 -ENOSYS);
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, UA, (enum user_atomic_op)-1,
					       1, &old, 0),
			 -ENOSYS);
	ck_assert_uint_eq(old, 3);
	ck_assert_uint_eq(word_at(vs, UA), 5);
	vm_space_put(vs);
}
END_TEST

START_TEST(nofault_word_ops_never_fault)
{
	struct vm_space *vs = space_with(0, 0);
	uintptr_t region = UA;
	uint32_t v = 0;

	vm_set_fault_handler(vs, demand_zero, &region);
	handler_calls = 0;
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA, UACCESS_NOFAULT),
			 -EFAULT);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, UA, 0, 1, &v,
					     UACCESS_NOFAULT),
			 -EFAULT);
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, UA, USER_ATOMIC_OR, 1, &v,
					       UACCESS_NOFAULT),
			 -EFAULT);
	ck_assert_uint_eq(handler_calls, 0);
	/* The faulting variant demand-zeroes the page. */
	ck_assert_int_eq(vm_user_atomic_op_u32(vs, UA, USER_ATOMIC_OR, 6, &v,
					       0),
			 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_uint_eq(handler_calls, 1);
	ck_assert_int_eq(vm_user_cmpxchg_u32(vs, UA, 6, 8, &v,
					     UACCESS_NOFAULT),
			 0);
	ck_assert_uint_eq(v, 6);
	ck_assert_int_eq(vm_get_user_u32(vs, &v, UA, UACCESS_NOFAULT), 0);
	ck_assert_uint_eq(v, 8);
	vm_space_put(vs);
}
END_TEST

/* A user thread on another CPU, incrementing the word in its own way
 * until told to stop or until it has done HAMMER_MAX_ADDS: the bound
 * keeps the test finite where threads are not scheduled fairly (under
 * Valgrind a spinning thread can keep the CPU for minutes). */
#define HAMMER_MAX_ADDS 100000u
struct hammer {
	uint32_t *word; /* the frame's direct-map address */
	bool running, stop;
	uint32_t adds; /* how many it did */
};

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;

	__atomic_store_n(&h->running, true, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&h->stop, __ATOMIC_SEQ_CST) &&
	       h->adds < HAMMER_MAX_ADDS) {
		__atomic_fetch_add(h->word, 1, __ATOMIC_SEQ_CST);
		h->adds++;
	}
	return NULL;
}

START_TEST(atomics_are_atomic_against_a_user_thread)
{
	enum { ROUNDS = 50000 };
	struct vm_space *vs = space_with(1, VM_READ | VM_WRITE);
	struct hammer h = { NULL, false, false, 0 };
	hal_paddr_t pa;
	pthread_t th;
	uint32_t old;

	ck_assert_int_eq(pt_lookup(vs->fmt, vs->root, UA, &pa, NULL), 0);
	h.word = (uint32_t *)((char *)hal_phys_to_virt(pa) + 128);
	ck_assert_int_eq(pthread_create(&th, NULL, hammer_fn, &h), 0);
	while (!__atomic_load_n(&h.running, __ATOMIC_SEQ_CST))
		sched_yield();
	/* Both add to the word meanwhile: modulo 2^32 it must end as the
	 * sum of every add, and any update lost on either side shows. */
	for (unsigned i = 0; i < ROUNDS; i++)
		ck_assert_int_eq(vm_user_atomic_op_u32(vs, UA + 128,
						       USER_ATOMIC_ADD,
						       1u << 16, &old, 0),
				 0);
	__atomic_store_n(&h.stop, true, __ATOMIC_SEQ_CST);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	ck_assert_uint_eq(word_at(vs, UA + 128),
			  (uint32_t)(h.adds + ((uint32_t)ROUNDS << 16)));
	vm_space_put(vs);
}
END_TEST

static Suite *test_uaccess_suite(void)
{
	Suite *s = suite_create("uaccess");
	TCase *tc = tcase_create("copy");
	TCase *str = tcase_create("strncpy");
	TCase *partial = tcase_create("partial-nofault");
	TCase *word = tcase_create("word");

	tcase_add_test(tc, copies_round_trip_across_pages);
	tcase_add_test(tc, bad_addresses_are_efault);
	tcase_add_test(tc, crossing_into_an_unmapped_page_is_efault);
	tcase_add_test(tc, permissions_are_checked_as_for_user_code);
	tcase_add_test(tc, supervisor_pages_are_efault);
	tcase_add_test(tc, write_breaks_copy_on_write);
	tcase_add_test(tc, holes_are_filled_by_the_fault_handler);
	tcase_add_test(tc, clear_user_zeroes);
	tcase_add_test(tc, teardown_after_uaccess_leaks_nothing);
	suite_add_tcase(s, tc);

	tcase_add_loop_test(str, strncpy_from_user_cases, 0,
			    (int)ARRAY_SIZE(strncpy_cases));
	tcase_add_test(str, strncpy_outside_user_space_is_efault);
	suite_add_tcase(s, str);

	tcase_add_test(partial, partial_copy_stops_at_a_hole);
	tcase_add_test(partial, partial_copy_starting_in_a_hole_is_efault);
	tcase_add_test(partial, partial_write_stops_at_a_read_only_page);
	tcase_add_test(partial, partial_copy_whole_and_edge_cases);
	tcase_add_test(partial, partial_copy_faults_pages_in);
	tcase_add_test(partial, out_of_memory_breaking_cow_is_enomem_or_short);
	tcase_add_test(partial, nofault_copy_fails_on_demand_zero_page);
	tcase_add_test(partial, nofault_write_fails_on_copy_on_write_page);
	suite_add_tcase(s, partial);

	tcase_add_loop_test(word, atomic_op_returns_old_value, 0,
			    (int)ARRAY_SIZE(atomic_cases));
	tcase_add_test(word, cmpxchg_swaps_only_on_match);
	tcase_add_test(word, get_and_put_user_u32);
	tcase_add_test(word, atomic_on_cow_page_breaks_sharing_first);
	tcase_add_test(word, misaligned_words_are_einval);
	tcase_add_test(word, read_only_and_unmapped_words_are_efault);
	tcase_add_test(word, unknown_op_is_enosys);
	tcase_add_test(word, nofault_word_ops_never_fault);
	tcase_add_test(word, atomics_are_atomic_against_a_user_thread);
	suite_add_tcase(s, word);
	return s;
}
UNIT_SUITE(test_uaccess_suite);
