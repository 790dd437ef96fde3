/*
 * riscv64 helpers of the signal tests (their system calls are in
 * syscall.S): instructions that fault, each followed by a resume label
 * a handler can set the saved pc to. riscv64 has no sa_restorer: the kernel returns
 * handlers through its own trampoline (sig_restorer is never used).
 */
	.text

	.globl sig_restorer
	.type sig_restorer, @function
sig_restorer:
	li a7, 139
	ecall
	unimp
	.size sig_restorer, . - sig_restorer

	.globl sigreturn_at
	.type sigreturn_at, @function
sigreturn_at:
	mv sp, a0
	li a7, 139
	ecall
	unimp
	.size sigreturn_at, . - sigreturn_at

	.globl fault_load, fault_load_resume
	.type fault_load, @function
fault_load:
	ld a0, 0(a0)
fault_load_resume:
	ret
	.size fault_load, . - fault_load

	.globl fault_store, fault_store_resume
	.type fault_store, @function
fault_store:
	li t0, 1
	sd t0, 0(a0)
fault_store_resume:
	ret
	.size fault_store, . - fault_store

	.globl fault_illegal, fault_illegal_resume
	.type fault_illegal, @function
fault_illegal:
	.word 0
fault_illegal_resume:
	ret
	.size fault_illegal, . - fault_illegal

	.globl fault_breakpoint, fault_breakpoint_resume
	.type fault_breakpoint, @function
fault_breakpoint:
	.option push
	.option norvc
	ebreak
	.option pop
fault_breakpoint_resume:
	ret
	.size fault_breakpoint, . - fault_breakpoint

/* long fault_divide(long a, long b): riscv64 division never traps
 * (signal_fpe runs on x86-64 only); here so that it links. */
	.globl fault_divide, fault_divide_resume
	.type fault_divide, @function
fault_divide:
	div a0, a0, a1
fault_divide_resume:
	ret
	.size fault_divide, . - fault_divide

	.globl fpu_set
	.type fpu_set, @function
fpu_set:
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.d f\n, f0
	.endr
	ret
	.size fpu_set, . - fpu_set

	.globl fpu_survives
	.type fpu_survives, @function
fpu_survives:
	addi sp, sp, -16
	sd ra, 8(sp)
	sd s0, 0(sp)
	mv s0, a0
	li t0, 0x3ff0000000000000
	fmv.d.x f0, t0
	call fpu_set
	jalr s0
	li t0, 0x3ff0000000000000
	li a0, 0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.x.d t1, f\n
	bne t1, t0, 1f
	.endr
	li a0, 1
1:	ld ra, 8(sp)
	ld s0, 0(sp)
	addi sp, sp, 16
	ret
	.size fpu_survives, . - fpu_survives

	.globl fpu_clobber
	.type fpu_clobber, @function
fpu_clobber:
	addi sp, sp, -16
	sd ra, 8(sp)
	fmv.d.x f0, zero
	call fpu_set
	ld ra, 8(sp)
	addi sp, sp, 16
	ret
	.size fpu_clobber, . - fpu_clobber

	.section .note.GNU-stack, "", @progbits
