/*
 * In-kernel tests of user-memory access as it runs on each backend (the
 * unit tests cover it in depth on the host): short copies at a page
 * boundary, the no-fault variants against demand paging and copy-on-write,
 * the 32-bit word operations (old values, copy-on-write, alignment,
 * permissions), the public API on the current task, and user code and the
 * kernel changing the same word atomically. Each test checks that the
 * machine's free frame count returns to where it started.
 */
#include <hal/hal.h>

#include "mm/mm.h"

#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>

#define UA 0x600000ul /* a user address the tests map at */

/* A space with that many read-write pages at UA; NULL (reported) if that fails. */
static struct vm_space *space_with(struct ktest_ctx *t, size_t pages)
{
	struct vm_space *vs = vm_space_create();

	if (!vs) {
		ktest_fail_at(t, __FILE__, __LINE__, "vm_space_create");
		return NULL;
	}
	if (pages && vm_map_zero(vs, UA, pages * PAGE_SIZE,
				 VM_READ | VM_WRITE) != 0) {
		ktest_fail_at(t, __FILE__, __LINE__, "vm_map_zero");
		vm_space_put(vs);
		return NULL;
	}
	return vs;
}

KTEST(uaccess, partial_copies_at_a_page_boundary)
{
	size_t before = frames_free();
	struct vm_space *vs = space_with(t, 0);
	char buf[64];

	KT_ASSERT(t, vs != NULL);
	/* A page at UA, a hole at UA + PAGE_SIZE, a page after it. */
	KT_EXPECT_EQ(t, vm_map_zero(vs, UA, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KT_EXPECT_EQ(t, vm_map_zero(vs, UA + 2 * PAGE_SIZE, PAGE_SIZE,
				    VM_READ | VM_WRITE),
		     0);
	memset(buf, 'k', sizeof(buf));
	/* Page then hole: the count up to the hole, both directions. */
	KT_EXPECT_EQ(t, vm_copy_to_user_partial(vs, UA + PAGE_SIZE - 24, buf,
						sizeof(buf)),
		     24);
	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(t, vm_copy_from_user_partial(vs, buf, UA + PAGE_SIZE - 24,
						  sizeof(buf)),
		     24);
	KT_EXPECT_EQ(t, buf[23], 'k');
	KT_EXPECT_EQ(t, buf[24], 0);
	/* Hole then page: nothing, so -EFAULT, both directions. */
	KT_EXPECT_EQ(t, vm_copy_from_user_partial(vs, buf,
						  UA + 2 * PAGE_SIZE - 8, 16),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_copy_to_user_partial(vs, UA + 2 * PAGE_SIZE - 8,
						buf, 16),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_copy_from_user_partial(vs, buf, UA + 2 * PAGE_SIZE,
						  16),
		     16);
	KT_EXPECT_EQ(t, buf[0], 0); /* the write above did not land */
	KT_EXPECT_EQ(t, vm_clear_user_partial(vs, UA + PAGE_SIZE - 3, 16), 3);
	KT_EXPECT_EQ(t, vm_copy_from_user(vs, buf, UA + PAGE_SIZE - 24, 24),
		     0);
	KT_EXPECT_EQ(t, buf[20], 'k');
	KT_EXPECT_EQ(t, buf[21], 0);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

static unsigned handler_calls;

/* Demand-zero paging for the four pages from UA. */
static int demand_zero(struct vm_space *vs, uintptr_t va, unsigned access,
		       void *arg)
{
	handler_calls++;
	if (va < UA || va >= UA + 4 * PAGE_SIZE)
		return -EFAULT;
	return vm_map_zero(vs, ALIGN_DOWN(va, PAGE_SIZE), PAGE_SIZE,
			   VM_READ | VM_WRITE);
}

KTEST(uaccess, nofault_fails_where_the_fault_handler_would_help)
{
	size_t before = frames_free();
	struct vm_space *vs = space_with(t, 0);
	char buf[8] = "";
	uint32_t v = 0;

	KT_ASSERT(t, vs != NULL);
	vm_set_fault_handler(vs, demand_zero, NULL);
	handler_calls = 0;
	KT_EXPECT_EQ(t, vm_copy_from_user_nofault(vs, buf, UA, 4), -EFAULT);
	KT_EXPECT_EQ(t, vm_copy_to_user_nofault(vs, UA, "ab", 3), -EFAULT);
	KT_EXPECT_EQ(t, vm_get_user_u32(vs, &v, UA, UACCESS_NOFAULT), -EFAULT);
	KT_EXPECT_EQ(t, handler_calls, 0);
	KT_EXPECT_EQ(t, vm_space_frames(vs), 0);
	/* The ordinary copy demand-zeroes the page, then no-fault works. */
	KT_EXPECT_EQ(t, vm_copy_to_user(vs, UA, "ab", 3), 0);
	KT_EXPECT_EQ(t, handler_calls, 1);
	KT_EXPECT_EQ(t, vm_copy_from_user_nofault(vs, buf, UA, 3), 0);
	KT_EXPECT(t, kstrcmp(buf, "ab") == 0);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(uaccess, atomic_ops_return_the_old_value)
{
	static const struct {
		enum user_atomic_op op;
		uint32_t want;
	} cases[] = {
		{ USER_ATOMIC_SET, 0x0ff00001u },
		{ USER_ATOMIC_ADD, 0xf0f01234u + 0x0ff00001u },
		{ USER_ATOMIC_OR, 0xf0f01234u | 0x0ff00001u },
		{ USER_ATOMIC_ANDN, 0xf0f01234u & ~0x0ff00001u },
		{ USER_ATOMIC_XOR, 0xf0f01234u ^ 0x0ff00001u },
	};
	size_t before = frames_free();
	struct vm_space *vs = space_with(t, 1);
	uint32_t old, now;

	KT_ASSERT(t, vs != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		old = 0;
		KT_EXPECT_EQ(t, vm_put_user_u32(vs, UA + 4, 0xf0f01234u, 0), 0);
		KT_EXPECT_EQ(t, vm_user_atomic_op_u32(vs, UA + 4, cases[i].op,
						      0x0ff00001u, &old, 0),
			     0);
		KT_EXPECT_EQ(t, old, 0xf0f01234u);
		KT_EXPECT_EQ(t, vm_get_user_u32(vs, &now, UA + 4, 0), 0);
		KT_EXPECT_EQ(t, now, cases[i].want);
	}
	KT_EXPECT_EQ(t, vm_user_cmpxchg_u32(vs, UA + 4, 1, 2, &old, 0), 0);
	KT_EXPECT_EQ(t, old, cases[ARRAY_SIZE(cases) - 1].want);
	KT_EXPECT_EQ(t, vm_user_cmpxchg_u32(vs, UA + 4, old, 2, &old, 0), 0);
	KT_EXPECT_EQ(t, vm_get_user_u32(vs, &now, UA + 4, 0), 0);
	KT_EXPECT_EQ(t, now, 2);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(uaccess, atomic_on_cow_page_leaves_the_parent_alone)
{
	size_t before = frames_free();
	struct vm_space *parent = space_with(t, 1), *child = NULL;
	uint32_t old = 0, v = 0;

	KT_ASSERT(t, parent != NULL);
	KT_EXPECT_EQ(t, vm_put_user_u32(parent, UA + 8, 500, 0), 0);
	KT_ASSERT(t, vm_space_fork(parent, &child) == 0);
	KT_EXPECT_EQ(t, vm_user_atomic_op_u32(child, UA + 8, USER_ATOMIC_ADD,
					      1, &old, UACCESS_NOFAULT),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_user_atomic_op_u32(child, UA + 8, USER_ATOMIC_ADD,
					      7, &old, 0),
		     0);
	KT_EXPECT_EQ(t, old, 500);
	KT_EXPECT_EQ(t, vm_get_user_u32(child, &v, UA + 8, 0), 0);
	KT_EXPECT_EQ(t, v, 507);
	KT_EXPECT_EQ(t, vm_get_user_u32(parent, &v, UA + 8, 0), 0);
	KT_EXPECT_EQ(t, v, 500);
	vm_space_put(child);
	vm_space_put(parent);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(uaccess, misaligned_and_read_only_words_fail)
{
	size_t before = frames_free();
	struct vm_space *vs = space_with(t, 1);
	uint32_t v = 3;

	KT_ASSERT(t, vs != NULL);
	KT_EXPECT_EQ(t, vm_get_user_u32(vs, &v, UA + 2, 0), -EINVAL);
	KT_EXPECT_EQ(t, vm_put_user_u32(vs, UA + 1, 1, 0), -EINVAL);
	KT_EXPECT_EQ(t, vm_user_atomic_op_u32(vs, UA + 3, USER_ATOMIC_XOR, 1,
					      &v, 0),
		     -EINVAL);
	KT_EXPECT_EQ(t, vm_user_cmpxchg_u32(vs, UA + PAGE_SIZE - 2, 0, 1, &v,
					    0),
		     -EINVAL);
	KT_EXPECT_EQ(t, v, 3);
	KT_EXPECT_EQ(t, vm_protect(vs, UA, PAGE_SIZE, VM_READ), 0);
	KT_EXPECT_EQ(t, vm_put_user_u32(vs, UA, 1, 0), -EFAULT);
	KT_EXPECT_EQ(t, vm_user_atomic_op_u32(vs, UA, USER_ATOMIC_OR, 1, &v,
					      0),
		     -EFAULT);
	KT_EXPECT_EQ(t, vm_user_cmpxchg_u32(vs, UA, 0, 1, &v, 0), -EFAULT);
	KT_EXPECT_EQ(t, vm_get_user_u32(vs, &v, UA, 0), 0);
	KT_EXPECT_EQ(t, v, 0);
	KT_EXPECT_EQ(t, vm_get_user_u32(vs, &v, UA + PAGE_SIZE, 0), -EFAULT);
	KT_EXPECT_EQ(t, vm_put_user_u32(vs, user_va_max() - 4, 1, 0), -EFAULT);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(uaccess, public_api_uses_the_current_task_s_space)
{
	size_t before = frames_free();
	struct task *self = task_current();
	struct vm_space *vs;
	uptr_t word = uptr(UA + 16);
	char buf[32];
	uint32_t v = 0;

	KT_ASSERT(t, task_vm(self) == NULL);
	/* A kernel task has no user memory. */
	KT_EXPECT_EQ(t, get_user_u32(&v, word), -EFAULT);
	KT_EXPECT_EQ(t, copy_to_user_partial(word, "x", 1), -EFAULT);
	vs = space_with(t, 1);
	KT_ASSERT(t, vs != NULL);
	task_set_vm(self, vs);
	vm_space_put(vs); /* the task holds it now */

	KT_EXPECT_EQ(t, put_user_u32(word, 10), 0);
	KT_EXPECT_EQ(t, user_atomic_op_u32(word, USER_ATOMIC_ADD, 5, &v), 0);
	KT_EXPECT_EQ(t, v, 10);
	KT_EXPECT_EQ(t, user_atomic_op_u32_nofault(word, USER_ATOMIC_OR, 0x100,
						   &v),
		     0);
	KT_EXPECT_EQ(t, v, 15);
	KT_EXPECT_EQ(t, user_cmpxchg_u32(word, 0x10f, 1, &v), 0);
	KT_EXPECT_EQ(t, user_cmpxchg_u32_nofault(word, 1, 2, &v), 0);
	KT_EXPECT_EQ(t, get_user_u32_nofault(&v, word), 0);
	KT_EXPECT_EQ(t, v, 2);
	KT_EXPECT_EQ(t, get_user_u32(&v, uptr_add(word, 1)), -EINVAL);
	KT_EXPECT_EQ(t, copy_to_user_partial(uptr(UA + PAGE_SIZE - 5),
					     "partial", 8),
		     5);
	KT_EXPECT_EQ(t, copy_from_user_partial(buf, uptr(UA + PAGE_SIZE - 5),
					       sizeof(buf)),
		     5);
	KT_EXPECT(t, kstrncmp(buf, "parti", 5) == 0);
	KT_EXPECT_EQ(t, copy_to_user_nofault(uptr(UA), "nf", 3), 0);
	KT_EXPECT_EQ(t, copy_from_user_nofault(buf, uptr(UA), 3), 0);
	KT_EXPECT(t, kstrcmp(buf, "nf") == 0);
	KT_EXPECT_EQ(t, copy_from_user_nofault(buf, uptr(UA + PAGE_SIZE), 1),
		     -EFAULT);
	KT_EXPECT_EQ(t, fault_in_user_writeable(uptr(UA + 100)), 0);
	KT_EXPECT_EQ(t, fault_in_user_writeable(uptr(UA + PAGE_SIZE)),
		     -EFAULT);
	task_set_vm(self, NULL);
	KT_EXPECT_EQ(t, frames_free(), before);
}

/*
 * User code that adds 1 to the word at UA atomically, then makes system
 * call 42 (the same instruction set test as ktest_user.c).
 */
#if defined(HAL_PT_X86_64)
static const uint8_t code_add[] = {
	0xf0, 0x83, 0x04, 0x25, /* lock addl $1, UA */
	0x00, 0x00, 0x60, 0x00, 0x01,
	0xb8, 0x2a, 0x00, 0x00, 0x00, /* mov $42, %eax */
	0x0f, 0x05,                   /* syscall */
	0xeb, 0xfe,                   /* jmp . */
};
#elif defined(HAL_PT_SV39)
static const uint8_t code_add[] = {
	0xb7, 0x02, 0x60, 0x00, /* lui t0, 0x600 (t0 = UA) */
	0x13, 0x03, 0x10, 0x00, /* li t1, 1 */
	0x2f, 0xa0, 0x62, 0x00, /* amoadd.w zero, t1, (t0) */
	0x93, 0x08, 0xa0, 0x02, /* li a7, 42 */
	0x73, 0x00, 0x00, 0x00, /* ecall */
	0x6f, 0x00, 0x00, 0x00, /* j . */
};
#else
#error "unknown page-table format: which instruction set is this?"
#endif

#define CODE_VA 0x400000ul
#define STACK_VA 0x800000ul

/* Runs the current task's user code from CODE_VA until the first event
 * other than an interrupt. */
static enum user_event run_from_start(struct task *self)
{
	struct user_event_info info;
	enum user_event ev;

	uctx_init(task_user_ctx(self), CODE_VA, STACK_VA);
	do {
		ev = user_run(&info);
	} while (ev == USER_EVENT_INTERRUPT);
	return ev;
}

KTEST(uaccess, user_code_and_kernel_share_the_word)
{
	size_t before = frames_free();
	struct task *self = task_current();
	struct vm_space *vs = space_with(t, 1), *snapshot = NULL;
	uint32_t v = 0;

	KT_ASSERT(t, vs != NULL);
	KT_EXPECT_EQ(t, vm_map_zero(vs, CODE_VA, PAGE_SIZE, VM_READ | VM_EXEC),
		     0);
	KT_EXPECT_EQ(t, vm_write(vs, CODE_VA, code_add, sizeof(code_add)), 0);
	KT_EXPECT_EQ(t, vm_map_zero(vs, STACK_VA - PAGE_SIZE, PAGE_SIZE,
				    VM_READ | VM_WRITE),
		     0);
	KT_EXPECT_EQ(t, vm_put_user_u32(vs, UA, 41, 0), 0);
	/* A fork of the space keeps the 41: the user's add hits a
	 * copy-on-write page, which the fault path must copy first. */
	KT_ASSERT(t, vm_space_fork(vs, &snapshot) == 0);
	task_set_vm(self, vs);
	vm_space_put(vs);
	KT_EXPECT_EQ(t, run_from_start(self), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, get_user_u32(&v, uptr(UA)), 0);
	KT_EXPECT_EQ(t, v, 42);
	KT_EXPECT_EQ(t, user_atomic_op_u32(uptr(UA), USER_ATOMIC_XOR, 0xff00,
					   &v),
		     0);
	KT_EXPECT_EQ(t, v, 42);
	/* And user code sees the kernel's change: add once more. */
	KT_EXPECT_EQ(t, run_from_start(self), USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, get_user_u32(&v, uptr(UA)), 0);
	KT_EXPECT_EQ(t, v, (42u ^ 0xff00u) + 1);
	task_set_vm(self, NULL);
	KT_EXPECT_EQ(t, vm_get_user_u32(snapshot, &v, UA, 0), 0);
	KT_EXPECT_EQ(t, v, 41);
	vm_space_put(snapshot);
	KT_EXPECT_EQ(t, frames_free(), before);
}
