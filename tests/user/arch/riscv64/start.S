/*
 * riscv64 program entry: the kernel starts us with sp at argc (System V
 * ABI). Set up the global pointer the linker may relax accesses against,
 * then hand the stack pointer to the portable user_start() (lib/crt.c).
 */
	.text
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	la gp, __global_pointer$
	.option pop
	mv a0, sp
	andi sp, sp, -16
	call user_start
1:	j 1b
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
