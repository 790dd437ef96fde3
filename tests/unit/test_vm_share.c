/*
 * Unit tests of memory objects and the range operations of address spaces
 * (core/mm/page.c, vm_object.c, vm.c, vm_cow.c, vm_batch.c): page handles
 * (their short copies to and from user memory included),
 * shared and private page mappings across fork and protect, pager-backed
 * objects (pages on fault, errors, release), mremap-style moves, extent
 * queries over holes, futex keys, and the TLB contract's batching. Each
 * test ends with frames_free back at its baseline.
 */
#include "unit.h"

#include <string.h>

/* Before the keel headers: they define noreturn as an attribute. */
#include "../../hal/hosted/hosted.h"
#include "mm_fixtures.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/page.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <keel/vm_object.h>

#define PG PAGE_SIZE
#define BASE 0x400000ul
#define OTHER 0x900000ul
#define RW (VM_READ | VM_WRITE)

/* ---- Page handles ---------------------------------------------------- */

START_TEST(page_handle_reads_writes_and_counts)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_page *pg = vm_page_alloc();
	char buf[16] = "untouched";

	ck_assert_ptr_nonnull(pg);
	ck_assert_uint_eq(frames_free(), before - 1);
	ck_assert_int_eq(vm_page_read(pg, PG - 4, buf, 4), 0);
	ck_assert_int_eq(buf[0] | buf[3], 0); /* zero-filled */
	ck_assert_int_eq(vm_page_write(pg, 10, "page", 5), 0);
	ck_assert_int_eq(vm_page_read(pg, 10, buf, 5), 0);
	ck_assert_str_eq(buf, "page");
	/* Out of the page: refused, nothing copied. */
	ck_assert_int_eq(vm_page_write(pg, PG - 2, "xyz", 3), -EINVAL);
	ck_assert_int_eq(vm_page_read(pg, PG + 1, buf, 0), -EINVAL);
	ck_assert_int_eq(vm_page_read(pg, 1, buf, (size_t)-1), -EINVAL);
	ck_assert_int_eq(vm_page_copy_to_user(pg, PG, uptr(BASE), 1), -EINVAL);
	ck_assert_int_eq(vm_page_read(pg, PG - 2, buf, 2), 0);
	ck_assert_int_eq(buf[0] | buf[1], 0);
	vm_page_get(pg);
	ck_assert_uint_eq(frame_refcount(vm_page_pa(pg)), 2);
	vm_page_put(pg);
	ck_assert_uint_eq(frames_free(), before - 1);
	vm_page_put(pg);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(page_handle_outlives_its_space)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_space *vs = new_space();
	struct vm_page *pg = vm_page_alloc();
	char got[8];

	ck_assert_ptr_nonnull(pg);
	ck_assert_int_eq(vm_map_page(vs, BASE, pg, RW, VM_MAP_SHARED), 0);
	ck_assert_int_eq(vm_map_page(vs, BASE, pg, RW, 0), -EEXIST);
	ck_assert_int_eq(vm_map_page(vs, BASE + PG, pg, RW, 2), -EINVAL);
	ck_assert_int_eq(vm_map_page(vs, BASE + 1, pg, RW, 0), -EINVAL);
	ck_assert_int_eq(vm_write(vs, BASE + 3, "space", 6), 0);
	vm_space_put(vs);
	/* The space is gone, the page and what was written stay. */
	ck_assert_int_eq(vm_page_read(pg, 3, got, 6), 0);
	ck_assert_str_eq(got, "space");
	ck_assert_uint_eq(frame_refcount(vm_page_pa(pg)), 1);
	vm_page_put(pg);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

/* Short copies straight between a page handle and user memory: a user
 * range that crosses into an unmapped page stops there, one that starts
 * unmapped, wraps or leaves user space is -EFAULT with the page
 * untouched, a page range past the page's end is -EINVAL. */
START_TEST(page_partial_copies_stop_at_a_user_hole)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_space *vs = new_space();
	struct vm_page *pg = vm_page_alloc();
	char got[16] = "";

	ck_assert_ptr_nonnull(pg);
	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, RW), 0);
	ck_assert_int_eq(vm_write(vs, BASE + PG - 4, "edge", 4), 0);
	ck_assert_int_eq(vm_page_write(pg, 0, "-----------", 12), 0);
	/* User [BASE+PG-4, BASE+PG+4): only the 4 mapped bytes come. */
	ck_assert_int_eq(vm_page_copy_in_partial(vs, pg, 2, BASE + PG - 4, 8),
			 4);
	ck_assert_int_eq(vm_page_read(pg, 0, got, 12), 0);
	ck_assert_str_eq(got, "--edge-----");
	ck_assert_int_eq(vm_page_copy_out_partial(vs, pg, 2, BASE + PG - 3, 8),
			 3);
	ck_assert_int_eq(vm_read(vs, BASE + PG - 3, got, 3), 0);
	ck_assert_int_eq(memcmp(got, "edg", 3), 0);
	/* Nothing accessible, or not user memory at all: -EFAULT. */
	ck_assert_int_eq(vm_page_copy_in_partial(vs, pg, 0, BASE + PG, 4),
			 -EFAULT);
	ck_assert_int_eq(vm_page_copy_out_partial(vs, pg, 0, BASE + PG, 4),
			 -EFAULT);
	ck_assert_int_eq(vm_page_copy_in_partial(vs, pg, 0, (uintptr_t)-2, 4),
			 -EFAULT);
	ck_assert_int_eq(vm_page_copy_out_partial(vs, pg, 0, 0, 1), -EFAULT);
	ck_assert_int_eq(vm_page_read(pg, 0, got, 12), 0);
	ck_assert_str_eq(got, "--edge-----");
	/* The page's side must lie inside the page. */
	ck_assert_int_eq(vm_page_copy_in_partial(vs, pg, PG - 2, BASE, 3),
			 -EINVAL);
	ck_assert_int_eq(vm_page_copy_out_partial(vs, pg, PG + 1, BASE, 0),
			 -EINVAL);
	ck_assert_int_eq(vm_page_copy_out_partial(vs, pg, PG, BASE, 0), 0);
	vm_page_put(pg);
	vm_space_put(vs);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(private_page_mapping_copies_on_write)
{
	struct vm_space *vs = new_space();
	struct vm_page *pg = vm_page_alloc();
	unsigned flags, prot;
	char got[8];

	ck_assert_ptr_nonnull(pg);
	ck_assert_int_eq(vm_page_write(pg, 0, "cache", 6), 0);
	ck_assert_int_eq(vm_map_page(vs, BASE, pg, RW, 0), 0);
	ck_assert_uint_eq(leaf_of(vs, BASE, &flags), vm_page_pa(pg));
	ck_assert(flags & PT_COW);
	ck_assert_int_eq(vm_query(vs, BASE, &prot), 0);
	ck_assert_uint_eq(prot, RW);
	/* A user write gets the space its own copy; the page is untouched. */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_uint_ne(leaf_of(vs, BASE, &flags), vm_page_pa(pg));
	ck_assert(flags & PT_WRITE);
	ck_assert_int_eq(vm_write(vs, BASE, "mine", 5), 0);
	ck_assert_int_eq(vm_page_read(pg, 0, got, 6), 0);
	ck_assert_str_eq(got, "cache");
	ck_assert_int_eq(vm_read(vs, BASE, got, 5), 0);
	ck_assert_str_eq(got, "mine");
	vm_page_put(pg);
	vm_space_put(vs);
}
END_TEST

START_TEST(map_page_without_memory_changes_nothing)
{
	struct vm_space *vs = new_space();
	struct vm_page *pg = vm_page_alloc();
	hal_paddr_t hoard;
	int err;

	ck_assert_ptr_nonnull(pg);
	hoard = hoard_frames();
	/* A fresh space has no tables below the root yet. */
	err = vm_map_page(vs, BASE, pg, RW, VM_MAP_SHARED);
	release_frames(hoard, (size_t)-1);
	ck_assert_int_eq(err, -ENOMEM);
	ck_assert_int_eq(vm_query(vs, BASE, NULL), -ENOENT);
	ck_assert_uint_eq(frame_refcount(vm_page_pa(pg)), 1);
	ck_assert_uint_eq(vm_space_frames(vs), 0);
	vm_page_put(pg);
	vm_space_put(vs);
}
END_TEST

START_TEST(shared_pages_stay_shared_across_fork_and_protect)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct vm_space *parent = new_space(), *child = NULL;
	struct vm_page *pg = vm_page_alloc();
	hal_paddr_t pa;
	unsigned flags;
	char got[8];

	ck_assert_ptr_nonnull(pg);
	pa = vm_page_pa(pg);
	ck_assert_int_eq(vm_map_page(parent, BASE, pg, RW, VM_MAP_SHARED), 0);
	vm_page_put(pg); /* the mapping holds it now */
	ck_assert_int_eq(vm_map_zero(parent, BASE + PG, PG, RW), 0);
	ck_assert_int_eq(vm_space_fork(parent, &child), 0);
	/* Shared: one frame, writable in both, no COW. */
	ck_assert_uint_eq(leaf_of(child, BASE, &flags), pa);
	ck_assert(flags & PT_WRITE);
	ck_assert(flags & PT_SHARED);
	ck_assert_uint_eq(flags & PT_COW, 0);
	ck_assert_uint_eq(leaf_of(parent, BASE, &flags), pa);
	ck_assert(flags & PT_WRITE);
	/* Private: COW in both. */
	leaf_of(child, BASE + PG, &flags);
	ck_assert(flags & PT_COW);
	/* Writes (the kernel's, and a write fault) reach the one page. */
	ck_assert_int_eq(vm_resolve_fault(child, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_uint_eq(leaf_of(child, BASE, NULL), pa);
	ck_assert_int_eq(vm_write(child, BASE, "child", 6), 0);
	ck_assert_int_eq(vm_read(parent, BASE, got, 6), 0);
	ck_assert_str_eq(got, "child");
	/* Protect away and back: still shared, still writable. */
	ck_assert_int_eq(vm_protect(parent, BASE, 2 * PG, VM_READ), 0);
	ck_assert_int_eq(vm_protect(parent, BASE, 2 * PG, RW), 0);
	ck_assert_uint_eq(leaf_of(parent, BASE, &flags), pa);
	ck_assert(flags & PT_WRITE);
	ck_assert_uint_eq(flags & PT_COW, 0);
	leaf_of(parent, BASE + PG, &flags);
	ck_assert(flags & PT_COW); /* the child still holds that frame */
	ck_assert_int_eq(vm_write(parent, BASE, "parent", 7), 0);
	ck_assert_int_eq(vm_read(child, BASE, got, 7), 0);
	ck_assert_str_eq(got, "parent");
	/* The private page really is private. */
	ck_assert_int_eq(vm_write(child, BASE + PG, "c", 2), 0);
	ck_assert_int_eq(vm_read(parent, BASE + PG, got, 2), 0);
	ck_assert_int_eq(got[0], 0);
	vm_space_put(parent);
	vm_space_put(child);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

/* ---- A test pager ---------------------------------------------------- */

#define TP_PAGES 4

struct test_pager {
	struct vm_page *cache[TP_PAGES];
	unsigned calls;
	uint64_t last_idx;
	unsigned last_access;
	int fail; /* returned instead of a page when non-zero */
	bool released;
	/* When set, the next call cuts it at cut_page (a truncate racing
	 * the fault) and pages from there on are -ENXIO from then on. */
	struct vm_object *cut_obj;
	uint64_t cut_page;
	uint64_t end; /* pages from here are -ENXIO (0: TP_PAGES) */
};

/* Page idx of a TP_PAGES-page "file" whose page i starts with 'A' + i;
 * -ENXIO past its end. */
static int tp_get_page(struct vm_object *obj, uint64_t idx, unsigned access,
		       struct vm_page **out)
{
	struct test_pager *tp = vm_object_priv(obj);
	char c = (char)('A' + idx);

	tp->calls++;
	tp->last_idx = idx;
	tp->last_access = access;
	if (tp->fail)
		return tp->fail;
	if (idx >= (tp->end ? tp->end : TP_PAGES))
		return -ENXIO;
	if (tp->cut_obj) {
		/* hand out the page the cut makes stale */
		tp->end = tp->cut_page;
		vm_object_cut(tp->cut_obj, tp->cut_page * PG);
		tp->cut_obj = NULL;
	}
	if (!tp->cache[idx]) {
		tp->cache[idx] = vm_page_alloc();
		if (!tp->cache[idx])
			return -ENOMEM;
		vm_page_write(tp->cache[idx], 0, &c, 1);
	}
	vm_page_get(tp->cache[idx]);
	*out = tp->cache[idx];
	return 0;
}

static void tp_release(struct vm_object *obj)
{
	struct test_pager *tp = vm_object_priv(obj);

	for (int i = 0; i < TP_PAGES; i++)
		if (tp->cache[i])
			vm_page_put(tp->cache[i]);
	tp->released = true;
}

static const struct vm_pager_ops tp_ops = {
	.get_page = tp_get_page,
	.release = tp_release,
};

static char first_byte(struct vm_space *vs, uintptr_t va)
{
	char c = 0;

	ck_assert_int_eq(vm_read(vs, va, &c, 1), 0);
	return c;
}

/* A cut unmaps the pages past it in every space, shared, copy-on-write
 * and private copies alike, and leaves the pages before it; a fault
 * whose page the pager handed out before a cut that came meanwhile does
 * not map it but asks again (and gets -ENXIO). */
START_TEST(cut_unmaps_every_space_and_stale_faults)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct test_pager tp = { 0 };
	struct vm_object *obj = vm_object_create(&tp_ops, &tp);
	struct vm_space *a = new_space(), *b = new_space();

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(vm_map_object(a, BASE, 4 * PG, obj, 0, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_map_object(b, OTHER, 3 * PG, obj, PG, RW, 0), 0);
	vm_object_put(obj);
	for (int k = 0; k < 4; k++)
		ck_assert_int_eq(vm_resolve_fault(a, BASE + k * PG,
						  USER_ACCESS_READ),
				 0);
	/* b: file page 1 copy-on-write, page 3 a private copy */
	ck_assert_int_eq(vm_resolve_fault(b, OTHER, USER_ACCESS_READ), 0);
	ck_assert_int_eq(vm_resolve_fault(b, OTHER + 2 * PG,
					  USER_ACCESS_WRITE),
			 0);
	ck_assert_uint_eq(vm_space_frames(a), 4);
	ck_assert_uint_eq(vm_space_frames(b), 2);
	tp.end = 2;
	vm_object_cut(obj, PG + 1); /* from page 2 on */
	ck_assert_uint_eq(vm_space_frames(a), 2);
	ck_assert_int_eq(vm_query(a, BASE + PG, NULL), 0);
	ck_assert_int_eq(vm_query(a, BASE + 2 * PG, NULL), -ENOENT);
	ck_assert_uint_eq(vm_space_frames(b), 1); /* page 1 stays */
	ck_assert_int_eq(vm_query(b, OTHER + 2 * PG, NULL), -ENOENT);
	ck_assert_int_eq(vm_handle_fault(a, BASE + 3 * PG, USER_ACCESS_READ),
			 -ENXIO);
	ck_assert_int_eq(vm_handle_fault(b, OTHER + 2 * PG, USER_ACCESS_READ),
			 -ENXIO);
	/* the race: page 1 handed out, then cut before it is mapped */
	tp.cut_obj = obj;
	tp.cut_page = 1;
	ck_assert_int_eq(vm_handle_fault(b, OTHER + 4 * PG, USER_ACCESS_READ),
			 -EFAULT); /* past b's mapping: no pager call */
	vm_unmap(a, BASE + PG, PG);
	ck_assert_int_eq(vm_map_object(a, BASE + PG, PG, obj, PG, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_handle_fault(a, BASE + PG, USER_ACCESS_READ),
			 -ENXIO);
	ck_assert_int_eq(vm_query(a, BASE + PG, NULL), -ENOENT);
	ck_assert_int_eq(vm_query(b, OTHER, NULL), -ENOENT);
	ck_assert_uint_eq(vm_space_frames(a), 1);
	vm_space_put(a);
	vm_space_put(b);
	ck_assert(tp.released);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(pager_supplies_shared_pages_on_fault)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct test_pager tp = { 0 };
	struct vm_object *obj = vm_object_create(&tp_ops, &tp);
	struct vm_space *a = new_space(), *b = new_space();
	unsigned flags;

	ck_assert_ptr_nonnull(obj);
	ck_assert_ptr_null(vm_object_create(NULL, NULL));
	/* a maps pages 1..3 at BASE, b maps pages 0..3 at OTHER. */
	ck_assert_int_eq(vm_map_object(a, BASE, 3 * PG, obj, PG, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_map_object(b, OTHER, 4 * PG, obj, 0, RW,
				       VM_MAP_SHARED),
			 0);
	vm_object_put(obj); /* the mappings hold it */
	ck_assert_uint_eq(tp.calls, 0); /* nothing until a fault */
	ck_assert_int_eq(vm_query(a, BASE, NULL), -ENOENT);
	ck_assert_int_eq(vm_resolve_fault(a, BASE + PG + 5, USER_ACCESS_READ),
			 0);
	ck_assert_uint_eq(tp.calls, 1);
	ck_assert_uint_eq(tp.last_idx, 2);
	ck_assert_int_eq(first_byte(a, BASE + PG), 'C');
	ck_assert_uint_eq(leaf_of(a, BASE + PG, &flags),
			  vm_page_pa(tp.cache[2]));
	ck_assert(flags & PT_SHARED);
	ck_assert(flags & PT_WRITE);
	/* Present now: no second call. */
	ck_assert_int_eq(vm_resolve_fault(a, BASE + PG, USER_ACCESS_WRITE), 0);
	ck_assert_uint_eq(tp.calls, 1);
	/* uaccess faults pages in too, and both spaces see one page. */
	ck_assert_int_eq(vm_copy_to_user(b, OTHER + 2 * PG + 1, "hi", 3), 0);
	ck_assert_uint_eq(tp.calls, 2);
	ck_assert_uint_eq(tp.last_access, USER_ACCESS_WRITE);
	{
		char got[3];

		ck_assert_int_eq(vm_read(a, BASE + PG + 1, got, 3), 0);
		ck_assert_str_eq(got, "hi");
	}
	/* Past the object's end: the pager's error, -EFAULT for uaccess. */
	ck_assert_int_eq(vm_unmap(b, OTHER, 4 * PG), 0);
	ck_assert_int_eq(vm_map_object(b, OTHER, 2 * PG, obj, 3 * PG, VM_READ,
				       VM_MAP_SHARED),
			 0); /* obj is still alive: a holds it */
	ck_assert_int_eq(vm_handle_fault(b, OTHER + PG, USER_ACCESS_READ),
			 -ENXIO);
	ck_assert_int_eq(vm_resolve_fault(b, OTHER + PG, USER_ACCESS_READ),
			 -EFAULT);
	{
		char c;

		ck_assert_int_eq(vm_copy_from_user(b, &c, OTHER + PG, 1),
				 -EFAULT);
	}
	/* A write to a read-only mapping never reaches the pager. */
	tp.calls = 0;
	ck_assert_int_eq(vm_handle_fault(b, OTHER, USER_ACCESS_WRITE),
			 -EFAULT);
	ck_assert_uint_eq(tp.calls, 0);
	ck_assert_int_eq(vm_resolve_fault(b, OTHER, USER_ACCESS_READ), 0);
	ck_assert_int_eq(first_byte(b, OTHER), 'D');
	tp.fail = -EIO;
	ck_assert_int_eq(vm_handle_fault(a, BASE, USER_ACCESS_READ), -EIO);
	tp.fail = -ENOMEM;
	ck_assert_int_eq(vm_resolve_fault(a, BASE, USER_ACCESS_READ), -ENOMEM);
	tp.fail = 0;
	vm_space_put(b);
	ck_assert(!tp.released);
	vm_space_put(a);
	ck_assert(tp.released); /* the last mapping went */
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(private_object_mapping_copies_on_write)
{
	size_t before = (unit_boot_mm(), frames_free());
	struct test_pager tp = { 0 };
	struct vm_object *obj = vm_object_create(&tp_ops, &tp);
	struct vm_space *vs = new_space(), *child = NULL;
	unsigned flags;

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(vm_map_object(vs, BASE, 3 * PG, obj, 0, RW, 0), 0);
	/* A read maps the pager's page copy-on-write... */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_READ), 0);
	ck_assert_uint_eq(leaf_of(vs, BASE, &flags), vm_page_pa(tp.cache[0]));
	ck_assert(flags & PT_COW);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_WRITE), 0);
	ck_assert_uint_ne(leaf_of(vs, BASE, NULL), vm_page_pa(tp.cache[0]));
	/* ...a write fault a private copy at once. */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_WRITE),
			 0);
	ck_assert_uint_ne(leaf_of(vs, BASE + PG, &flags),
			  vm_page_pa(tp.cache[1]));
	ck_assert(flags & PT_WRITE);
	ck_assert_int_eq(first_byte(vs, BASE + PG), 'B');
	ck_assert_int_eq(vm_write(vs, BASE + PG, "x", 1), 0);
	{
		char c;

		vm_page_read(tp.cache[1], 0, &c, 1);
		ck_assert_int_eq(c, 'B');
	}
	/* Without memory for the copy: -ENOMEM, nothing mapped. */
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + 2 * PG, USER_ACCESS_READ),
			 0); /* the pager has the page cached now */
	ck_assert_int_eq(vm_unmap(vs, BASE, 3 * PG), 0);
	ck_assert_int_eq(vm_map_object(vs, BASE, 3 * PG, obj, 0, RW, 0), 0);
	{
		hal_paddr_t hoard = hoard_frames();
		int err = vm_resolve_fault(vs, BASE + 2 * PG,
					   USER_ACCESS_WRITE);

		release_frames(hoard, (size_t)-1);
		ck_assert_int_eq(err, -ENOMEM);
		ck_assert_int_eq(vm_query(vs, BASE + 2 * PG, NULL), -ENOENT);
	}
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_READ), 0);
	/* Fork copies the mapping: the child faults from the object. */
	ck_assert_int_eq(vm_space_fork(vs, &child), 0);
	ck_assert_int_eq(vm_resolve_fault(child, BASE, USER_ACCESS_READ), 0);
	ck_assert_int_eq(first_byte(child, BASE), 'A');
	ck_assert_int_eq(vm_resolve_fault(child, BASE + PG, USER_ACCESS_READ),
			 0);
	ck_assert_int_eq(first_byte(child, BASE + PG), 'B');
	vm_object_put(obj);
	vm_space_put(vs);
	vm_space_put(child);
	ck_assert(tp.released);
	ck_assert_uint_eq(frames_free(), before);
}
END_TEST

START_TEST(object_mapping_arguments_and_cuts)
{
	struct test_pager tp = { 0 };
	struct vm_object *obj = vm_object_create(&tp_ops, &tp);
	struct vm_space *vs = new_space();

	ck_assert_ptr_nonnull(obj);
	ck_assert_int_eq(vm_map_object(vs, BASE, 0, obj, 0, RW, 0), -EINVAL);
	ck_assert_int_eq(vm_map_object(vs, BASE, PG, obj, 1, RW, 0), -EINVAL);
	ck_assert_int_eq(vm_map_object(vs, BASE, PG, obj, 0, 8, 0), -EINVAL);
	ck_assert_int_eq(vm_map_object(vs, BASE, PG, obj, 0, RW, 4), -EINVAL);
	ck_assert_int_eq(vm_map_object(vs, BASE, PG, NULL, 0, RW, 0), -EINVAL);
	ck_assert_int_eq(vm_map_object(vs, BASE, 2 * PG, obj,
				       (uint64_t)0 - PG, RW, 0),
			 -EINVAL);
	ck_assert_int_eq(vm_map_object(vs, BASE, 3 * PG, obj, 0, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_map_object(vs, BASE + 2 * PG, PG, obj, 0, RW, 0),
			 -EEXIST);
	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, RW), -EEXIST);
	/* Cut the middle page out: the ends keep their offsets. */
	ck_assert_int_eq(vm_unmap(vs, BASE + PG, PG), 0);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + PG, USER_ACCESS_READ),
			 -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + 2 * PG, USER_ACCESS_READ),
			 0);
	ck_assert_int_eq(first_byte(vs, BASE + 2 * PG), 'C');
	ck_assert_int_eq(vm_resolve_fault(vs, BASE, USER_ACCESS_READ), 0);
	ck_assert_int_eq(first_byte(vs, BASE), 'A');
	/* Protect the first page read-only: its mapping splits. */
	ck_assert_int_eq(vm_protect(vs, BASE, PG, VM_READ), 0);
	ck_assert_int_eq(vm_handle_fault(vs, BASE, USER_ACCESS_WRITE),
			 -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + 2 * PG,
					  USER_ACCESS_WRITE),
			 0);
	vm_object_put(obj);
	ck_assert(!tp.released);
	vm_space_put(vs);
	ck_assert(tp.released);
}
END_TEST

/* ---- Move, extents --------------------------------------------------- */

START_TEST(move_carries_contents_and_leaves_the_old_range_empty)
{
	struct vm_space *vs = new_space();
	struct test_pager tp = { 0 };
	struct vm_object *obj = vm_object_create(&tp_ops, &tp);
	hal_paddr_t pa;
	unsigned prot;
	char got[8];

	ck_assert_ptr_nonnull(obj);
	/* BASE: two data pages, a hole, an object page not faulted in. */
	ck_assert_int_eq(vm_map_zero(vs, BASE, 2 * PG, RW), 0);
	ck_assert_int_eq(vm_protect(vs, BASE + PG, PG, VM_READ), 0);
	ck_assert_int_eq(vm_write(vs, BASE + 10, "moved", 6), 0);
	ck_assert_int_eq(vm_map_object(vs, BASE + 3 * PG, PG, obj, 2 * PG, RW,
				       VM_MAP_SHARED),
			 0);
	pa = leaf_of(vs, BASE, NULL);
	ck_assert_int_eq(vm_move(vs, BASE, 4 * PG, BASE + 2 * PG), -EINVAL);
	ck_assert_int_eq(vm_move(vs, BASE, 4 * PG, BASE + 1), -EINVAL);
	ck_assert_int_eq(vm_map_zero(vs, OTHER + 3 * PG, PG, RW), 0);
	ck_assert_int_eq(vm_move(vs, BASE, 4 * PG, OTHER), -EEXIST);
	ck_assert_int_eq(vm_unmap(vs, OTHER + 3 * PG, PG), 0);
	ck_assert_int_eq(vm_move(vs, BASE, 4 * PG, OTHER), 0);
	/* Same frame, same protection; the hole is still a hole. */
	ck_assert_uint_eq(leaf_of(vs, OTHER, NULL), pa);
	ck_assert_int_eq(vm_read(vs, OTHER + 10, got, 6), 0);
	ck_assert_str_eq(got, "moved");
	ck_assert_int_eq(vm_query(vs, OTHER + PG, &prot), 0);
	ck_assert_uint_eq(prot, VM_READ);
	ck_assert_int_eq(vm_query(vs, OTHER + 2 * PG, NULL), -ENOENT);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(vm_query(vs, BASE + i * PG, NULL), -ENOENT);
	ck_assert_int_eq(vm_resolve_fault(vs, BASE + 3 * PG, USER_ACCESS_READ),
			 -EFAULT);
	ck_assert_int_eq(vm_resolve_fault(vs, OTHER + 3 * PG,
					  USER_ACCESS_READ),
			 0);
	ck_assert_uint_eq(tp.last_idx, 2);
	ck_assert_int_eq(first_byte(vs, OTHER + 3 * PG), 'C');
	ck_assert_uint_eq(vm_space_frames(vs), 3);
	vm_object_put(obj);
	vm_space_put(vs);
}
END_TEST

START_TEST(move_without_memory_changes_nothing)
{
	struct vm_space *vs = new_space();
	uintptr_t far = (uintptr_t)5
			<< (12 + pt_active()->index_bits *
					 (pt_active()->levels - 1));
	hal_paddr_t hoard;

	ck_assert_int_eq(vm_map_zero(vs, BASE, PG, RW), 0);
	ck_assert_int_eq(vm_write(vs, BASE, "stay", 5), 0);
	hoard = hoard_frames();
	/* The destination needs page tables there are no frames for. */
	ck_assert_int_eq(vm_move(vs, BASE, PG, far), -ENOMEM);
	release_frames(hoard, (size_t)-1);
	ck_assert_int_eq(first_byte(vs, BASE), 's');
	ck_assert_int_eq(vm_query(vs, far, NULL), -ENOENT);
	vm_space_put(vs);
}
END_TEST

START_TEST(query_extent_reports_runs_and_holes)
{
	struct vm_space *vs = new_space();
	struct vm_extent e;

	ck_assert_int_eq(vm_map_zero(vs, BASE + PG, 3 * PG, RW), 0);
	ck_assert_int_eq(vm_protect(vs, BASE + 3 * PG, PG, VM_READ), 0);
	ck_assert_int_eq(vm_query_extent(vs, BASE, BASE + 8 * PG, &e), 0);
	ck_assert(!e.present);
	ck_assert_uint_eq(e.start, BASE);
	ck_assert_uint_eq(e.end, BASE + PG);
	ck_assert_int_eq(vm_query_extent(vs, e.end, BASE + 8 * PG, &e), 0);
	ck_assert(e.present);
	ck_assert_uint_eq(e.prot, RW);
	ck_assert_uint_eq(e.end, BASE + 3 * PG);
	ck_assert_int_eq(vm_query_extent(vs, e.end, BASE + 8 * PG, &e), 0);
	ck_assert(e.present);
	ck_assert_uint_eq(e.prot, VM_READ);
	ck_assert_uint_eq(e.end, BASE + 4 * PG);
	ck_assert_int_eq(vm_query_extent(vs, e.end, BASE + 8 * PG, &e), 0);
	ck_assert(!e.present);
	ck_assert_uint_eq(e.end, BASE + 8 * PG);
	/* Bounded by end even inside a run. */
	ck_assert_int_eq(vm_query_extent(vs, BASE + PG, BASE + 2 * PG, &e), 0);
	ck_assert(e.present);
	ck_assert_uint_eq(e.end, BASE + 2 * PG);
	ck_assert_int_eq(vm_query_extent(vs, BASE, BASE, &e), -EINVAL);
	ck_assert_int_eq(vm_query_extent(vs, BASE + 1, BASE + PG, &e),
			 -EINVAL);
	ck_assert_int_eq(vm_query_extent(vs, BASE, user_va_max() + PG, &e),
			 -EINVAL);
	vm_space_put(vs);
}
END_TEST

/* ---- Futex keys ------------------------------------------------------ */

START_TEST(futex_keys_identify_shared_words)
{
	struct test_pager tp = { 0 };
	struct vm_object *obj = vm_object_create(&tp_ops, &tp);
	struct vm_space *a = new_space(), *b = new_space();
	struct vm_page *pg = vm_page_alloc();
	struct vm_futex_key k1, k2;

	ck_assert_ptr_nonnull(obj);
	ck_assert_ptr_nonnull(pg);
	/* Private memory: (space, address), different across spaces. */
	ck_assert_int_eq(vm_map_zero(a, BASE, PG, RW), 0);
	ck_assert_int_eq(vm_futex_key(a, BASE + 8, false, &k1), 0);
	ck_assert_int_eq(vm_futex_key(a, BASE + 8, true, &k2), 0);
	ck_assert(vm_futex_key_equal(&k1, &k2));
	ck_assert_uint_eq(k1.kind, VM_FUTEX_KEY_PRIVATE);
	ck_assert_int_eq(vm_futex_key(b, BASE + 8, false, &k2), 0);
	ck_assert(!vm_futex_key_equal(&k1, &k2));
	/* One shared object page at two addresses and in two spaces. */
	ck_assert_int_eq(vm_map_object(a, OTHER, 2 * PG, obj, 0, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_map_object(a, OTHER + 4 * PG, PG, obj, PG, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_map_object(b, BASE, PG, obj, PG, RW,
				       VM_MAP_SHARED),
			 0);
	ck_assert_int_eq(vm_futex_key(a, OTHER + PG + 12, true, &k1), 0);
	ck_assert_uint_eq(k1.kind, VM_FUTEX_KEY_OBJECT);
	ck_assert_int_eq(vm_futex_key(a, OTHER + 4 * PG + 12, true, &k2), 0);
	ck_assert(vm_futex_key_equal(&k1, &k2));
	ck_assert_int_eq(vm_futex_key(b, BASE + 12, true, &k2), 0);
	ck_assert(vm_futex_key_equal(&k1, &k2));
	ck_assert_int_eq(vm_futex_key(b, BASE + 16, true, &k2), 0);
	ck_assert(!vm_futex_key_equal(&k1, &k2));
	/* Private futexes on the same word still differ across spaces. */
	ck_assert_int_eq(vm_futex_key(b, BASE + 12, false, &k2), 0);
	ck_assert(!vm_futex_key_equal(&k1, &k2));
	/* A shared page handle mapped twice. */
	ck_assert_int_eq(vm_map_page(a, BASE + PG, pg, RW, VM_MAP_SHARED), 0);
	ck_assert_int_eq(vm_map_page(b, OTHER, pg, RW, VM_MAP_SHARED), 0);
	ck_assert_int_eq(vm_futex_key(a, BASE + PG + 4, true, &k1), 0);
	ck_assert_int_eq(vm_futex_key(b, OTHER + 4, true, &k2), 0);
	ck_assert_uint_eq(k1.kind, VM_FUTEX_KEY_PAGE);
	ck_assert(vm_futex_key_equal(&k1, &k2));
	/* Bad words. */
	ck_assert_int_eq(vm_futex_key(a, BASE + 2, true, &k1), -EINVAL);
	ck_assert_int_eq(vm_futex_key(a, user_va_max(), true, &k1), -EFAULT);
	ck_assert_int_eq(vm_futex_key(a, 0, false, &k1), -EFAULT);
	vm_page_put(pg);
	vm_object_put(obj);
	vm_space_put(a);
	vm_space_put(b);
}
END_TEST

/* ---- The TLB contract ------------------------------------------------ */

START_TEST(range_changes_flush_once)
{
	struct vm_space *vs = new_space();
	struct hosted_tlb_calls c0, c1;

	ck_assert_int_eq(vm_map_zero(vs, BASE, 64 * PG, RW), 0);
	hosted_tlb_calls(vm_space_hal(vs), &c0);
	ck_assert_int_eq(vm_unmap(vs, BASE, 64 * PG), 0);
	hosted_tlb_calls(vm_space_hal(vs), &c1);
	/* 64 pages: one invalidation of the range, one flush. */
	ck_assert_uint_eq(c1.invalidates - c0.invalidates, 1);
	ck_assert_uint_eq(c1.flushes - c0.flushes, 1);
	ck_assert_uint_eq(c1.updates, c0.updates);
	/* Removing access from a range is one invalidation too. */
	ck_assert_int_eq(vm_map_zero(vs, BASE, 8 * PG, RW), 0);
	hosted_tlb_calls(vm_space_hal(vs), &c0);
	ck_assert_int_eq(vm_protect(vs, BASE, 8 * PG, 0), 0);
	hosted_tlb_calls(vm_space_hal(vs), &c1);
	ck_assert_uint_eq(c1.invalidates - c0.invalidates, 1);
	ck_assert_uint_eq(c1.flushes - c0.flushes, 1);
	/* More than a batch holds: flushed early, every frame back. */
	ck_assert_int_eq(vm_map_zero(vs, OTHER, 3 * VM_BATCH_FRAMES * PG, RW),
			 0);
	ck_assert_int_eq(vm_unmap(vs, OTHER, 3 * VM_BATCH_FRAMES * PG), 0);
	ck_assert_uint_eq(vm_space_frames(vs), 8);
	hosted_tlb_calls(vm_space_hal(vs), &c1);
	/* An unmap of nothing makes no TLB call at all. */
	ck_assert_int_eq(vm_unmap(vs, OTHER, 8 * PG), 0);
	hosted_tlb_calls(vm_space_hal(vs), &c0);
	ck_assert_uint_eq(c0.flushes, c1.flushes);
	vm_space_put(vs);
}
END_TEST

static Suite *test_vm_share_suite(void)
{
	Suite *s = suite_create("vm_share");
	TCase *pages = tcase_create("pages");
	TCase *objects = tcase_create("objects");
	TCase *ranges = tcase_create("ranges");

	tcase_add_test(pages, page_handle_reads_writes_and_counts);
	tcase_add_test(pages, page_handle_outlives_its_space);
	tcase_add_test(pages, page_partial_copies_stop_at_a_user_hole);
	tcase_add_test(pages, private_page_mapping_copies_on_write);
	tcase_add_test(pages, map_page_without_memory_changes_nothing);
	tcase_add_test(pages, shared_pages_stay_shared_across_fork_and_protect);
	suite_add_tcase(s, pages);

	tcase_add_test(objects, pager_supplies_shared_pages_on_fault);
	tcase_add_test(objects, private_object_mapping_copies_on_write);
	tcase_add_test(objects, object_mapping_arguments_and_cuts);
	tcase_add_test(objects, futex_keys_identify_shared_words);
	suite_add_tcase(s, objects);

	tcase_add_test(ranges, move_carries_contents_and_leaves_the_old_range_empty);
	tcase_add_test(ranges, move_without_memory_changes_nothing);
	tcase_add_test(ranges, query_extent_reports_runs_and_holes);
	tcase_add_test(ranges, range_changes_flush_once);
	tcase_add_test(ranges, cut_unmaps_every_space_and_stale_faults);
	suite_add_tcase(s, ranges);
	return s;
}
UNIT_SUITE(test_vm_share_suite);
