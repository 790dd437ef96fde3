/*
 * In-kernel tests of threads: several tasks running user code on one
 * address space through the core API (task_set_vm of the same space),
 * as the threads of one process do. Each task counts in a word of a
 * shared data page until its sibling's word reaches a target, so neither
 * can finish unless both make progress (by preemption on one CPU, in
 * parallel on several); each then reads through its own TLS base. The
 * registers and the TLS base come back per task, and a sibling that dies
 * of an illegal instruction leaves the others running.
 *
 * On hosted, the tasks share one stub process; each vCPU drives its own
 * stub thread of it (hal/hosted/stub_abi.h).
 */
#include <hal/hal.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/user.h>
#include <keel/vm.h>

#include "ktest_code.h"

#define DATA_VA 0xc00000ul
#define TARGET 1000 /* the count each task waits for in its sibling */

/* Count in *ARG0 until both *ARG1 and *ARG0 are >= 1000, then ARG0 =
 * *(TLS + 0) and make system call 42. ILLEGAL_AT: an illegal
 * instruction. */
#if defined(HAL_PT_X86_64)
static const uint8_t code_count[] = {
	0x48, 0xff, 0x07,                         /* 1: incq (%rdi) */
	0x48, 0x81, 0x3e, 0xe8, 0x03, 0x00, 0x00, /* cmpq $1000, (%rsi) */
	0x72, 0xf4,                               /* jb 1b */
	0x48, 0x81, 0x3f, 0xe8, 0x03, 0x00, 0x00, /* cmpq $1000, (%rdi) */
	0x72, 0xeb,                               /* jb 1b */
	0x64, 0x48, 0x8b, 0x3c, 0x25,             /* mov %fs:0, %rdi */
	0x00, 0x00, 0x00, 0x00,
	0xb8, 0x2a, 0x00, 0x00, 0x00,             /* mov $42, %eax */
	0x0f, 0x05,                               /* syscall */
	0xeb, 0xfe,                               /* jmp . */
	0x0f, 0x0b,                               /* ud2 */
};
#define ILLEGAL_AT 39
#elif defined(HAL_PT_SV39)
static const uint8_t code_count[] = {
	0x83, 0x32, 0x05, 0x00, /* 1: ld t0, 0(a0) */
	0x93, 0x82, 0x12, 0x00, /* addi t0, t0, 1 */
	0x23, 0x30, 0x55, 0x00, /* sd t0, 0(a0) */
	0x03, 0xb3, 0x05, 0x00, /* ld t1, 0(a1) */
	0x93, 0x03, 0x80, 0x3e, /* li t2, 1000 */
	0xe3, 0x66, 0x73, 0xfe, /* bltu t1, t2, 1b */
	0xe3, 0xe4, 0x72, 0xfe, /* bltu t0, t2, 1b */
	0x03, 0x35, 0x02, 0x00, /* ld a0, 0(tp) */
	0x93, 0x08, 0xa0, 0x02, /* li a7, 42 */
	0x73, 0x00, 0x00, 0x00, /* ecall */
	0x6f, 0x00, 0x00, 0x00, /* j . */
	0x00, 0x00, 0x00, 0x00, /* illegal */
};
#define ILLEGAL_AT 44
#else
#error "unknown page-table format: which instruction set is this?"
#endif

/* One thread: where it starts, its registers, and what came back. */
struct thread_run {
	struct vm_space *vs;
	uintptr_t ip, mine, sibling, tls;
	enum user_event ev;
	uint64_t sysnr, arg0, tls_after;
	struct user_event_info info;
};

static void thread_init(struct thread_run *r, struct vm_space *vs, uintptr_t ip,
			uintptr_t mine, uintptr_t sibling, uintptr_t tls)
{
	memset(r, 0, sizeof(*r));
	r->vs = vs;
	r->ip = ip;
	r->mine = mine;
	r->sibling = sibling;
	r->tls = tls;
}

static void thread_fn(void *arg)
{
	struct thread_run *r = arg;
	struct task *self = task_current();
	struct user_ctx *ctx;

	task_set_vm(self, r->vs);
	ctx = task_user_ctx(self);
	uctx_init(ctx, r->ip, KT_STACK_VA);
	uctx_set(ctx, UREG_ARG0, r->mine);
	uctx_set(ctx, UREG_ARG1, r->sibling);
	uctx_set(ctx, UREG_TLS, r->tls);
	do {
		r->ev = user_run(&r->info);
	} while (r->ev == USER_EVENT_INTERRUPT);
	r->sysnr = uctx_get(ctx, UREG_SYSNR);
	r->arg0 = uctx_get(ctx, UREG_ARG0);
	r->tls_after = uctx_get(ctx, UREG_TLS);
	task_set_vm(self, NULL);
}

/* The code space plus the data page: word 0 and 1 are counters, TLS
 * blocks at 0x100 and 0x200 hold 0xa1 and 0xb2. */
static struct vm_space *threads_space(struct ktest_ctx *t)
{
	struct vm_space *vs = kt_code_space(t, code_count, sizeof(code_count));
	uint64_t a = 0xa1, b = 0xb2;

	if (!vs)
		return NULL;
	if (vm_map_zero(vs, DATA_VA, PAGE_SIZE, VM_READ | VM_WRITE) != 0 ||
	    vm_write(vs, DATA_VA + 0x100, &a, sizeof(a)) != 0 ||
	    vm_write(vs, DATA_VA + 0x200, &b, sizeof(b)) != 0) {
		ktest_fail_at(t, __FILE__, __LINE__, "data page");
		vm_space_put(vs);
		return NULL;
	}
	return vs;
}

static uint64_t word_at(struct vm_space *vs, uintptr_t va)
{
	uint64_t w = 0;

	vm_read(vs, va, &w, sizeof(w));
	return w;
}

/* Starts one task per run, all created before any starts; joins them. */
static bool run_threads(struct thread_run *runs, unsigned n)
{
	struct task *tasks[4];

	for (unsigned i = 0; i < n; i++) {
		tasks[i] = task_create("kt-thread", thread_fn, &runs[i]);
		if (!tasks[i]) {
			while (i--) {
				task_start(tasks[i]);
				task_join(tasks[i]);
				task_put(tasks[i]);
			}
			return false;
		}
	}
	for (unsigned i = 0; i < n; i++)
		task_start(tasks[i]);
	for (unsigned i = 0; i < n; i++) {
		task_join(tasks[i]);
		task_put(tasks[i]);
	}
	return true;
}

static void expect_counted(struct ktest_ctx *t, const struct thread_run *r,
			   uint64_t tls_value)
{
	KT_EXPECT_EQ(t, r->ev, USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, r->sysnr, 42);
	KT_EXPECT_EQ(t, r->arg0, tls_value); /* read through its own TLS */
	KT_EXPECT_EQ(t, r->tls_after, r->tls);
}

KTEST(user_threads, two_threads_of_one_space_both_progress)
{
	struct vm_space *vs = threads_space(t);
	struct thread_run runs[2];

	KT_ASSERT(t, vs != NULL);
	thread_init(&runs[0], vs, KT_CODE_VA, DATA_VA, DATA_VA + 8,
		    DATA_VA + 0x100);
	thread_init(&runs[1], vs, KT_CODE_VA, DATA_VA + 8, DATA_VA,
		    DATA_VA + 0x200);
	KT_ASSERT(t, run_threads(runs, 2));
	expect_counted(t, &runs[0], 0xa1);
	expect_counted(t, &runs[1], 0xb2);
	/* Each ended only once its sibling had counted to the target. */
	KT_EXPECT(t, word_at(vs, DATA_VA) >= TARGET);
	KT_EXPECT(t, word_at(vs, DATA_VA + 8) >= TARGET);
	vm_space_put(vs);
}

KTEST(user_threads, faulting_thread_leaves_siblings_running)
{
	struct vm_space *vs = threads_space(t);
	struct thread_run runs[3];

	KT_ASSERT(t, vs != NULL);
	thread_init(&runs[0], vs, KT_CODE_VA + ILLEGAL_AT, 0, 0,
		    DATA_VA + 0x300);
	thread_init(&runs[1], vs, KT_CODE_VA, DATA_VA, DATA_VA + 8,
		    DATA_VA + 0x100);
	thread_init(&runs[2], vs, KT_CODE_VA, DATA_VA + 8, DATA_VA,
		    DATA_VA + 0x200);
	KT_ASSERT(t, run_threads(runs, 3));
	KT_EXPECT_EQ(t, runs[0].ev, USER_EVENT_EXCEPTION);
	KT_EXPECT_EQ(t, runs[0].info.exception, USER_EXC_ILLEGAL);
	expect_counted(t, &runs[1], 0xa1);
	expect_counted(t, &runs[2], 0xb2);
	/* And the space still runs user code after all of it. */
	thread_init(&runs[0], vs, KT_CODE_VA, DATA_VA + 16, DATA_VA,
		    DATA_VA + 0x200);
	KT_ASSERT(t, run_threads(runs, 1));
	expect_counted(t, &runs[0], 0xb2);
	vm_space_put(vs);
}
