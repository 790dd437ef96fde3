/*
 * The x86-64 user register file, shared by the hosted backend (which runs
 * x86-64 Linux programs) and the bare-metal x86_64 backend, so that both
 * mean the same thing by a user context.
 */
#ifndef HAL_UCTX_X86_64_H
#define HAL_UCTX_X86_64_H

#include <stdint.h>

struct hal_uctx {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10;
	uint64_t r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t rip, rsp, rflags;
	uint64_t fs_base, gs_base;
	/* fxsave image: x87, MXCSR, XMM0-15. */
	uint8_t fpu[512] __attribute__((aligned(16)));
};

#endif
