/*
 * The system call handlers, shared by the table and the files that
 * implement them. Each gets the calling process and the six raw argument
 * registers and returns the value for the return register: a result or a
 * negative errno. Handlers only touch user memory through uaccess.
 */
#ifndef SERVICES_SYSCALL_SYS_H
#define SERVICES_SYSCALL_SYS_H

#include <keel/types.h>

struct proc;

#define SYSCALL_ARGS 6

typedef long (*syscall_fn)(struct proc *p, const uint64_t *args);

long sys_write(struct proc *p, const uint64_t *args);
long sys_exit(struct proc *p, const uint64_t *args);
long sys_exit_group(struct proc *p, const uint64_t *args);
long sys_getpid(struct proc *p, const uint64_t *args);
long sys_set_tid_address(struct proc *p, const uint64_t *args);
long sys_sched_yield(struct proc *p, const uint64_t *args);
long sys_brk(struct proc *p, const uint64_t *args);
long sys_arch_prctl(struct proc *p, const uint64_t *args);

#endif
