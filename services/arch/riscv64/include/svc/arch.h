/*
 * What the services need to know about the riscv64 Linux ABI: the ELF
 * machine of its programs and its system call numbers (the generic table,
 * include/uapi/asm-generic/unistd.h). The build selects this directory
 * for riscv64 targets.
 */
#ifndef SVC_ARCH_H
#define SVC_ARCH_H

#define SVC_ARCH_NAME "riscv64"
#define SVC_ELF_MACHINE 243 /* EM_RISCV */

/*
 * The system calls Keel implements, as X(number, name): the generic table
 * (services/syscall/table.c) binds each number to sys_<name>(). riscv64
 * has no arch_prctl: user code sets tp itself.
 */
#define SVC_SYSCALLS(X)            \
	X(64, write)               \
	X(93, exit)                \
	X(94, exit_group)          \
	X(96, set_tid_address)     \
	X(124, sched_yield)        \
	X(172, getpid)             \
	X(214, brk)

#endif
