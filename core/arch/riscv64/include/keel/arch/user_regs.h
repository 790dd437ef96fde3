/*
 * The general registers of a riscv64 user context, laid out as Linux's
 * struct user_regs_struct (asm/ptrace.h: what PTRACE_GETREGSET
 * NT_PRSTATUS copies and a signal frame's sc_regs). The build selects this
 * directory for riscv64; services include <keel/user.h>.
 *
 * Nothing in it is privileged (sstatus is not part of it), so
 * uctx_set_regs accepts every value.
 */
#ifndef KEEL_ARCH_USER_REGS_H
#define KEEL_ARCH_USER_REGS_H

#include <stdint.h>

struct user_regs {
	uint64_t pc, ra, sp, gp, tp, t0, t1, t2, s0, s1;
	uint64_t a0, a1, a2, a3, a4, a5, a6, a7;
	uint64_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	uint64_t t3, t4, t5, t6;
};

_Static_assert(sizeof(struct user_regs) == 32 * 8,
	       "struct user_regs_struct is 32 words");

#endif
