/*
 * Unit tests of address spaces (core/mm/vm.c): argument checking, mapping
 * zero pages (all or nothing when memory runs out), unmap, protect, query,
 * kernel reads and writes, copy-on-write fork and fault resolution, and
 * teardown without a leaked frame (frames_free back to its baseline).
 */
#include "unit.h"
#include "mm_fixtures.h"

#include <stdint.h>
#include <string.h>

#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>

#define PG PAGE_SIZE
#define BASE 0x400000ul /* a user address to map things at */

/* An address under another root-table entry than BASE. */
static uintptr_t far_va(void)
{
	const struct pt_format *fmt = pt_active();

	return (uintptr_t)3 << (12 + fmt->index_bits * (fmt->levels - 1));
}

START_TEST(user_range_limits)
{
	uintptr_t fmt_limit = pt_user_limit(pt_active());

	ck_assert_uint_eq(user_va_min(), HAL_USER_VA_MIN);
	ck_assert_uint_eq(user_va_max(), HAL_USER_VA_MAX < fmt_limit
						 ? HAL_USER_VA_MAX
						 : fmt_limit);
	ck_assert(vm_user_range(user_va_min(), PG));
	ck_assert(vm_user_range(user_va_max() - PG, PG));
	ck_assert(!vm_user_range(user_va_max() - PG, 2 * PG));
	ck_assert(!vm_user_range(user_va_min() - 1, 1));
	ck_assert(!vm_user_range(UINTPTR_MAX - 5, 10));
}
END_TEST

START_TEST(create_and_put_leak_nothing)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_space *vs = vm_space_create();

	ck_assert_ptr_nonnull(vs);
	ck_assert_uint_lt(frames_free(), before);
	ck_assert_uint_eq(vm_space_frames(vs), 0);
	ck_assert_ptr_eq(vm_space_hal(vs), &vs->as);
	vm_space_get(vs);
	vm_space_put(vs); /* one reference left */
	ck_assert_int_eq(vm_map_zero(vs, BASE, 4 * PG, VM_READ | VM_WRITE), 0);
	vm_space_put(vs);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(map_zero_gives_zeroed_pages)
{
	struct vm_space *vs = new_space();
	unsigned char buf[3 * PG];
	unsigned prot = 0;

	memset(buf, 0xaa, sizeof(buf));
	ck_assert_int_eq(vm_map_zero(vs, BASE, 3 * PG, VM_READ | VM_WRITE), 0);
	ck_assert_uint_eq(vm_space_frames(vs), 3);
	ck_assert_int_eq(vm_read(vs, BASE, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		ck_assert_uint_eq(buf[i], 0);
	ck_assert_int_eq(vm_query(vs, BASE + PG + 17, &prot), 0);
	ck_assert_uint_eq(prot, VM_READ | VM_WRITE);
	ck_assert_int_eq(vm_query(vs, BASE + 3 * PG, &prot), -ENOENT);
	ck_assert_int_eq(vm_query(vs, BASE - 1, &prot), -ENOENT);
	vm_space_put(vs);
}
END_TEST

START_TEST(bad_arguments_are_rejected)
{
	struct vm_space *vs = new_space();
	uintptr_t max = user_va_max();
	size_t before = frames_free();
	unsigned prot;

	ck_assert_int_eq(vm_map_zero(vs, BASE + 1, PG, VM_READ), -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, BASE, PG + 1, VM_READ), -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, user_va_min() - PG, PG, VM_READ),
			 -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, 0, PG, VM_READ), -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, max, PG, VM_READ), -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, max - PG, 2 * PG, VM_READ), -EINVAL);
	/* va + len wraps around. */
	ck_assert_int_eq(vm_map_zero(vs, BASE, (size_t)0 - PG, VM_READ),
			 -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, 8), -EINVAL);
	ck_assert_int_eq(vm_unmap(vs, BASE + 8, PG), -EINVAL);
	ck_assert_int_eq(vm_unmap(vs, max, PG), -EINVAL);
	ck_assert_int_eq(vm_unmap(vs, BASE, (size_t)0 - PG), -EINVAL);
	ck_assert_int_eq(vm_protect(vs, BASE, 3, VM_READ), -EINVAL);
	ck_assert_int_eq(vm_protect(vs, 0x1000, PG, VM_READ), -EINVAL);
	ck_assert_int_eq(vm_protect(vs, BASE, PG, 0x10), -EINVAL);
	ck_assert_int_eq(vm_query(vs, max, &prot), -EINVAL);
	ck_assert_int_eq(vm_query(vs, 0, &prot), -EINVAL);
	/* Empty ranges are fine where the address is. */
	ck_assert_int_eq(vm_map_zero(vs, BASE, 0, VM_READ), 0);
	ck_assert_int_eq(vm_unmap(vs, BASE, 0), 0);
	ck_assert_int_eq(vm_protect(vs, BASE, 0, VM_READ), 0);
	ck_assert_uint_eq(frames_free(), before);
	ck_assert_uint_eq(vm_space_frames(vs), 0);
	vm_space_put(vs);
}
END_TEST

START_TEST(map_over_a_mapping_is_eexist)
{
	struct vm_space *vs = new_space();
	size_t before;

	ck_assert_int_eq(vm_map_zero(vs, BASE + 2 * PG, PG, VM_READ), 0);
	before = frames_free();
	ck_assert_int_eq(vm_map_zero(vs, BASE, 4 * PG, VM_READ), -EEXIST);
	ck_assert_uint_eq(frames_free(), before);
	ck_assert_int_eq(vm_query(vs, BASE, NULL), -ENOENT);
	ck_assert_uint_eq(vm_space_frames(vs), 1);
	vm_space_put(vs);
}
END_TEST

START_TEST(map_zero_is_all_or_nothing_without_memory)
{
	struct vm_space *vs = new_space();
	hal_paddr_t hoard;
	unsigned char byte = 0xff;

	/* A page elsewhere keeps its data through the failure. */
	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, VM_READ | VM_WRITE), 0);
	ck_assert_int_eq(vm_write(vs, BASE + 5, &byte, 1), 0);
	hoard = hoard_frames();
	hoard = release_frames(hoard, 5);
	ck_assert_int_eq(vm_map_zero(vs, 0x40000000, 10 * PG, VM_READ),
			 -ENOMEM);
	ck_assert_uint_eq(frames_free(), 5);
	ck_assert_uint_eq(vm_space_frames(vs), 1);
	for (size_t i = 0; i < 10; i++)
		ck_assert_int_eq(vm_query(vs, 0x40000000 + i * PG, NULL),
				 -ENOENT);
	/* What fits still works. */
	ck_assert_int_eq(vm_map_zero(vs, BASE + PG, 2 * PG, VM_READ), 0);
	release_frames(hoard, (size_t)-1);
	byte = 0;
	ck_assert_int_eq(vm_read(vs, BASE + 5, &byte, 1), 0);
	ck_assert_uint_eq(byte, 0xff);
	vm_space_put(vs);
}
END_TEST

START_TEST(unmap_frees_and_tolerates_holes)
{
	struct vm_space *vs = new_space();
	size_t before = frames_free();

	ck_assert_int_eq(vm_map_zero(vs, BASE, 2 * PG, VM_READ), 0);
	ck_assert_int_eq(vm_map_zero(vs, BASE + 4 * PG, 2 * PG, VM_READ), 0);
	ck_assert_int_eq(vm_unmap(vs, BASE + PG, 4 * PG), 0);
	ck_assert_int_eq(vm_query(vs, BASE, NULL), 0);
	ck_assert_int_eq(vm_query(vs, BASE + PG, NULL), -ENOENT);
	ck_assert_int_eq(vm_query(vs, BASE + 4 * PG, NULL), -ENOENT);
	ck_assert_int_eq(vm_query(vs, BASE + 5 * PG, NULL), 0);
	ck_assert_uint_eq(vm_space_frames(vs), 2);
	/* A range with nothing in it. */
	ck_assert_int_eq(vm_unmap(vs, 0x10000000, 64 * PG), 0);
	/* Everything, tables included. */
	ck_assert_int_eq(vm_unmap(vs, user_va_min(),
				  user_va_max() - user_va_min()),
			 0);
	ck_assert_uint_eq(vm_space_frames(vs), 0);
	ck_assert_uint_eq(frames_free(), before);
	vm_space_put(vs);
}
END_TEST

START_TEST(protect_changes_mapped_pages_and_skips_holes)
{
	struct vm_space *vs = new_space();
	unsigned prot, flags;

	ck_assert_int_eq(vm_map_zero(vs, BASE, 3 * PG, VM_READ | VM_WRITE), 0);
	ck_assert_int_eq(vm_protect(vs, BASE, 3 * PG, VM_READ | VM_EXEC), 0);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(vm_query(vs, BASE + i * PG, &prot), 0);
		ck_assert_uint_eq(prot, VM_READ | VM_EXEC);
		leaf_of(vs, BASE + i * PG, &flags);
		ck_assert_uint_eq(flags & PT_WRITE, 0);
		ck_assert(flags & PT_USER);
	}
	/* A hole in the range (demand paging leaves them): the mapped
	 * pages change, the hole stays a hole. */
	ck_assert_int_eq(vm_protect(vs, BASE, 4 * PG, VM_READ), 0);
	ck_assert_int_eq(vm_query(vs, BASE + 2 * PG, &prot), 0);
	ck_assert_uint_eq(prot, VM_READ);
	ck_assert_int_eq(vm_query(vs, BASE + 3 * PG, &prot), -ENOENT);
	ck_assert_int_eq(vm_protect(vs, BASE, 4 * PG, VM_READ | 8), -EINVAL);
	/* No access at all: still mapped, data kept. */
	ck_assert_int_eq(vm_protect(vs, BASE, PG, 0), 0);
	ck_assert_int_eq(vm_query(vs, BASE, &prot), 0);
	ck_assert_uint_eq(prot, 0);
	ck_assert_uint_eq(vm_space_frames(vs), 3);
	vm_space_put(vs);
}
END_TEST

START_TEST(kernel_read_write_across_pages)
{
	struct vm_space *vs = new_space();
	char msg[PG + 100], back[PG + 100];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)(i * 7);
	ck_assert_int_eq(vm_map_zero(vs, BASE, 3 * PG, VM_READ), 0);
	/* Protection does not stop the kernel. */
	ck_assert_int_eq(vm_write(vs, BASE + PG - 50, msg, sizeof(msg)), 0);
	ck_assert_int_eq(vm_read(vs, BASE + PG - 50, back, sizeof(back)), 0);
	ck_assert_mem_eq(msg, back, sizeof(msg));
	ck_assert_int_eq(vm_read(vs, BASE, back, 0), 0);
	vm_space_put(vs);
}
END_TEST

START_TEST(kernel_access_to_holes_is_efault)
{
	struct vm_space *vs = new_space();
	char buf[64], zero[64] = { 0 };

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, VM_READ | VM_WRITE), 0);
	/* The write would run into the unmapped next page: nothing written. */
	ck_assert_int_eq(vm_write(vs, BASE + PG - 10, buf, 20), -EFAULT);
	ck_assert_int_eq(vm_read(vs, BASE + PG - 64, buf, 64), 0);
	ck_assert_mem_eq(buf, zero, 64);
	ck_assert_int_eq(vm_read(vs, BASE + PG - 10, buf, 20), -EFAULT);
	ck_assert_int_eq(vm_read(vs, BASE - PG, buf, 1), -EFAULT);
	ck_assert_int_eq(vm_read(vs, user_va_max(), buf, 1), -EFAULT);
	ck_assert_int_eq(vm_read(vs, UINTPTR_MAX - 4, buf, 10), -EFAULT);
	ck_assert_int_eq(vm_write(vs, 0, buf, 1), -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(fork_shares_pages_copy_on_write)
{
	struct vm_space *parent = new_space(), *child = NULL;
	hal_paddr_t ppa, cpa;
	unsigned pflags, cflags, prot;
	char data[] = "parent data", got[sizeof(data)];
	size_t before, empty_cost;
	struct vm_space *empty;

	ck_assert_int_eq(vm_map_zero(parent, BASE, 2 * PG, VM_READ | VM_WRITE),
			 0);
	ck_assert_int_eq(vm_write(parent, BASE + 100, data, sizeof(data)), 0);
	before = frames_free();
	empty = vm_space_create();
	empty_cost = before - frames_free();
	vm_space_put(empty);
	ck_assert_uint_eq(frames_free(), before);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	/* The child cost its tables, but no data page was copied. */
	ck_assert_uint_eq(before - frames_free(),
			  empty_cost + pt_active()->levels - 1);
	ck_assert_uint_eq(vm_space_frames(child), 2);
	ppa = leaf_of(parent, BASE, &pflags);
	cpa = leaf_of(child, BASE, &cflags);
	ck_assert_uint_eq(ppa, cpa);
	ck_assert_uint_eq(frame_refcount(ppa), 2);
	/* Both read-only to the hardware, COW, writable in principle. */
	ck_assert(pflags & PT_COW);
	ck_assert(cflags & PT_COW);
	ck_assert_uint_eq(pflags & PT_WRITE, 0);
	ck_assert_uint_eq(cflags & PT_WRITE, 0);
	ck_assert_int_eq(vm_query(child, BASE, &prot), 0);
	ck_assert_uint_eq(prot, VM_READ | VM_WRITE);
	ck_assert_int_eq(vm_read(child, BASE + 100, got, sizeof(got)), 0);
	ck_assert_str_eq(got, data);
	/* A kernel write to the child unshares only its page. */
	ck_assert_int_eq(vm_write(child, BASE + 100, "child", 6), 0);
	ck_assert_int_eq(vm_read(parent, BASE + 100, got, sizeof(got)), 0);
	ck_assert_str_eq(got, data);
	ck_assert_int_eq(vm_read(child, BASE + 100, got, 6), 0);
	ck_assert_str_eq(got, "child");
	ck_assert_uint_ne(leaf_of(child, BASE, NULL), ppa);
	ck_assert_uint_eq(frame_refcount(ppa), 1);
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

START_TEST(cow_write_fault_copies_when_shared)
{
	struct vm_space *parent = new_space(), *child = NULL;
	hal_paddr_t old, now;
	unsigned flags;
	char got[8];
	size_t before;

	ck_assert_int_eq(vm_map_zero(parent, BASE, PG, VM_READ | VM_WRITE), 0);
	ck_assert_int_eq(vm_write(parent, BASE, "before", 7), 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	old = leaf_of(parent, BASE, NULL);
	before = frames_free();
	ck_assert_int_eq(vm_resolve_fault(parent, BASE + 123,
					  USER_ACCESS_WRITE),
			 0);
	ck_assert_uint_eq(frames_free(), before - 1);
	now = leaf_of(parent, BASE, &flags);
	ck_assert_uint_ne(now, old);
	ck_assert(flags & PT_WRITE);
	ck_assert_uint_eq(flags & PT_COW, 0);
	ck_assert_uint_eq(frame_refcount(old), 1);
	ck_assert_int_eq(vm_read(parent, BASE, got, 7), 0);
	ck_assert_str_eq(got, "before");
	/* The child, now alone with the old frame, needs no copy. */
	before = frames_free();
	ck_assert_int_eq(vm_resolve_fault(child, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_uint_eq(frames_free(), before);
	ck_assert_uint_eq(leaf_of(child, BASE, &flags), old);
	ck_assert(flags & PT_WRITE);
	ck_assert_uint_eq(flags & PT_COW, 0);
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

START_TEST(cow_break_without_memory_changes_nothing)
{
	struct vm_space *parent = new_space(), *child = NULL;
	hal_paddr_t hoard, old;
	unsigned flags;

	ck_assert_int_eq(vm_map_zero(parent, BASE, PG, VM_READ | VM_WRITE), 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	old = leaf_of(parent, BASE, NULL);
	hoard = hoard_frames();
	ck_assert_int_eq(vm_resolve_fault(parent, BASE, USER_ACCESS_WRITE),
			 -ENOMEM);
	ck_assert_int_eq(vm_write(parent, BASE, "x", 1), -ENOMEM);
	ck_assert_uint_eq(leaf_of(parent, BASE, &flags), old);
	ck_assert(flags & PT_COW);
	ck_assert_uint_eq(frame_refcount(old), 2);
	release_frames(hoard, (size_t)-1);
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

START_TEST(read_only_pages_stay_shared_until_made_writable)
{
	struct vm_space *parent = new_space(), *child = NULL;
	hal_paddr_t pa;
	unsigned flags;
	char got[4];

	ck_assert_int_eq(vm_map_zero(parent, BASE, PG, VM_READ), 0);
	ck_assert_int_eq(vm_write(parent, BASE, "ro", 3), 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	pa = leaf_of(child, BASE, &flags);
	ck_assert_uint_eq(flags & (PT_WRITE | PT_COW), 0);
	/* A read-only page cannot be written by user code. */
	ck_assert_int_eq(vm_resolve_fault(child, BASE, USER_ACCESS_WRITE),
			 -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(child, BASE, USER_ACCESS_READ), 0);
	/* mprotect(RW) of a shared page makes it COW, not writable. */
	ck_assert_int_eq(vm_protect(parent, BASE, PG, VM_READ | VM_WRITE), 0);
	ck_assert_uint_eq(leaf_of(parent, BASE, &flags), pa);
	ck_assert(flags & PT_COW);
	ck_assert_uint_eq(flags & PT_WRITE, 0);
	ck_assert_int_eq(vm_resolve_fault(parent, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_uint_ne(leaf_of(parent, BASE, &flags), pa);
	ck_assert(flags & PT_WRITE);
	ck_assert_int_eq(vm_write(parent, BASE, "rw", 3), 0);
	ck_assert_int_eq(vm_read(child, BASE, got, 3), 0);
	ck_assert_str_eq(got, "ro");
	vm_space_put(child);
	vm_space_put(parent);
}
END_TEST

struct handler_state {
	unsigned calls;
	int mode; /* 0: map a zero page, 1: refuse, 2: lie (map nothing) */
	uintptr_t last_va;
	unsigned last_access;
};

static int test_handler(struct vm_space *vs, uintptr_t va, unsigned access,
			void *arg)
{
	struct handler_state *h = arg;

	h->calls++;
	h->last_va = va;
	h->last_access = access;
	if (h->mode == 1)
		return -EFAULT;
	if (h->mode == 2)
		return 0;
	return vm_map_zero(vs, ALIGN_DOWN(va, PG), PG, VM_READ | VM_WRITE);
}

START_TEST(fault_handler_fills_holes)
{
	struct vm_space *vs = new_space();
	struct handler_state h = { 0 };

	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_READ), -EFAULT);
	vm_set_fault_handler(vs, test_handler, &h);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + 0x234, USER_ACCESS_WRITE),
			 0);
	ck_assert_uint_eq(h.calls, 1);
	ck_assert_uint_eq(h.last_access, USER_ACCESS_WRITE);
	ck_assert_uint_eq(ALIGN_DOWN(h.last_va, PG), BASE);
	ck_assert_int_eq(vm_query(vs, BASE, NULL), 0);
	/* Mapped now: no second call. */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + 8, USER_ACCESS_WRITE), 0);
	ck_assert_uint_eq(h.calls, 1);
	/* A handler that refuses, and one that claims success but maps
	 * nothing: both end in -EFAULT, no endless retry. */
	h.mode = 1;
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_READ),
			 -EFAULT);
	h.mode = 2;
	h.calls = 0;
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_READ),
			 -EFAULT);
	ck_assert_uint_eq(h.calls, 1);
	/* Outside user space the handler is never asked. */
	h.calls = 0;
	ck_assert_int_eq(vm_resolve_fault(vs, user_va_max(), USER_ACCESS_READ),
			 -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(vs, 0, USER_ACCESS_READ), -EFAULT);
	ck_assert_uint_eq(h.calls, 0);
	vm_set_fault_handler(vs, NULL, NULL);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_READ),
			 -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(no_access_pages_fault)
{
	struct vm_space *vs = new_space();

	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, 0), 0);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_READ), -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_EXEC), -EFAULT);
	ck_assert_int_eq(vm_write(vs, BASE, "k", 2), 0); /* the kernel can */
	ck_assert_int_eq(vm_protect(vs, BASE, PG, VM_READ | VM_EXEC), 0);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_EXEC), 0);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_WRITE),
			 -EFAULT);
	vm_space_put(vs);
}
END_TEST

START_TEST(fork_cow_and_teardown_leak_nothing)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_space *a = vm_space_create(), *b = NULL, *c = NULL;
	uintptr_t far = far_va();

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(vm_map_zero(a, BASE, 8 * PG, VM_READ | VM_WRITE), 0);
	ck_assert_int_eq(vm_map_zero(a, far, 2 * PG, VM_READ), 0);
	ck_assert_int_eq(vm_space_fork(a, &b), 0);
	ck_assert_int_eq(vm_space_fork(b, &c), 0);
	/* Break COW here and there, in all three. */
	for (int i = 0; i < 8; i += 2)
		ck_assert_int_eq(vm_resolve_fault(a, BASE + i * PG,
						  USER_ACCESS_WRITE),
				 0);
	ck_assert_int_eq(vm_write(b, BASE + 3 * PG, "b", 2), 0);
	ck_assert_int_eq(vm_write(c, far, "c", 2), 0);
	ck_assert_int_eq(vm_unmap(b, BASE, 4 * PG), 0);
	ck_assert_int_eq(vm_unmap(a, BASE + 6 * PG, 2 * PG), 0);
	ck_assert_int_eq(vm_map_zero(c, BASE + 16 * PG, PG, VM_READ), 0);
	vm_space_put(a);
	ck_assert_int_eq(vm_resolve_fault(c, BASE + 7 * PG, USER_ACCESS_WRITE),
			 0);
	vm_space_put(c);
	vm_space_put(b);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(fork_without_memory_fails_cleanly)
{
	struct vm_space *parent = new_space(), *child = NULL;
	hal_paddr_t hoard;
	char got[6];
	size_t left;

	ck_assert_int_eq(vm_map_zero(parent, BASE, 4 * PG, VM_READ | VM_WRITE),
			 0);
	ck_assert_int_eq(vm_map_zero(parent, far_va(), PG, VM_READ), 0);
	ck_assert_int_eq(vm_write(parent, BASE, "alive", 6), 0);
	hoard = hoard_frames();
	/* Enough for the child's root and part of its tables only. */
	hoard = release_frames(hoard, 3);
	left = frames_free();
	ck_assert_int_eq(vm_space_fork(parent, &child), -ENOMEM);
	ck_assert_ptr_null(child);
	ck_assert_uint_eq(frames_free(), left);
	release_frames(hoard, (size_t)-1);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(frame_refcount(leaf_of(parent, BASE + i * PG,
							 NULL)),
				  1);
	ck_assert_int_eq(vm_resolve_fault(parent, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_int_eq(vm_read(parent, BASE, got, 6), 0);
	ck_assert_str_eq(got, "alive");
	vm_space_put(parent);
}
END_TEST

static Suite *test_vm_suite(void)
{
	Suite *s = suite_create("vm");
	TCase *tc = tcase_create("space");
	TCase *cow = tcase_create("cow");

	tcase_add_test(tc, user_range_limits);
	tcase_add_test(tc, create_and_put_leak_nothing);
	tcase_add_test(tc, map_zero_gives_zeroed_pages);
	tcase_add_test(tc, bad_arguments_are_rejected);
	tcase_add_test(tc, map_over_a_mapping_is_eexist);
	tcase_add_test(tc, map_zero_is_all_or_nothing_without_memory);
	tcase_add_test(tc, unmap_frees_and_tolerates_holes);
	tcase_add_test(tc, protect_changes_mapped_pages_and_skips_holes);
	tcase_add_test(tc, kernel_read_write_across_pages);
	tcase_add_test(tc, kernel_access_to_holes_is_efault);
	tcase_add_test(tc, fault_handler_fills_holes);
	tcase_add_test(tc, no_access_pages_fault);
	suite_add_tcase(s, tc);

	tcase_add_test(cow, fork_shares_pages_copy_on_write);
	tcase_add_test(cow, cow_write_fault_copies_when_shared);
	tcase_add_test(cow, cow_break_without_memory_changes_nothing);
	tcase_add_test(cow, read_only_pages_stay_shared_until_made_writable);
	tcase_add_test(cow, fork_cow_and_teardown_leak_nothing);
	tcase_add_test(cow, fork_without_memory_fails_cleanly);
	suite_add_tcase(s, cow);
	return s;
}
UNIT_SUITE(test_vm_suite);
