/*
 * Kernel contexts of the hosted backend: a new task's stack is laid out so
 * that hal_kctx_switch (switch.S) pops zeroed callee-saved registers and
 * returns into hosted_kctx_trampoline, which calls entry(arg). Under
 * Valgrind every task stack is registered, so that switching stacks is not
 * mistaken for a huge stack-pointer move.
 */
#include "hosted.h"

#include <string.h>
#include <valgrind/valgrind.h>

void hosted_kctx_trampoline(void);

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
