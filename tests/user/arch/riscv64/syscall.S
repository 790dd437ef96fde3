/*
 * riscv64 Linux system call wrappers for the user test programs: the
 * number in a7 (generic numbering), arguments in a0..a5, result (or
 * -errno) in a0. C already passes the arguments in a0..a5.
 */
	.text

#define SYSCALL(name, nr)		\
	.globl name;			\
	.type name, @function;		\
name:					\
	li a7, nr;			\
	ecall;				\
	ret;				\
	.size name, . - name

SYSCALL(sys_write, 64)
SYSCALL(sys_exit, 93)
SYSCALL(sys_exit_group, 94)
SYSCALL(sys_set_tid_address, 96)
SYSCALL(sys_sched_yield, 124)
SYSCALL(sys_getpid, 172)
SYSCALL(sys_brk, 214)
SYSCALL(sys_mprotect, 226)
SYSCALL(sys_kill, 129)
SYSCALL(sys_tkill, 130)
SYSCALL(sys_tgkill, 131)
SYSCALL(sys_sigaltstack, 132)
SYSCALL(sys_rt_sigaction, 134)
SYSCALL(sys_rt_sigprocmask, 135)
SYSCALL(sys_rt_sigpending, 136)
SYSCALL(sys_rt_sigqueueinfo, 138)

/* File system calls (tests/user/files_*.c). */
SYSCALL(sys_read, 63)
SYSCALL(sys_close, 57)
SYSCALL(sys_openat, 56)
SYSCALL(sys_lseek, 62)
SYSCALL(sys_fstat, 80)
SYSCALL(sys_newfstatat, 79)
SYSCALL(sys_mkdirat, 34)
SYSCALL(sys_unlinkat, 35)
SYSCALL(sys_getdents64, 61)
SYSCALL(sys_renameat2, 276)
SYSCALL(sys_linkat, 37)
SYSCALL(sys_symlinkat, 36)
SYSCALL(sys_readlinkat, 78)
SYSCALL(sys_dup, 23)
SYSCALL(sys_dup3, 24)
SYSCALL(sys_fcntl, 25)
SYSCALL(sys_ioctl, 29)
SYSCALL(sys_getcwd, 17)
SYSCALL(sys_chdir, 49)
SYSCALL(sys_fchdir, 50)
SYSCALL(sys_ftruncate, 46)
SYSCALL(sys_truncate, 45)
SYSCALL(sys_pread64, 67)
SYSCALL(sys_pwrite64, 68)
SYSCALL(sys_readv, 65)
SYSCALL(sys_writev, 66)
SYSCALL(sys_umask, 166)

/* long sys_call0(long nr) */
	.globl sys_call0
	.type sys_call0, @function
sys_call0:
	mv a7, a0
	ecall
	ret
	.size sys_call0, . - sys_call0

/* long sys_call6(long nr, long a0, ..., long a5) */
	.globl sys_call6
	.type sys_call6, @function
sys_call6:
	mv a7, a0
	mv a0, a1
	mv a1, a2
	mv a2, a3
	mv a3, a4
	mv a4, a5
	mv a5, a6
	ecall
	ret
	.size sys_call6, . - sys_call6

/* long tls_set(void *p): the thread pointer is a plain register here. */
	.globl tls_set
	.type tls_set, @function
tls_set:
	mv tp, a0
	li a0, 0
	ret
	.size tls_set, . - tls_set

/* unsigned long tls_load0(void): the word at 0(tp) */
	.globl tls_load0
	.type tls_load0, @function
tls_load0:
	ld a0, 0(tp)
	ret
	.size tls_load0, . - tls_load0

	.globl arch_illegal_instruction
	.type arch_illegal_instruction, @function
arch_illegal_instruction:
	unimp
	ret
	.size arch_illegal_instruction, . - arch_illegal_instruction

/*
 * long thread_spawn(unsigned long flags, void *stack_top, void (*fn)(void *),
 *                   void *arg): clone(flags, stack_top) whose child calls
 * fn(arg) on the new stack and exits (exit, the thread alone) when fn
 * returns. The parent gets the child's tid or -errno. fn and arg ride in
 * t0 and t1, which the kernel leaves as they were in the child.
 */
	.globl thread_spawn
	.type thread_spawn, @function
thread_spawn:
	mv t0, a2
	mv t1, a3
	li a2, 0
	li a3, 0
	li a4, 0
	li a7, 220
	ecall
	bnez a0, 1f
	andi sp, sp, -16
	mv a0, t1
	jalr t0
	li a0, 0
	li a7, 93
	ecall
	unimp
1:	ret
	.size thread_spawn, . - thread_spawn

	.section .note.GNU-stack, "", @progbits
