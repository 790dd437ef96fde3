/*
 * Kernel context switch for riscv64: a task's context is its callee-saved
 * registers (ra, sp, s0-s11) in struct hal_kctx (include/hal/arch.h).
 * tp is not part of it: it names the CPU, not the task.
 */
#include "layout.h"

	.text
/* void hal_kctx_switch(struct hal_kctx *from, struct hal_kctx *to) */
	.globl hal_kctx_switch
hal_kctx_switch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	ld	s0, 16(a1)
	ld	s1, 24(a1)
	ld	s2, 32(a1)
	ld	s3, 40(a1)
	ld	s4, 48(a1)
	ld	s5, 56(a1)
	ld	s6, 64(a1)
	ld	s7, 72(a1)
	ld	s8, 80(a1)
	ld	s9, 88(a1)
	ld	s10, 96(a1)
	ld	s11, 104(a1)
	ret

/*
 * First code of a new context (hal_kctx_init put entry in s1 and its
 * argument in s2; s0 is 0 so backtraces stop here). entry must not return.
 */
	.globl rv_kctx_start
rv_kctx_start:
	mv	a0, s2
	jalr	s1
	call	rv_kctx_returned
	j	.
