/*
 * Trap entry and user-mode entry/exit.
 *
 * Every IDT vector has a 16-byte stub at x86_trap_stubs + 16 * vector that
 * pushes a dummy error code (unless the CPU pushed one) and the vector,
 * then joins trap_common, which builds a struct x86_frame (x86.h) on the
 * stack. Traps from kernel mode go to x86_kernel_trap and iretq back.
 *
 * User mode is entered as a function call: x86_enter_user(ctx) pushes the
 * callee-saved registers, records its stack pointer in the per-CPU block
 * (kernel_rsp) and in TSS.rsp0, and iretqs into ctx. Any trap from ring 3
 * (IDT vector or `syscall`, which switches to the same kernel_rsp) builds
 * the frame just below that point, x86_user_trap copies it into ctx and
 * decides the reason, and x86_user_return unwinds to x86_enter_user's
 * caller with that reason in %eax. %gs holds the per-CPU block in kernel
 * mode: swapgs on every crossing.
 */
#include "layout.h"

/* Push order makes the frame start r15, r14, ... rdi (struct x86_frame). */
.macro PUSH_GPRS
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rax
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro POP_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rax
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
.endm

#define FRAME_CS (15 * 8 + 24)	/* after the GPRs: vector, error, rip, cs */

	.text
	.balign 16
	.globl x86_trap_stubs
x86_trap_stubs:
	.set vec, 0
	.rept IDT_VECTORS
	.balign 16
	/* The CPU pushes an error code for 8, 10-14, 17, 21, 29, 30. */
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17)
	.elseif (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp trap_common
	.set vec, vec + 1
	.endr

trap_common:
	cld
	testb $3, 24(%rsp)		/* CS of the interrupted code */
	jz 1f
	swapgs
1:	PUSH_GPRS
	testb $3, FRAME_CS(%rsp)
	jnz user_trap_common
	mov %rsp, %rdi
	call x86_kernel_trap
	POP_GPRS
	add $16, %rsp			/* vector and error code */
	iretq

/*
 * NMI (IST stack): TLB shootdowns (tlb.c). Always returns with iretq, from
 * user mode too, since only iretq ends the CPU's NMI blocking. No swapgs:
 * x86_nmi does not use %gs, which may hold either base here (an NMI can
 * hit right after syscall or right before iretq to user mode).
 */
	.globl x86_nmi_entry
	.type x86_nmi_entry, @function
x86_nmi_entry:
	cld
	PUSH_GPRS
	call x86_nmi
	POP_GPRS
	iretq
	.size x86_nmi_entry, . - x86_nmi_entry

/* syscall: rip in rcx, rflags in r11, still on the user stack. */
	.globl x86_syscall_entry
	.type x86_syscall_entry, @function
x86_syscall_entry:
	swapgs
	mov %rsp, %gs:PC_USER_RSP
	mov %gs:PC_KERNEL_RSP, %rsp
	pushq $USER_DS
	pushq %gs:PC_USER_RSP
	push %r11
	pushq $USER_CS
	push %rcx
	pushq $0
	pushq $VEC_SYSCALL
	PUSH_GPRS
	/* fall through */
user_trap_common:
	pushq $2			/* a clean rflags: IF, AC, DF clear */
	popfq
	mov %rsp, %rdi
	call x86_user_trap
	/* fall through with the reason in %eax */
x86_user_return:
	mov %gs:PC_KERNEL_RSP, %rsp
	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
	.size x86_syscall_entry, . - x86_syscall_entry

/* int x86_enter_user(struct hal_uctx *ctx): interrupts disabled. */
	.globl x86_enter_user
	.type x86_enter_user, @function
x86_enter_user:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	sub $8, %rsp			/* 16-byte aligned trap frames */
	mov %rsp, %gs:PC_KERNEL_RSP
	mov %rsp, %gs:(PC_TSS + TSS_RSP0)
	pushq $USER_DS
	pushq UC_RSP(%rdi)
	pushq UC_RFLAGS(%rdi)
	pushq $USER_CS
	pushq UC_RIP(%rdi)
	mov UC_R15(%rdi), %r15
	mov UC_R14(%rdi), %r14
	mov UC_R13(%rdi), %r13
	mov UC_R12(%rdi), %r12
	mov UC_RBP(%rdi), %rbp
	mov UC_RBX(%rdi), %rbx
	mov UC_R11(%rdi), %r11
	mov UC_R10(%rdi), %r10
	mov UC_R9(%rdi), %r9
	mov UC_R8(%rdi), %r8
	mov UC_RAX(%rdi), %rax
	mov UC_RCX(%rdi), %rcx
	mov UC_RDX(%rdi), %rdx
	mov UC_RSI(%rdi), %rsi
	mov UC_RDI(%rdi), %rdi
	swapgs
	iretq
	.size x86_enter_user, . - x86_enter_user

	.section .note.GNU-stack, "", @progbits
