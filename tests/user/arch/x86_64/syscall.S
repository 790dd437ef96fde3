/*
 * x86-64 Linux system call wrappers for the user test programs: the
 * syscall number in %rax, arguments in %rdi %rsi %rdx %r10 %r8 %r9, result
 * (or -errno) in %rax. C passes the fourth argument in %rcx, hence the move.
 */
	.text

	.type do_syscall, @function
do_syscall:
	mov %rcx, %r10
	syscall
	ret
	.size do_syscall, . - do_syscall

#define SYSCALL(name, nr)		\
	.globl name;			\
	.type name, @function;		\
name:					\
	mov $nr, %eax;			\
	jmp do_syscall;			\
	.size name, . - name

SYSCALL(sys_write, 1)
SYSCALL(sys_mprotect, 10)
SYSCALL(sys_brk, 12)
SYSCALL(sys_sched_yield, 24)
SYSCALL(sys_getpid, 39)
SYSCALL(sys_exit, 60)
SYSCALL(sys_set_tid_address, 218)
SYSCALL(sys_exit_group, 231)
SYSCALL(sys_rt_sigaction, 13)
SYSCALL(sys_rt_sigprocmask, 14)
SYSCALL(sys_rt_sigpending, 127)
SYSCALL(sys_rt_sigqueueinfo, 129)
SYSCALL(sys_sigaltstack, 131)
SYSCALL(sys_kill, 62)
SYSCALL(sys_tkill, 200)
SYSCALL(sys_tgkill, 234)

/* File system calls (tests/user/files_*.c). */
SYSCALL(sys_read, 0)
SYSCALL(sys_close, 3)
SYSCALL(sys_openat, 257)
SYSCALL(sys_lseek, 8)
SYSCALL(sys_fstat, 5)
SYSCALL(sys_newfstatat, 262)
SYSCALL(sys_mkdirat, 258)
SYSCALL(sys_unlinkat, 263)
SYSCALL(sys_getdents64, 217)
SYSCALL(sys_renameat2, 316)
SYSCALL(sys_linkat, 265)
SYSCALL(sys_symlinkat, 266)
SYSCALL(sys_readlinkat, 267)
SYSCALL(sys_dup, 32)
SYSCALL(sys_dup3, 292)
SYSCALL(sys_fcntl, 72)
SYSCALL(sys_ioctl, 16)
SYSCALL(sys_getcwd, 79)
SYSCALL(sys_chdir, 80)
SYSCALL(sys_fchdir, 81)
SYSCALL(sys_ftruncate, 77)
SYSCALL(sys_truncate, 76)
SYSCALL(sys_pread64, 17)
SYSCALL(sys_pwrite64, 18)
SYSCALL(sys_readv, 19)
SYSCALL(sys_writev, 20)
SYSCALL(sys_umask, 95)

/* long sys_call0(long nr) */
	.globl sys_call0
	.type sys_call0, @function
sys_call0:
	mov %rdi, %rax
	syscall
	ret
	.size sys_call0, . - sys_call0

/* long sys_call6(long nr, long a0, ..., long a5): a5 is on the stack. */
	.globl sys_call6
	.type sys_call6, @function
sys_call6:
	mov %rdi, %rax
	mov %rsi, %rdi
	mov %rdx, %rsi
	mov %rcx, %rdx
	mov %r8, %r10
	mov %r9, %r8
	mov 8(%rsp), %r9
	syscall
	ret
	.size sys_call6, . - sys_call6

/* long tls_set(void *p): arch_prctl(ARCH_SET_FS, p) */
	.globl tls_set
	.type tls_set, @function
tls_set:
	mov %rdi, %rsi
	mov $0x1002, %edi
	mov $158, %eax
	syscall
	ret
	.size tls_set, . - tls_set

/* unsigned long tls_load0(void): the word at %fs:0 */
	.globl tls_load0
	.type tls_load0, @function
tls_load0:
	mov %fs:0, %rax
	ret
	.size tls_load0, . - tls_load0

	.globl arch_illegal_instruction
	.type arch_illegal_instruction, @function
arch_illegal_instruction:
	ud2
	ret
	.size arch_illegal_instruction, . - arch_illegal_instruction

/*
 * long thread_spawn(unsigned long flags, void *stack_top, void (*fn)(void *),
 *                   void *arg): clone(flags, stack_top) whose child calls
 * fn(arg) on the new stack and exits (exit, the thread alone) when fn
 * returns. The parent gets the child's tid or -errno. fn and arg ride in
 * r8 and r9, which clone leaves as they were in the child (r8 is clone's
 * tls argument: without CLONE_SETTLS it is not read).
 */
	.globl thread_spawn
	.type thread_spawn, @function
thread_spawn:
	mov %rdx, %r8
	mov %rcx, %r9
	xor %edx, %edx
	xor %r10d, %r10d
	mov $56, %eax
	syscall
	test %rax, %rax
	jnz 1f
	and $-16, %rsp
	mov %r9, %rdi
	call *%r8
	xor %edi, %edi
	mov $60, %eax
	syscall
	ud2
1:	ret
	.size thread_spawn, . - thread_spawn

	.section .note.GNU-stack, "", @progbits
