/*
 * Kernel context switch of the hosted backend (x86-64 System V): save the
 * callee-saved registers on the current stack, swap stack pointers, pop
 * the next context's registers. hosted_kctx_swap (kctx.c) wraps it with
 * the sanitizer's stack-switch notes. A new context (hal_kctx_init)
 * "returns" into hosted_kctx_trampoline with entry in r12 and its
 * argument in r13.
 */
	.text

/* void hosted_kctx_swap(struct hal_kctx *from, struct hal_kctx *to) */
	.globl	hosted_kctx_swap
	.type	hosted_kctx_swap, @function
hosted_kctx_swap:
	.cfi_startproc
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	pushq	%rbx
	.cfi_adjust_cfa_offset 8
	pushq	%r12
	.cfi_adjust_cfa_offset 8
	pushq	%r13
	.cfi_adjust_cfa_offset 8
	pushq	%r14
	.cfi_adjust_cfa_offset 8
	pushq	%r15
	.cfi_adjust_cfa_offset 8
	movq	%rsp, (%rdi)
	movq	(%rsi), %rsp
	popq	%r15
	.cfi_adjust_cfa_offset -8
	popq	%r14
	.cfi_adjust_cfa_offset -8
	popq	%r13
	.cfi_adjust_cfa_offset -8
	popq	%r12
	.cfi_adjust_cfa_offset -8
	popq	%rbx
	.cfi_adjust_cfa_offset -8
	popq	%rbp
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size	hosted_kctx_swap, .-hosted_kctx_swap

/* First code of every new context: hosted_kctx_begin() (the end of the
 * switch that got here), then entry(arg); entry never returns. r12 and
 * r13 are callee-saved, so they survive the first call. */
	.globl	hosted_kctx_trampoline
	.type	hosted_kctx_trampoline, @function
hosted_kctx_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	callq	hosted_kctx_begin
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.cfi_endproc
	.size	hosted_kctx_trampoline, .-hosted_kctx_trampoline

	.section .note.GNU-stack,"",@progbits
