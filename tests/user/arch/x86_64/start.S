/*
 * x86-64 program entry: the kernel starts us with %rsp at argc (System V
 * ABI); hand that pointer to the portable user_start() (lib/crt.c) on a
 * 16-byte aligned stack.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	mov %rsp, %rdi
	and $-16, %rsp
	call user_start
	hlt
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
