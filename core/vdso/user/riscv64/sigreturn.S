/*
 * __vdso_rt_sigreturn: where a riscv64 signal handler returns to. The
 * kernel points ra at it when it delivers a signal (the riscv64 ABI has
 * no sa_restorer), as Linux does with its vDSO's. The nop before the
 * label is for unwinders, which look one instruction back from a return
 * address (Linux's vDSO has it too).
 */
	.text
	.globl __vdso_rt_sigreturn
	.type __vdso_rt_sigreturn, @function
	nop
__vdso_rt_sigreturn:
	li a7, 139	/* __NR_rt_sigreturn */
	ecall
	.size __vdso_rt_sigreturn, . - __vdso_rt_sigreturn
