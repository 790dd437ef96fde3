/*
 * Machine description of the hosted backend: Keel as a Linux process on an
 * x86-64 host running x86-64 Linux user programs in stub processes.
 */
#ifndef HAL_ARCH_H
#define HAL_ARCH_H

#include <stdint.h>
#include <hal/uctx_x86_64.h>

#define HAL_PAGE_SHIFT 12
#define HAL_PAGE_SIZE (1ul << HAL_PAGE_SHIFT)
#define HAL_MAX_CPUS 8

/* The simulated MMU: x86-64 4-level tables unless the build picks Sv39. */
#ifdef KEEL_HOSTED_PT_SV39
#define HAL_PT_SV39 1
#else
#define HAL_PT_X86_64 1
#endif

/* User programs get [64 KiB, 0x7f0000000000); the stub process keeps the
 * rest of the host address space for its code, stack and shared page. */
#define HAL_USER_VA_MIN 0x10000ul
#define HAL_USER_VA_MAX 0x7f0000000000ul

/*
 * A kernel task's saved context: its stack pointer (the callee-saved
 * registers are on the stack; hosted/switch.S needs rsp first), and for
 * AddressSanitizer the bounds of its stack and its fake stack
 * (hal/hosted/kctx.c). A context hal_kctx_init did not make (a vCPU's
 * boot stack) learns its bounds the first time it is switched away from.
 */
struct hal_kctx {
	uint64_t rsp;
	const void *stack;
	uint64_t stack_size;
	void *fake_stack;
};

/* One stub process per address space. */
struct hosted_stub;
struct hal_as {
	struct hosted_stub *stub; /* owned by hal/hosted/stub_host.c */
	uint64_t root;            /* page-table root, for the record */
};

#endif
