/*
 * The riscv64 user register file: x1..x31 (x[0] is the pc slot, since x0
 * is hardwired to zero), which is also Linux's struct user_regs_struct
 * (listed once in HAL_UREGS_FIELDS), plus the F/D registers and fcsr and
 * what system call restart needs.
 */
#ifndef HAL_UCTX_RISCV64_H
#define HAL_UCTX_RISCV64_H

#include <stdint.h>

/* struct user_regs_struct, in its order: x[0] is the pc. */
#define HAL_UREGS_FIELDS(X)                                              \
	X(pc) X(ra) X(sp) X(gp) X(tp) X(t0) X(t1) X(t2) X(s0) X(s1)      \
	X(a0) X(a1) X(a2) X(a3) X(a4) X(a5) X(a6) X(a7) X(s2) X(s3)      \
	X(s4) X(s5) X(s6) X(s7) X(s8) X(s9) X(s10) X(s11) X(t3) X(t4)    \
	X(t5) X(t6)

#define HAL_UREGS_FIELD_(name) uint64_t name;
struct hal_uregs {
	HAL_UREGS_FIELDS(HAL_UREGS_FIELD_)
};
#undef HAL_UREGS_FIELD_

struct hal_uctx {
	union {
		uint64_t x[32]; /* x[0] holds the user pc */
		struct hal_uregs regs;
	};
	uint64_t f[32];
	uint64_t fcsr;
	uint64_t orig_a0;    /* a0 when the last system call came in */
	uint64_t in_syscall; /* stopped at a system call, not rewound */
};

#endif
