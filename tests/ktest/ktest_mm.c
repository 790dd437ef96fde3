/*
 * In-kernel tests of memory management as it runs on each backend (the
 * unit tests cover it in depth on the host): frames, the heap, page tables
 * in the machine's format, address spaces with a map and read-back,
 * copy-on-write fork (written by real user-mode code: vm_write would
 * unshare by itself), and user-memory access. Each test checks that the
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

#include "ktest_code.h"

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

#define STORE_VA 0xc00000ul

/* User code: stores the byte 1 at STORE_VA, then makes system call 42. */
#if defined(HAL_PT_X86_64)
static const uint8_t code_store_one[] = {
	0xc6, 0x04, 0x25, 0x00, 0x00, 0xc0, 0x00, 0x01, /* movb $1, 0xc00000 */
	0xb8, 0x2a, 0x00, 0x00, 0x00,                   /* mov $42, %eax */
	0x0f, 0x05,                                     /* syscall */
	0xeb, 0xfe,                                     /* jmp . */
};
#elif defined(HAL_PT_SV39)
static const uint8_t code_store_one[] = {
	0xb7, 0x02, 0xc0, 0x00, /* lui t0, 0xc00 (t0 = 0xc00000) */
	0x13, 0x03, 0x10, 0x00, /* li t1, 1 */
	0x23, 0x80, 0x62, 0x00, /* sb t1, 0(t0) */
	0x93, 0x08, 0xa0, 0x02, /* li a7, 42 */
	0x73, 0x00, 0x00, 0x00, /* ecall */
	0x6f, 0x00, 0x00, 0x00, /* j . */
};
#else
#error "unknown page-table format: which instruction set is this?"
#endif

/*
 * A parent space with code_store_one and "parent" in a writable data page
 * at STORE_VA; NULL (reported) when something fails.
 */
static struct vm_space *cow_parent(struct ktest_ctx *t)
{
	struct vm_space *vs = kt_code_space(t, code_store_one,
					    sizeof(code_store_one));
	int err;

	if (!vs)
		return NULL;
	err = vm_map_zero(vs, STORE_VA, PAGE_SIZE, VM_READ | VM_WRITE);
	if (!err)
		err = vm_write(vs, STORE_VA, "parent", 7);
	KT_EXPECT_EQ(t, err, 0);
	if (err) {
		vm_space_put(vs);
		return NULL;
	}
	return vs;
}

/* The first byte at STORE_VA in vs, or -1 if it cannot be read. */
static int store_byte(struct vm_space *vs)
{
	unsigned char c;

	return vm_read(vs, STORE_VA, &c, 1) ? -1 : c;
}

/*
 * After a fork, a user-mode write (a real store through the MMU, as a
 * program makes it, not vm_write, which unshares by itself) in one space
 * must not show in the other, whichever writes first: fork must have
 * write-protected the shared page on both sides.
 */
KTEST(mm, fork_copy_on_write)
{
	size_t before = frames_free();
	struct user_event_info info;

	for (int writer_is_child = 0; writer_is_child < 2; writer_is_child++) {
		struct vm_space *parent = cow_parent(t), *child = NULL;
		struct vm_space *writer, *other;
		size_t copies;

		if (!parent)
			return;
		KT_ASSERT(t, vm_space_fork(parent, &child) == 0);
		writer = writer_is_child ? child : parent;
		other = writer_is_child ? parent : child;
		KT_EXPECT_EQ(t, kt_run_code(writer, &info),
			     USER_EVENT_SYSCALL);
		KT_EXPECT_EQ(t, store_byte(writer), 1);
		KT_EXPECT_EQ(t, store_byte(other), 'p');
		/* The other one is alone with its frame now: a write
		 * fault makes it writable without a copy. */
		copies = frames_free();
		KT_EXPECT_EQ(t, vm_resolve_fault(other, STORE_VA,
						 USER_ACCESS_WRITE),
			     0);
		KT_EXPECT_EQ(t, frames_free(), copies);
		KT_EXPECT_EQ(t, kt_run_code(other, &info),
			     USER_EVENT_SYSCALL);
		KT_EXPECT_EQ(t, store_byte(other), 1);
		vm_space_put(child);
		vm_space_put(parent);
	}
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
