/*
 * What the services need to know about the x86-64 Linux ABI: the ELF
 * machine of its programs and its system call numbers
 * (arch/x86/entry/syscalls/syscall_64.tbl). The build selects this
 * directory for x86-64 targets (hosted and bare-metal x86_64).
 */
#ifndef SVC_ARCH_H
#define SVC_ARCH_H

#define SVC_ARCH_NAME "x86_64"
#define SVC_ELF_MACHINE 62 /* EM_X86_64 */

/*
 * The system calls Keel implements, as X(number, name): the generic table
 * (services/syscall/table.c) binds each number to sys_<name>().
 */
#define SVC_SYSCALLS(X)            \
	X(1, write)                \
	X(12, brk)                 \
	X(24, sched_yield)         \
	X(39, getpid)              \
	X(60, exit)                \
	X(158, arch_prctl)         \
	X(218, set_tid_address)    \
	X(231, exit_group)

#endif
