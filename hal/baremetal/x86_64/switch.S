/*
 * Kernel context switch: hal_kctx_switch saves the callee-saved registers
 * on the current stack, stores the stack pointer in from->rsp, loads
 * to->rsp and pops the other task's registers. A fresh context (built by
 * hal_kctx_init in cpu.c) "returns" into kctx_trampoline, which calls
 * entry(arg) from r12/r13 with rbp = 0 so that backtraces end there.
 */
#include "layout.h"

	.text
	.globl hal_kctx_switch
	.type hal_kctx_switch, @function
hal_kctx_switch:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov (%rsi), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size hal_kctx_switch, . - hal_kctx_switch

	.globl x86_kctx_trampoline
	.type x86_kctx_trampoline, @function
x86_kctx_trampoline:
	mov %r13, %rdi
	call *%r12
	ud2			/* entry must never return */
	.size x86_kctx_trampoline, . - x86_kctx_trampoline

	.section .note.GNU-stack, "", @progbits
