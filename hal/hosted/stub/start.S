/*
 * Entry, thread-start and signal-return code of the stub process: _start
 * hands the initial stack to stub_main, stub_clone starts a stub thread
 * in stub_thread_main, and stub_restorer is the sa_restorer of every
 * handler, so rt_sigreturn is issued from the stub's own text (the only
 * place the seccomp filter lets system calls through).
 */
	.text

	.globl	_start
	.type	_start, @function
_start:
	.cfi_startproc
	.cfi_undefined rip
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	andq	$-16, %rsp
	callq	stub_main
	hlt
	.cfi_endproc
	.size	_start, .-_start

/*
 * long stub_clone(flags, stack_top, ctid, slot): clone(flags, stack_top,
 * NULL, ctid, 0). The parent returns the tid (or -errno); the child, on
 * the new stack, calls stub_thread_main(slot), which never returns. The
 * slot travels in r12, which the child inherits.
 */
	.globl	stub_clone
	.type	stub_clone, @function
stub_clone:
	pushq	%r12
	movq	%rcx, %r12
	movq	%rdx, %r10	/* child_tid */
	xorl	%edx, %edx	/* parent_tid */
	xorl	%r8d, %r8d	/* tls */
	movl	$56, %eax	/* __NR_clone */
	syscall
	testq	%rax, %rax
	jz	1f
	popq	%r12
	ret
1:	xorl	%ebp, %ebp
	movq	%r12, %rdi
	callq	stub_thread_main
	hlt
	.size	stub_clone, .-stub_clone

	.globl	stub_restorer
	.type	stub_restorer, @function
stub_restorer:
	movl	$15, %eax	/* __NR_rt_sigreturn */
	syscall
	hlt
	.size	stub_restorer, .-stub_restorer

	.section .note.GNU-stack,"",@progbits
