/*
 * In-kernel tests of memory objects and the TLB contract on each backend,
 * with user code doing the accesses: a shared page stays shared between
 * parent and child after fork (user code writes in one, the other sees
 * it) while private pages are copy-on-write; a page handle outlives its
 * space; a pager fills pages on user faults and its error comes back with
 * the fault; a page unmapped after user code touched it faults (no stale
 * translation survives the flush); mremap-style moves, page handles
 * copying to and from user memory, and futex keys.
 * Every test checks that frames_free returns to where it started.
 *
 * The user code stores the low byte of its first argument register to
 * SHARED_VA and PRIVATE_VA, then makes system call 42.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/page.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <keel/vm_object.h>

#include "ktest_code.h"

#define CODE_VA KT_CODE_VA
#define STACK_VA KT_STACK_VA
#define SHARED_VA 0xc00000ul
#define PRIVATE_VA 0xc01000ul

#if defined(HAL_PT_X86_64)
static const uint8_t code_store[] = {
	0x40, 0x88, 0x3c, 0x25, 0x00, 0x00, 0xc0, 0x00, /* mov %dil, SHARED */
	0x40, 0x88, 0x3c, 0x25, 0x00, 0x10, 0xc0, 0x00, /* mov %dil, PRIV */
	0xb8, 0x2a, 0x00, 0x00, 0x00,                   /* mov $42, %eax */
	0x0f, 0x05,                                     /* syscall */
	0xeb, 0xfe,                                     /* jmp . */
};
#elif defined(HAL_PT_SV39)
static const uint8_t code_store[] = {
	0xb7, 0x02, 0xc0, 0x00, /* lui t0, 0xc00 */
	0x23, 0x80, 0xa2, 0x00, /* sb a0, 0(t0) */
	0x37, 0x13, 0xc0, 0x00, /* lui t1, 0xc01 */
	0x23, 0x00, 0xa3, 0x00, /* sb a0, 0(t1) */
	0x93, 0x08, 0xa0, 0x02, /* li a7, 42 */
	0x73, 0x00, 0x00, 0x00, /* ecall */
	0x6f, 0x00, 0x00, 0x00, /* j . */
};
#else
#error "unknown page-table format: which instruction set is this?"
#endif

#define RW (VM_READ | VM_WRITE)

/* A space with the store code; NULL on failure (reported). */
static struct vm_space *code_space(struct ktest_ctx *t)
{
	return kt_code_space(t, code_store, sizeof(code_store));
}

/* Runs the store code in vs on the current task with byte as its
 * argument until the first event that is not an interrupt. */
static enum user_event run_store(struct vm_space *vs, uint8_t byte,
				 struct user_event_info *info)
{
	struct task *self = task_current();
	enum user_event ev;

	task_set_vm(self, vs);
	uctx_init(task_user_ctx(self), CODE_VA, STACK_VA);
	uctx_set(task_user_ctx(self), UREG_ARG0, byte);
	do {
		ev = user_run(info);
	} while (ev == USER_EVENT_INTERRUPT);
	task_set_vm(self, NULL);
	return ev;
}

static uint8_t byte_at(struct vm_space *vs, uintptr_t va)
{
	uint8_t b = 0xee;

	vm_read(vs, va, &b, 1);
	return b;
}

KTEST(vm_share, shared_page_stays_shared_across_fork)
{
	size_t before = frames_free();
	struct vm_space *parent = code_space(t), *child = NULL;
	struct vm_page *pg = vm_page_alloc();
	struct user_event_info info;

	KT_ASSERT(t, parent != NULL && pg != NULL);
	KT_EXPECT_EQ(t, vm_map_page(parent, SHARED_VA, pg, RW, VM_MAP_SHARED),
		     0);
	KT_EXPECT_EQ(t, vm_map_zero(parent, PRIVATE_VA, PAGE_SIZE, RW), 0);
	KT_ASSERT(t, vm_space_fork(parent, &child) == 0);
	/* User code in the child writes both pages... */
	KT_EXPECT_EQ(t, run_store(child, 0x5c, &info), USER_EVENT_SYSCALL);
	/* ...the parent sees the shared write, not the private one. */
	KT_EXPECT_EQ(t, byte_at(parent, SHARED_VA), 0x5c);
	KT_EXPECT_EQ(t, byte_at(parent, PRIVATE_VA), 0);
	KT_EXPECT_EQ(t, byte_at(child, PRIVATE_VA), 0x5c);
	/* And the other way round, after a protect there and back. */
	KT_EXPECT_EQ(t, vm_protect(parent, SHARED_VA, PAGE_SIZE, VM_READ), 0);
	KT_EXPECT_EQ(t, vm_protect(parent, SHARED_VA, PAGE_SIZE, RW), 0);
	KT_EXPECT_EQ(t, run_store(parent, 0xa7, &info), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, byte_at(child, SHARED_VA), 0xa7);
	KT_EXPECT_EQ(t, byte_at(child, PRIVATE_VA), 0x5c);
	vm_space_put(child);
	vm_space_put(parent);
	/* The handle outlived both spaces, with the last write. */
	{
		uint8_t b = 0;

		KT_EXPECT_EQ(t, vm_page_read(pg, 0, &b, 1), 0);
		KT_EXPECT_EQ(t, b, 0xa7);
	}
	vm_page_put(pg);
	KT_EXPECT_EQ(t, frames_free(), before);
}

/* A pager of one cached page; page 1 and beyond are past the end. */
struct one_page_pager {
	struct vm_page *page;
	unsigned calls;
	bool released;
};

static int one_get_page(struct vm_object *obj, uint64_t idx, unsigned access,
			struct vm_page **out)
{
	struct one_page_pager *p = vm_object_priv(obj);

	(void)access;
	p->calls++;
	if (idx > 0)
		return -ENXIO;
	vm_page_get(p->page);
	*out = p->page;
	return 0;
}

static void one_release(struct vm_object *obj)
{
	((struct one_page_pager *)vm_object_priv(obj))->released = true;
}

static const struct vm_pager_ops one_ops = {
	.get_page = one_get_page,
	.release = one_release,
};

KTEST(vm_share, pager_fills_user_faults)
{
	size_t before = frames_free();
	struct one_page_pager p = { vm_page_alloc(), 0, false };
	struct vm_object *obj = vm_object_create(&one_ops, &p);
	struct vm_space *vs = code_space(t);
	struct user_event_info info;
	uint8_t b = 0;

	KT_ASSERT(t, p.page != NULL && obj != NULL && vs != NULL);
	/* SHARED_VA shows page 0, PRIVATE_VA page 1: past the end. */
	KT_EXPECT_EQ(t, vm_map_object(vs, SHARED_VA, 2 * PAGE_SIZE, obj, 0, RW,
				      VM_MAP_SHARED),
		     0);
	vm_object_put(obj);
	KT_EXPECT_EQ(t, run_store(vs, 0x42, &info), USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, info.addr, PRIVATE_VA);
	KT_EXPECT_EQ(t, info.error, -ENXIO); /* a SIGBUS for the services */
	KT_EXPECT_EQ(t, p.calls, 2);
	KT_EXPECT_EQ(t, vm_page_read(p.page, 0, &b, 1), 0);
	KT_EXPECT_EQ(t, b, 0x42); /* the first store reached the page */
	vm_space_put(vs);
	KT_EXPECT(t, p.released);
	vm_page_put(p.page);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(vm_share, shared_object_mapping_survives_fork)
{
	size_t before = frames_free();
	struct one_page_pager p = { vm_page_alloc(), 0, false };
	struct vm_object *obj = vm_object_create(&one_ops, &p);
	struct vm_space *parent = code_space(t), *child = NULL;
	struct user_event_info info;

	KT_ASSERT(t, p.page != NULL && obj != NULL && parent != NULL);
	KT_EXPECT_EQ(t, vm_map_object(parent, SHARED_VA, PAGE_SIZE, obj, 0, RW,
				      VM_MAP_SHARED),
		     0);
	vm_object_put(obj);
	KT_EXPECT_EQ(t, vm_map_zero(parent, PRIVATE_VA, PAGE_SIZE, RW), 0);
	/* Forked before any fault: the child gets the mapping, and its
	 * first write asks the pager for the one shared page. */
	KT_ASSERT(t, vm_space_fork(parent, &child) == 0);
	KT_EXPECT_EQ(t, run_store(child, 0x3d, &info), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, p.calls, 1);
	KT_EXPECT_EQ(t, run_store(parent, 0x3e, &info), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, p.calls, 2);
	KT_EXPECT_EQ(t, byte_at(child, SHARED_VA), 0x3e);
	KT_EXPECT_EQ(t, byte_at(child, PRIVATE_VA), 0x3d);
	KT_EXPECT_EQ(t, byte_at(parent, PRIVATE_VA), 0x3e);
	vm_space_put(parent);
	vm_space_put(child);
	KT_EXPECT(t, p.released);
	vm_page_put(p.page);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(vm_share, unmapped_page_faults_after_user_access)
{
	size_t before = frames_free();
	struct vm_space *vs = code_space(t);
	struct user_event_info info;

	KT_ASSERT(t, vs != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(vs, SHARED_VA, 2 * PAGE_SIZE, RW), 0);
	/* User code has used both translations... */
	KT_EXPECT_EQ(t, run_store(vs, 1, &info), USER_EVENT_SYSCALL);
	/* ...they go, their frames are freed (and may be reused): the next
	 * access must fault, on every backend. */
	KT_EXPECT_EQ(t, vm_unmap(vs, SHARED_VA, 2 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, run_store(vs, 2, &info), USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, info.addr, SHARED_VA);
	KT_EXPECT_EQ(t, info.error, -EFAULT);
	/* A read-only page faults for the write too. */
	KT_EXPECT_EQ(t, vm_map_zero(vs, SHARED_VA, 2 * PAGE_SIZE, RW), 0);
	KT_EXPECT_EQ(t, run_store(vs, 3, &info), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, vm_protect(vs, SHARED_VA, PAGE_SIZE, VM_READ), 0);
	KT_EXPECT_EQ(t, run_store(vs, 4, &info), USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, info.addr, SHARED_VA);
	KT_EXPECT(t, info.access & USER_ACCESS_WRITE);
	KT_EXPECT_EQ(t, byte_at(vs, SHARED_VA), 3);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(vm_share, move_and_query)
{
	size_t before = frames_free();
	struct vm_space *vs = code_space(t);
	struct user_event_info info;
	struct vm_extent e;

	KT_ASSERT(t, vs != NULL);
	/* The pages the code writes start out elsewhere and are moved in. */
	KT_EXPECT_EQ(t, vm_map_zero(vs, 0x2000000ul, 2 * PAGE_SIZE, RW), 0);
	KT_EXPECT_EQ(t, vm_write(vs, 0x2000000ul + 8, "moved", 6), 0);
	KT_EXPECT_EQ(t, vm_move(vs, 0x2000000ul, 2 * PAGE_SIZE, SHARED_VA), 0);
	KT_EXPECT_EQ(t, vm_query(vs, 0x2000000ul, NULL), -ENOENT);
	KT_EXPECT_EQ(t, run_store(vs, 9, &info), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, byte_at(vs, SHARED_VA), 9);
	KT_EXPECT_EQ(t, byte_at(vs, SHARED_VA + 8), 'm');
	KT_EXPECT_EQ(t, vm_query_extent(vs, 0x2000000ul, 0x2000000ul +
				        4 * PAGE_SIZE, &e), 0);
	KT_EXPECT(t, !e.present);
	KT_EXPECT_EQ(t, e.end, 0x2000000ul + 4 * PAGE_SIZE);
	KT_EXPECT_EQ(t, vm_query_extent(vs, SHARED_VA - PAGE_SIZE,
					SHARED_VA + 4 * PAGE_SIZE, &e), 0);
	KT_EXPECT(t, !e.present);
	KT_EXPECT_EQ(t, e.end, SHARED_VA);
	KT_EXPECT_EQ(t, vm_query_extent(vs, e.end, SHARED_VA + 4 * PAGE_SIZE,
					&e), 0);
	KT_EXPECT(t, e.present);
	KT_EXPECT_EQ(t, e.end, SHARED_VA + 2 * PAGE_SIZE);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(vm_share, page_copies_to_and_from_user_memory)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct vm_page *pg = vm_page_alloc();
	struct task *self = task_current();
	char got[8] = "";

	KT_ASSERT(t, vs != NULL && pg != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(vs, PRIVATE_VA, PAGE_SIZE, RW), 0);
	KT_EXPECT_EQ(t, vm_page_write(pg, PAGE_SIZE - 6, "pipe!", 6), 0);
	task_set_vm(self, vs);
	/* Page to user memory, user memory back into another offset. */
	KT_EXPECT_EQ(t, vm_page_copy_to_user(pg, PAGE_SIZE - 6,
					     uptr(PRIVATE_VA + 100), 6),
		     0);
	KT_EXPECT_EQ(t, vm_page_copy_from_user(pg, 0, uptr(PRIVATE_VA + 100),
					       6),
		     0);
	KT_EXPECT_EQ(t, vm_page_copy_to_user(pg, 0, uptr(SHARED_VA), 1),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_page_copy_from_user(pg, PAGE_SIZE - 2,
					       uptr(PRIVATE_VA), 3),
		     -EINVAL);
	task_set_vm(self, NULL);
	KT_EXPECT_EQ(t, vm_read(vs, PRIVATE_VA + 100, got, 6), 0);
	KT_EXPECT(t, kstrcmp(got, "pipe!") == 0);
	KT_EXPECT_EQ(t, vm_page_read(pg, 0, got, 6), 0);
	KT_EXPECT(t, kstrcmp(got, "pipe!") == 0);
	vm_page_put(pg);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

/* The short page copies on the current task's memory: across the end of
 * a mapping they stop there, from unmapped or kernel addresses they are
 * -EFAULT and leave the page alone. */
KTEST(vm_share, page_partial_copies_with_user_memory)
{
	size_t before = frames_free();
	struct vm_space *vs = vm_space_create();
	struct vm_page *pg = vm_page_alloc();
	struct task *self = task_current();
	uptr_t last = uptr(PRIVATE_VA + PAGE_SIZE - 5);
	char got[8] = "";

	KT_ASSERT(t, vs != NULL && pg != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(vs, PRIVATE_VA, PAGE_SIZE, RW), 0);
	KT_EXPECT_EQ(t, vm_page_write(pg, 0, "partial", 8), 0);
	task_set_vm(self, vs);
	KT_EXPECT_EQ(t, vm_page_copy_to_user_partial(pg, 0, last, 8), 5);
	KT_EXPECT_EQ(t, vm_page_copy_from_user_partial(pg, 1, last, 8), 5);
	KT_EXPECT_EQ(t, vm_page_copy_from_user_partial(pg, 0, uptr_add(last, 5),
						      1),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_page_copy_to_user_partial(
				pg, 0, uptr((uintptr_t)&before), 1),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_page_copy_from_user_partial(pg, PAGE_SIZE - 1, last,
						      2),
		     -EINVAL);
	task_set_vm(self, NULL);
	KT_EXPECT_EQ(t, vm_page_read(pg, 0, got, 8), 0);
	KT_EXPECT(t, kstrcmp(got, "ppartil") == 0);
	vm_page_put(pg);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(vm_share, futex_keys)
{
	size_t before = frames_free();
	struct vm_space *a = vm_space_create(), *b = vm_space_create();
	struct vm_page *pg = vm_page_alloc();
	struct vm_futex_key ka, kb;

	KT_ASSERT(t, a != NULL && b != NULL && pg != NULL);
	KT_EXPECT_EQ(t, vm_map_page(a, SHARED_VA, pg, RW, VM_MAP_SHARED), 0);
	KT_EXPECT_EQ(t, vm_map_page(b, PRIVATE_VA, pg, RW, VM_MAP_SHARED), 0);
	KT_EXPECT_EQ(t, vm_futex_key(a, SHARED_VA + 64, true, &ka), 0);
	KT_EXPECT_EQ(t, vm_futex_key(b, PRIVATE_VA + 64, true, &kb), 0);
	KT_EXPECT(t, vm_futex_key_equal(&ka, &kb));
	KT_EXPECT_EQ(t, vm_futex_key(a, SHARED_VA + 64, false, &ka), 0);
	KT_EXPECT_EQ(t, vm_futex_key(b, SHARED_VA + 64, false, &kb), 0);
	KT_EXPECT(t, !vm_futex_key_equal(&ka, &kb));
	KT_EXPECT_EQ(t, vm_futex_key(a, SHARED_VA + 1, true, &ka), -EINVAL);
	vm_page_put(pg);
	vm_space_put(a);
	vm_space_put(b);
	KT_EXPECT_EQ(t, frames_free(), before);
}
