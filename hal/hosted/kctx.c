/*
 * Kernel contexts of the hosted backend: a new task's stack is laid out so
 * that hosted_kctx_swap (switch.S) pops zeroed callee-saved registers and
 * returns into hosted_kctx_trampoline, which calls entry(arg). Under
 * Valgrind every task stack is registered, so that switching stacks is not
 * mistaken for a huge stack-pointer move.
 *
 * Under AddressSanitizer every switch is announced as a fiber switch
 * (__sanitizer_start_switch_fiber before, __sanitizer_finish_switch_fiber
 * after, on the new stack): ASan then knows which stack the vCPU thread
 * runs on, so its stack checks and __asan_handle_no_return (a panic, a
 * noreturn call) see a stack of known bounds instead of warning that the
 * stack pointer jumped. A context hal_kctx_init did not make (a vCPU
 * thread's own stack, on which the boot task runs) has no known bounds:
 * the first switch away from it learns them from finish_switch_fiber.
 */
#include "hosted.h"

#include <string.h>
#include <valgrind/valgrind.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

void hosted_kctx_trampoline(void);
void hosted_kctx_swap(struct hal_kctx *from, struct hal_kctx *to);
void hosted_kctx_begin(void);

#ifdef __SANITIZE_ADDRESS__
/* The context this vCPU thread is switching away from, for the one that
 * resumes to record its stack bounds if they are not known yet. */
static __thread struct hal_kctx *switching_from;

static void fiber_leave(struct hal_kctx *from, const struct hal_kctx *to)
{
	switching_from = from;
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack,
				       (size_t)to->stack_size);
}

/* On the stack just switched to, whose fake stack is fake_stack. */
static void fiber_arrive(void *fake_stack)
{
	struct hal_kctx *from = switching_from;
	const void *lo;
	size_t size;

	__sanitizer_finish_switch_fiber(fake_stack, &lo, &size);
	if (from && !from->stack) {
		from->stack = lo;
		from->stack_size = size;
	}
}

/* A stack given to a new context may hold the poisoned redzones of the
 * frames of a task that died on it: it starts clean. */
static void fiber_stack_clean(void *stack, size_t size)
{
	ASAN_UNPOISON_MEMORY_REGION(stack, size);
}
#else
static void fiber_leave(struct hal_kctx *from, const struct hal_kctx *to)
{
	(void)from;
	(void)to;
}

static void fiber_arrive(void *fake_stack)
{
	(void)fake_stack;
}

static void fiber_stack_clean(void *stack, size_t size)
{
	(void)stack;
	(void)size;
}
#endif

void hal_kctx_switch(struct hal_kctx *from, struct hal_kctx *to)
{
	fiber_leave(from, to);
	hosted_kctx_swap(from, to);
	/* Back on from's stack: someone switched to it. */
	fiber_arrive(from->fake_stack);
}

/* Called by the trampoline first on a new context's stack: completes the
 * switch that started it (a new context has no fake stack yet). */
void hosted_kctx_begin(void)
{
	fiber_arrive(NULL);
}

/* Registered stacks by base, so that a reused stack replaces its entry. */
#define VG_STACKS 4096
static struct {
	uintptr_t base;
	unsigned id;
} vg_stacks[VG_STACKS];
static int vg_lock;

static void vg_register_stack(void *stack, size_t size)
{
	uintptr_t lo = (uintptr_t)stack, hi = lo + size;
	int free_slot = -1;

	while (__atomic_exchange_n(&vg_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
	for (int i = 0; i < VG_STACKS; i++) {
		if (vg_stacks[i].base == lo) {
			VALGRIND_STACK_CHANGE(vg_stacks[i].id, lo, hi);
			goto out;
		}
		if (!vg_stacks[i].base && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0) {
		vg_stacks[free_slot].base = lo;
		vg_stacks[free_slot].id = VALGRIND_STACK_REGISTER(lo, hi);
	}
out:
	__atomic_store_n(&vg_lock, 0, __ATOMIC_RELEASE);
}

void hal_kctx_init(struct hal_kctx *ctx, void *stack, size_t stack_size,
		   void (*entry)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack + stack_size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)top;

	if (RUNNING_ON_VALGRIND)
		vg_register_stack(stack, stack_size);
	fiber_stack_clean(stack, stack_size);
	ctx->stack = stack;
	ctx->stack_size = stack_size;
	ctx->fake_stack = NULL;
	/* After the pops and ret, rsp == top: 16-byte aligned for the call
	 * in the trampoline. */
	*--sp = (uint64_t)(uintptr_t)hosted_kctx_trampoline;
	*--sp = 0;                          /* rbp */
	*--sp = 0;                          /* rbx */
	*--sp = (uint64_t)(uintptr_t)entry; /* r12 */
	*--sp = (uint64_t)(uintptr_t)arg;   /* r13 */
	*--sp = 0;                          /* r14 */
	*--sp = 0;                          /* r15 */
	ctx->rsp = (uint64_t)(uintptr_t)sp;
}
