/*
 * x86-64 helpers of the signal tests (their system calls are in
 * syscall.S): the sa_restorer (libc's __restore_rt: rt_sigreturn from
 * the frame the handler returned through), and instructions that fault,
 * each followed by a resume label a handler can set the saved rip to.
 */
	.text

	.globl sig_restorer
	.type sig_restorer, @function
sig_restorer:
	mov $15, %eax
	syscall
	ud2
	.size sig_restorer, . - sig_restorer

/* rt_sigreturn with the stack pointer at sp: a frame the kernel must
 * refuse when sp points at nothing. */
	.globl sigreturn_at
	.type sigreturn_at, @function
sigreturn_at:
	mov %rdi, %rsp
	mov $15, %eax
	syscall
	ud2
	.size sigreturn_at, . - sigreturn_at

/* unsigned long fault_load(unsigned long addr) */
	.globl fault_load, fault_load_resume
	.type fault_load, @function
fault_load:
	mov $0, %eax
	mov (%rdi), %rax
fault_load_resume:
	ret
	.size fault_load, . - fault_load

/* void fault_store(unsigned long addr) */
	.globl fault_store, fault_store_resume
	.type fault_store, @function
fault_store:
	movq $1, (%rdi)
fault_store_resume:
	ret
	.size fault_store, . - fault_store

/* void fault_illegal(void); the address of the instruction is
 * fault_illegal itself */
	.globl fault_illegal, fault_illegal_resume
	.type fault_illegal, @function
fault_illegal:
	ud2
fault_illegal_resume:
	ret
	.size fault_illegal, . - fault_illegal

/* void fault_breakpoint(void) */
	.globl fault_breakpoint, fault_breakpoint_resume
	.type fault_breakpoint, @function
fault_breakpoint:
	int3
fault_breakpoint_resume:
	ret
	.size fault_breakpoint, . - fault_breakpoint

/* long fault_divide(long a, long b): a / b */
	.globl fault_divide, fault_divide_resume
	.type fault_divide, @function
fault_divide:
	mov %rdi, %rax
	cqo
	idiv %rsi
fault_divide_resume:
	ret
	.size fault_divide, . - fault_divide

/* void fpu_set(double v): every xmm register holds v. double fpu_sum(void):
 * the sum of the sixteen (16 * v when nothing clobbered them). */
	.globl fpu_set
	.type fpu_set, @function
fpu_set:
	movsd %xmm0, %xmm1
	movsd %xmm0, %xmm2
	movsd %xmm0, %xmm3
	movsd %xmm0, %xmm4
	movsd %xmm0, %xmm5
	movsd %xmm0, %xmm6
	movsd %xmm0, %xmm7
	movsd %xmm0, %xmm8
	movsd %xmm0, %xmm9
	movsd %xmm0, %xmm10
	movsd %xmm0, %xmm11
	movsd %xmm0, %xmm12
	movsd %xmm0, %xmm13
	movsd %xmm0, %xmm14
	movsd %xmm0, %xmm15
	ret
	.size fpu_set, . - fpu_set

/* long fpu_kill_and_sum(long (*send)(void)): sets all xmm to 1.0, calls
 * send (which raises a signal whose handler clobbers them) from asm so
 * the compiler keeps nothing in them, and returns 1 when all still hold
 * 1.0. send may use only general registers. */
	.globl fpu_survives
	.type fpu_survives, @function
fpu_survives:
	push %rbx
	mov %rdi, %rbx
	mov $0x3ff0000000000000, %rax
	movq %rax, %xmm0
	call fpu_set
	call *%rbx
	mov $0x3ff0000000000000, %rcx
	xor %eax, %eax
#define CHECK(n) movq %xmm##n, %rdx; cmp %rcx, %rdx; jne 1f;
	CHECK(0) CHECK(1) CHECK(2) CHECK(3) CHECK(4) CHECK(5) CHECK(6)
	CHECK(7) CHECK(8) CHECK(9) CHECK(10) CHECK(11) CHECK(12) CHECK(13)
	CHECK(14) CHECK(15)
	mov $1, %eax
1:	pop %rbx
	ret
	.size fpu_survives, . - fpu_survives

/* void fpu_clobber(void): every xmm register zero. */
	.globl fpu_clobber
	.type fpu_clobber, @function
fpu_clobber:
	xorpd %xmm0, %xmm0
	call fpu_set
	ret
	.size fpu_clobber, . - fpu_clobber

	.section .note.GNU-stack, "", @progbits
