/*
 * The x86-64 user register file, shared by the hosted backend (which runs
 * x86-64 Linux programs) and the bare-metal x86_64 backend, so that both
 * mean the same thing by a user context.
 *
 * This is the one x86-64 register table: the general registers are laid
 * out exactly as Linux's struct user_regs_struct (<sys/user.h>, what
 * PTRACE_GETREGS copies), listed once in HAL_X86_64_UREGS, from which the
 * struct, the core's layout check against <keel/arch/user_regs.h> and the
 * copies in and out of signal frames and trap frames are generated.
 */
#ifndef HAL_UCTX_X86_64_H
#define HAL_UCTX_X86_64_H

#include <stdint.h>

/* The general registers that a trap frame and a Linux signal frame
 * (struct sigcontext) both hold under these names. */
#define HAL_X86_64_GPRS(X)                                               \
	X(r15) X(r14) X(r13) X(r12) X(rbp) X(rbx) X(r11) X(r10) X(r9)    \
	X(r8) X(rax) X(rcx) X(rdx) X(rsi) X(rdi) X(rip) X(eflags) X(rsp)

/* struct user_regs_struct, in its order. */
#define HAL_UREGS_FIELDS(X)                                              \
	X(r15) X(r14) X(r13) X(r12) X(rbp) X(rbx) X(r11) X(r10) X(r9)    \
	X(r8) X(rax) X(rcx) X(rdx) X(rsi) X(rdi) X(orig_rax) X(rip)      \
	X(cs) X(eflags) X(rsp) X(ss) X(fs_base) X(gs_base) X(ds) X(es)   \
	X(fs) X(gs)

#define HAL_UREGS_FIELD_(name) uint64_t name;
struct hal_uregs {
	HAL_UREGS_FIELDS(HAL_UREGS_FIELD_)
};

/* Room for the FPU/vector state: the XSAVE area (standard format) of
 * x87, SSE, AVX and, on hosts that have it, AVX-512 and PKRU. */
#define HAL_UCTX_FPU_MAX 4096

struct hal_uctx {
	/* The general registers, as their own struct (the whole set) and
	 * by name. orig_rax is the system call number of the last trap, or
	 * -1 if it was no system call (as Linux); cs and ss always hold
	 * the backend's user selectors, ds, es, fs and gs 0. */
	union {
		struct hal_uregs regs;
		struct {
			HAL_UREGS_FIELDS(HAL_UREGS_FIELD_)
		};
	};
	/* fxsave image (x87, MXCSR, XMM0-15), followed where the CPU has
	 * XSAVE by the XSAVE header and the extended state (AVX ...). */
	uint8_t fpu[HAL_UCTX_FPU_MAX] __attribute__((aligned(64)));
};
#undef HAL_UREGS_FIELD_

#endif
