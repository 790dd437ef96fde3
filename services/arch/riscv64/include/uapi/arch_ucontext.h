/*
 * riscv64's signal context: struct sigcontext (the 32 integer registers
 * with pc in x0's place, then the F/D/Q state) and struct ucontext, as the
 * third argument of an SA_SIGINFO handler has them (uc_sigmask before a
 * reserved area, uc_mcontext last so that it can grow). Checked against
 * the riscv64 cross headers' <asm/sigcontext.h> and <asm/ucontext.h>
 * (scripts/check-uapi).
 */
#ifndef UAPI_ARCH_UCONTEXT_H
#define UAPI_ARCH_UCONTEXT_H

#include <stdint.h>
#include <uapi/signal.h>

/* user_regs_struct: pc, then x1 (ra) to x31 (t6) in order. */
struct linux_user_regs {
	uint64_t pc;
	uint64_t ra, sp, gp, tp, t0, t1, t2, s0, s1;
	uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
	uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	uint64_t t3, t4, t5, t6;
};

/* __riscv_fp_state: the kernel saves the widest one the hart has (D). */
union linux_riscv_fp_state {
	struct {
		uint32_t f[32];
		uint32_t fcsr;
	} f;
	struct {
		uint64_t f[32];
		uint32_t fcsr;
	} d;
	struct {
		uint64_t f[64] __attribute__((aligned(16)));
		uint32_t fcsr;
		uint32_t reserved[3];
	} q;
};

struct linux_sigcontext {
	struct linux_user_regs sc_regs;
	union linux_riscv_fp_state sc_fpregs;
};

struct linux_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link; /* a user address */
	struct linux_stack uc_stack;
	linux_sigset_t uc_sigmask;
	uint8_t __unused[1024 / 8 - sizeof(linux_sigset_t)];
	struct linux_sigcontext uc_mcontext;
};

#endif
