/*
 * In-kernel tests of memory management as it runs on each backend (the
 * unit tests cover it in depth on the host): frames, the heap, page tables
 * in the machine's format, address spaces with a map and read-back,
 * copy-on-write fork, and user-memory access. Each test checks that the
 * machine's free frame count returns to where it started.
 */
#include "mm/frame.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pt.h"

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/user.h>
#include <keel/vm.h>

#define KT_VA 0x600000ul /* a user address the tests map at */

KTEST(mm, frames)
{
	size_t before = frames_free();
	hal_paddr_t a, b;
	unsigned char *p;

	KT_ASSERT(t, before > 0);
	a = frame_alloc_zeroed(0);
	b = frame_alloc(3);
	KT_ASSERT(t, a != 0 && b != 0);
	KT_EXPECT_EQ(t, frames_free(), before - 9);
	KT_EXPECT_EQ(t, b % (8 * HAL_PAGE_SIZE), 0);
	p = hal_phys_to_virt(a);
	KT_EXPECT_EQ(t, p[0] | p[HAL_PAGE_SIZE - 1], 0);
	memset(p, 0x5a, HAL_PAGE_SIZE);
	KT_EXPECT_EQ(t, p[123], 0x5a);
	frame_get(a);
	KT_EXPECT_EQ(t, frame_refcount(a), 2);
	KT_EXPECT_EQ(t, frame_pool_free_checked(frame_global_pool(), a),
		     -EBUSY);
	frame_put(a);
	frame_free(a);
	KT_EXPECT_EQ(t, frame_pool_free_checked(frame_global_pool(), a),
		     -EINVAL);
	KT_EXPECT_EQ(t, frame_pool_free_checked(frame_global_pool(),
						b + HAL_PAGE_SIZE),
		     -EINVAL);
	frame_free(b);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(mm, heap)
{
	size_t before = frames_free();
	static const size_t sizes[] = { 1, 24, 200, 2048, 5000, 70000 };
	char *p[ARRAY_SIZE(sizes)];
	int local;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		KT_ASSERT(t, p[i] != NULL);
		KT_EXPECT(t, heap_object_size(p[i]) >= sizes[i]);
		memset(p[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		KT_EXPECT_EQ(t, p[i][sizes[i] - 1], (char)i);
		kfree(p[i]);
	}
	KT_EXPECT_EQ(t, kfree_checked(&local), -EINVAL);
	KT_EXPECT(t, kcalloc(SIZE_MAX / 4, 8) == NULL);
	p[0] = kstrdup("keel");
	KT_ASSERT(t, p[0] != NULL);
	KT_EXPECT(t, kstrcmp(p[0], "keel") == 0);
	kfree(p[0]);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(mm, page_tables)
{
	const struct pt_format *fmt = pt_active();
	size_t before = frames_free();
	hal_paddr_t root = pt_root_alloc(), pa = 0;
	unsigned flags = 0;

	KT_ASSERT(t, root != 0);
	KT_EXPECT_EQ(t, pt_map(fmt, root, KT_VA, 0x1000, PT_READ | PT_USER),
		     0);
	KT_EXPECT_EQ(t, pt_lookup(fmt, root, KT_VA + 5, &pa, &flags), 0);
	KT_EXPECT_EQ(t, pa, 0x1000);
	KT_EXPECT(t, flags & PT_USER);
	KT_EXPECT_EQ(t, pt_map(fmt, root, pt_user_limit(fmt), 0x1000, PT_READ),
		     -EINVAL);
	KT_EXPECT_EQ(t, pt_unmap(fmt, root, KT_VA, NULL, NULL), 0);
	pt_root_free(root);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(mm, map_and_read_back)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	char msg[] = "written through the direct map", got[sizeof(msg)];
	unsigned prot = 0;

	KT_ASSERT(t, vs != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(vs, KT_VA, 2 * PAGE_SIZE,
				    VM_READ | VM_WRITE),
		     0);
	KT_EXPECT_EQ(t, vm_map_zero(vs, KT_VA, PAGE_SIZE, VM_READ), -EEXIST);
	KT_EXPECT_EQ(t, vm_write(vs, KT_VA + PAGE_SIZE - 8, msg, sizeof(msg)),
		     0);
	KT_EXPECT_EQ(t, vm_read(vs, KT_VA + PAGE_SIZE - 8, got, sizeof(got)),
		     0);
	KT_EXPECT(t, memcmp(msg, got, sizeof(msg)) == 0);
	KT_EXPECT_EQ(t, vm_query(vs, KT_VA, &prot), 0);
	KT_EXPECT_EQ(t, prot, VM_READ | VM_WRITE);
	KT_EXPECT_EQ(t, vm_read(vs, KT_VA + 2 * PAGE_SIZE, got, 1), -EFAULT);
	KT_EXPECT_EQ(t, vm_unmap(vs, KT_VA, PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, vm_query(vs, KT_VA, &prot), -ENOENT);
	KT_EXPECT_EQ(t, vm_space_frames(vs), 1);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(mm, fork_copy_on_write)
{
	size_t before = frames_free();
	struct vm_space *parent = vm_space_create(), *child = NULL;
	char got[8];

	KT_ASSERT(t, parent != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(parent, KT_VA, PAGE_SIZE,
				    VM_READ | VM_WRITE),
		     0);
	KT_EXPECT_EQ(t, vm_write(parent, KT_VA, "parent", 7), 0);
	KT_ASSERT(t, vm_space_fork(parent, &child) == 0);
	KT_EXPECT_EQ(t, vm_resolve_fault(child, KT_VA, USER_ACCESS_WRITE), 0);
	KT_EXPECT_EQ(t, vm_write(child, KT_VA, "child", 6), 0);
	KT_EXPECT_EQ(t, vm_read(parent, KT_VA, got, 7), 0);
	KT_EXPECT(t, kstrcmp(got, "parent") == 0);
	KT_EXPECT_EQ(t, vm_read(child, KT_VA, got, 6), 0);
	KT_EXPECT(t, kstrcmp(got, "child") == 0);
	/* The parent is alone with its frame again: no copy needed. */
	KT_EXPECT_EQ(t, vm_resolve_fault(parent, KT_VA, USER_ACCESS_WRITE),
		     0);
	vm_space_put(child);
	vm_space_put(parent);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(mm, user_access)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	char got[16];

	KT_ASSERT(t, vs != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(vs, KT_VA, PAGE_SIZE, VM_READ | VM_WRITE),
		     0);
	KT_EXPECT_EQ(t, vm_copy_to_user(vs, KT_VA + 10, "user", 5), 0);
	KT_EXPECT_EQ(t, vm_strncpy_from_user(vs, got, KT_VA + 10, sizeof(got)),
		     4);
	KT_EXPECT(t, kstrcmp(got, "user") == 0);
	KT_EXPECT_EQ(t, vm_strncpy_from_user(vs, got, KT_VA + 10, 4),
		     -ENAMETOOLONG);
	KT_EXPECT_EQ(t, vm_copy_from_user(vs, got, KT_VA + PAGE_SIZE - 4, 8),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_copy_from_user(vs, got, user_va_max(), 1), -EFAULT);
	KT_EXPECT_EQ(t, vm_protect(vs, KT_VA, PAGE_SIZE, VM_READ), 0);
	KT_EXPECT_EQ(t, vm_copy_to_user(vs, KT_VA, "x", 1), -EFAULT);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}
