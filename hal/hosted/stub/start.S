/*
 * Entry and signal-return code of the stub process: _start hands the
 * initial stack to stub_main, and stub_restorer is the sa_restorer of
 * every handler, so rt_sigreturn is issued from the stub's own text (the
 * only place the seccomp filter lets system calls through).
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

	.globl	stub_restorer
	.type	stub_restorer, @function
stub_restorer:
	movl	$15, %eax	/* __NR_rt_sigreturn */
	syscall
	hlt
	.size	stub_restorer, .-stub_restorer

	.section .note.GNU-stack,"",@progbits
