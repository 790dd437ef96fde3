/*
 * Unit tests of user-memory access (core/mm/uaccess.c) through the
 * explicit-space functions vm_copy_from_user & co.: copies across pages,
 * user-mode permission checks, copy-on-write breaking, demand paging
 * through the fault handler, and every -EFAULT / -ENAMETOOLONG case.
 */
#include "unit.h"

#include <stdint.h>
#include <string.h>

#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
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

static Suite *test_uaccess_suite(void)
{
	Suite *s = suite_create("uaccess");
	TCase *tc = tcase_create("copy");
	TCase *str = tcase_create("strncpy");

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
	return s;
}
UNIT_SUITE(test_uaccess_suite);
