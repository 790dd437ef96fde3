/*
 * The trap vector and the user-mode entry of the riscv64 backend.
 *
 * One vector serves both modes. sscratch is 0 while a CPU runs kernel code
 * and holds its per-CPU block while it runs user code, so the first
 * instruction (swap tp and sscratch) tells them apart:
 *  - from the kernel, the registers go into a struct rv_frame on the
 *    current stack and rv_kernel_trap() handles the trap;
 *  - from user mode, they go into the struct hal_uctx being run and the
 *    CPU returns, on the kernel stack rv_user_enter saved, to the caller of
 *    rv_user_enter with scause and stval.
 * tp always holds the per-CPU block in kernel mode.
 */
#include "layout.h"

#define SAVE(reg, n, base) sd reg, ((n) * 8)(base)
#define LOAD(reg, n, base) ld reg, ((n) * 8)(base)

	.text
	.balign 4
	.globl rv_trap_vector
rv_trap_vector:
	csrrw	tp, sscratch, tp
	bnez	tp, .Lfrom_user
	csrrw	tp, sscratch, tp	/* kernel: tp back, sscratch 0 */

	/*
	 * A fault while saving the frame below means sp itself is bad (a
	 * wild or overflowed kernel stack): take this CPU's fault stack,
	 * or the CPU would fault here forever.
	 */
	sd	t0, PCPU_SCRATCH(tp)
	sd	t1, PCPU_SCRATCH2(tp)
	csrr	t0, sepc
	lla	t1, .Lsave_start
	bltu	t0, t1, 1f
	lla	t1, .Lsave_end
	bgeu	t0, t1, 1f
	ld	sp, PCPU_FAULT_STACK(tp)
1:	ld	t0, PCPU_SCRATCH(tp)
	ld	t1, PCPU_SCRATCH2(tp)

.Lsave_start:
	addi	sp, sp, -FRAME_SIZE
	SAVE(x1, 1, sp)
	SAVE(x3, 3, sp)
	SAVE(x4, 4, sp)
	SAVE(x5, 5, sp)
	SAVE(x6, 6, sp)
	SAVE(x7, 7, sp)
	SAVE(x8, 8, sp)
	SAVE(x9, 9, sp)
	SAVE(x10, 10, sp)
	SAVE(x11, 11, sp)
	SAVE(x12, 12, sp)
	SAVE(x13, 13, sp)
	SAVE(x14, 14, sp)
	SAVE(x15, 15, sp)
	SAVE(x16, 16, sp)
	SAVE(x17, 17, sp)
	SAVE(x18, 18, sp)
	SAVE(x19, 19, sp)
	SAVE(x20, 20, sp)
	SAVE(x21, 21, sp)
	SAVE(x22, 22, sp)
	SAVE(x23, 23, sp)
	SAVE(x24, 24, sp)
	SAVE(x25, 25, sp)
	SAVE(x26, 26, sp)
	SAVE(x27, 27, sp)
	SAVE(x28, 28, sp)
	SAVE(x29, 29, sp)
	SAVE(x30, 30, sp)
	SAVE(x31, 31, sp)
	addi	t0, sp, FRAME_SIZE
	SAVE(t0, 2, sp)
	csrr	t0, sepc
	SAVE(t0, 0, sp)
	csrr	t0, sstatus
	sd	t0, FRAME_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, FRAME_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, FRAME_STVAL(sp)
.Lsave_end:
	/* A frame record, so backtraces go on into the interrupted code. */
	sd	s0, FRAME_LINK_FP(sp)
	LOAD(t0, 0, sp)
	sd	t0, FRAME_LINK_RA(sp)
	addi	s0, sp, FRAME_SIZE

	mv	a0, sp
	call	rv_kernel_trap

	ld	t0, FRAME_SSTATUS(sp)
	csrw	sstatus, t0
	LOAD(t0, 0, sp)
	csrw	sepc, t0
	/* tp is not restored: it is this CPU's, whatever the frame says. */
	LOAD(x1, 1, sp)
	LOAD(x3, 3, sp)
	LOAD(x5, 5, sp)
	LOAD(x6, 6, sp)
	LOAD(x7, 7, sp)
	LOAD(x8, 8, sp)
	LOAD(x9, 9, sp)
	LOAD(x10, 10, sp)
	LOAD(x11, 11, sp)
	LOAD(x12, 12, sp)
	LOAD(x13, 13, sp)
	LOAD(x14, 14, sp)
	LOAD(x15, 15, sp)
	LOAD(x16, 16, sp)
	LOAD(x17, 17, sp)
	LOAD(x18, 18, sp)
	LOAD(x19, 19, sp)
	LOAD(x20, 20, sp)
	LOAD(x21, 21, sp)
	LOAD(x22, 22, sp)
	LOAD(x23, 23, sp)
	LOAD(x24, 24, sp)
	LOAD(x25, 25, sp)
	LOAD(x26, 26, sp)
	LOAD(x27, 27, sp)
	LOAD(x28, 28, sp)
	LOAD(x29, 29, sp)
	LOAD(x30, 30, sp)
	LOAD(x31, 31, sp)
	LOAD(x2, 2, sp)
	sret

/* From user mode: tp = this CPU, sscratch = the user's tp. */
.Lfrom_user:
	sd	t0, PCPU_SCRATCH(tp)
	ld	t0, PCPU_UCTX(tp)
	SAVE(x1, 1, t0)
	SAVE(x2, 2, t0)
	SAVE(x3, 3, t0)
	SAVE(x6, 6, t0)
	SAVE(x7, 7, t0)
	SAVE(x8, 8, t0)
	SAVE(x9, 9, t0)
	SAVE(x10, 10, t0)
	SAVE(x11, 11, t0)
	SAVE(x12, 12, t0)
	SAVE(x13, 13, t0)
	SAVE(x14, 14, t0)
	SAVE(x15, 15, t0)
	SAVE(x16, 16, t0)
	SAVE(x17, 17, t0)
	SAVE(x18, 18, t0)
	SAVE(x19, 19, t0)
	SAVE(x20, 20, t0)
	SAVE(x21, 21, t0)
	SAVE(x22, 22, t0)
	SAVE(x23, 23, t0)
	SAVE(x24, 24, t0)
	SAVE(x25, 25, t0)
	SAVE(x26, 26, t0)
	SAVE(x27, 27, t0)
	SAVE(x28, 28, t0)
	SAVE(x29, 29, t0)
	SAVE(x30, 30, t0)
	SAVE(x31, 31, t0)
	ld	t1, PCPU_SCRATCH(tp)
	SAVE(t1, 5, t0)
	csrrw	t1, sscratch, zero	/* back in the kernel: sscratch 0 */
	SAVE(t1, 4, t0)
	csrr	t1, sepc
	SAVE(t1, 0, t0)

	/* Return from rv_user_enter on the kernel stack it saved. */
	ld	sp, PCPU_KSP(tp)
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	ld	s3, 32(sp)
	ld	s4, 40(sp)
	ld	s5, 48(sp)
	ld	s6, 56(sp)
	ld	s7, 64(sp)
	ld	s8, 72(sp)
	ld	s9, 80(sp)
	ld	s10, 88(sp)
	ld	s11, 96(sp)
	addi	sp, sp, 112
	csrr	a0, scause
	csrr	a1, stval
	ret

/*
 * struct rv_trap rv_user_enter(struct hal_uctx *ctx)
 *
 * Called with interrupts disabled, sstatus prepared for user mode (SPP 0,
 * SPIE 1) and the address space loaded. Saves the callee-saved registers,
 * loads ctx and enters user mode; returns {scause, stval} once the next
 * trap from user mode has saved the user registers back into ctx.
 */
	.globl rv_user_enter
rv_user_enter:
	addi	sp, sp, -112
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	sd	s3, 32(sp)
	sd	s4, 40(sp)
	sd	s5, 48(sp)
	sd	s6, 56(sp)
	sd	s7, 64(sp)
	sd	s8, 72(sp)
	sd	s9, 80(sp)
	sd	s10, 88(sp)
	sd	s11, 96(sp)
	sd	sp, PCPU_KSP(tp)
	sd	a0, PCPU_UCTX(tp)
	LOAD(t0, 0, a0)
	csrw	sepc, t0
	csrw	sscratch, tp		/* from here a trap means user mode */
	LOAD(x1, 1, a0)
	LOAD(x2, 2, a0)
	LOAD(x3, 3, a0)
	LOAD(x4, 4, a0)
	LOAD(x5, 5, a0)
	LOAD(x6, 6, a0)
	LOAD(x7, 7, a0)
	LOAD(x8, 8, a0)
	LOAD(x9, 9, a0)
	LOAD(x11, 11, a0)
	LOAD(x12, 12, a0)
	LOAD(x13, 13, a0)
	LOAD(x14, 14, a0)
	LOAD(x15, 15, a0)
	LOAD(x16, 16, a0)
	LOAD(x17, 17, a0)
	LOAD(x18, 18, a0)
	LOAD(x19, 19, a0)
	LOAD(x20, 20, a0)
	LOAD(x21, 21, a0)
	LOAD(x22, 22, a0)
	LOAD(x23, 23, a0)
	LOAD(x24, 24, a0)
	LOAD(x25, 25, a0)
	LOAD(x26, 26, a0)
	LOAD(x27, 27, a0)
	LOAD(x28, 28, a0)
	LOAD(x29, 29, a0)
	LOAD(x30, 30, a0)
	LOAD(x31, 31, a0)
	LOAD(x10, 10, a0)
	sret

/*
 * The user's F/D registers. The kernel is built without F/D, so these are
 * the only FP instructions in it; callers set sstatus.FS non-Off first.
 */
	.option push
	.option arch, +d
	.globl rv_fp_load
rv_fp_load:
	fld	f0, UCTX_F(0)(a0)
	fld	f1, UCTX_F(1)(a0)
	fld	f2, UCTX_F(2)(a0)
	fld	f3, UCTX_F(3)(a0)
	fld	f4, UCTX_F(4)(a0)
	fld	f5, UCTX_F(5)(a0)
	fld	f6, UCTX_F(6)(a0)
	fld	f7, UCTX_F(7)(a0)
	fld	f8, UCTX_F(8)(a0)
	fld	f9, UCTX_F(9)(a0)
	fld	f10, UCTX_F(10)(a0)
	fld	f11, UCTX_F(11)(a0)
	fld	f12, UCTX_F(12)(a0)
	fld	f13, UCTX_F(13)(a0)
	fld	f14, UCTX_F(14)(a0)
	fld	f15, UCTX_F(15)(a0)
	fld	f16, UCTX_F(16)(a0)
	fld	f17, UCTX_F(17)(a0)
	fld	f18, UCTX_F(18)(a0)
	fld	f19, UCTX_F(19)(a0)
	fld	f20, UCTX_F(20)(a0)
	fld	f21, UCTX_F(21)(a0)
	fld	f22, UCTX_F(22)(a0)
	fld	f23, UCTX_F(23)(a0)
	fld	f24, UCTX_F(24)(a0)
	fld	f25, UCTX_F(25)(a0)
	fld	f26, UCTX_F(26)(a0)
	fld	f27, UCTX_F(27)(a0)
	fld	f28, UCTX_F(28)(a0)
	fld	f29, UCTX_F(29)(a0)
	fld	f30, UCTX_F(30)(a0)
	fld	f31, UCTX_F(31)(a0)
	ld	t0, UCTX_FCSR(a0)
	fscsr	t0
	ret

	.globl rv_fp_save
rv_fp_save:
	fsd	f0, UCTX_F(0)(a0)
	fsd	f1, UCTX_F(1)(a0)
	fsd	f2, UCTX_F(2)(a0)
	fsd	f3, UCTX_F(3)(a0)
	fsd	f4, UCTX_F(4)(a0)
	fsd	f5, UCTX_F(5)(a0)
	fsd	f6, UCTX_F(6)(a0)
	fsd	f7, UCTX_F(7)(a0)
	fsd	f8, UCTX_F(8)(a0)
	fsd	f9, UCTX_F(9)(a0)
	fsd	f10, UCTX_F(10)(a0)
	fsd	f11, UCTX_F(11)(a0)
	fsd	f12, UCTX_F(12)(a0)
	fsd	f13, UCTX_F(13)(a0)
	fsd	f14, UCTX_F(14)(a0)
	fsd	f15, UCTX_F(15)(a0)
	fsd	f16, UCTX_F(16)(a0)
	fsd	f17, UCTX_F(17)(a0)
	fsd	f18, UCTX_F(18)(a0)
	fsd	f19, UCTX_F(19)(a0)
	fsd	f20, UCTX_F(20)(a0)
	fsd	f21, UCTX_F(21)(a0)
	fsd	f22, UCTX_F(22)(a0)
	fsd	f23, UCTX_F(23)(a0)
	fsd	f24, UCTX_F(24)(a0)
	fsd	f25, UCTX_F(25)(a0)
	fsd	f26, UCTX_F(26)(a0)
	fsd	f27, UCTX_F(27)(a0)
	fsd	f28, UCTX_F(28)(a0)
	fsd	f29, UCTX_F(29)(a0)
	fsd	f30, UCTX_F(30)(a0)
	fsd	f31, UCTX_F(31)(a0)
	frcsr	t0
	sd	t0, UCTX_FCSR(a0)
	ret
	.option pop
