/*
 * The system call handlers, shared by the table and the files that
 * implement them. Each gets the calling process, its saved user registers
 * (for the calls that change them, such as the TLS base) and the six raw
 * argument registers, read before the call, and returns the value for the
 * return register: a result or a negative errno, as Linux's man page for
 * the call has them. Handlers only touch user memory through uaccess, and
 * never trust an argument: any value user code can pass gets an answer.
 */
#ifndef SERVICES_SYSCALL_SYS_H
#define SERVICES_SYSCALL_SYS_H

#include <keel/types.h>

struct proc;
struct user_ctx;

#define SYSCALL_ARGS 6

typedef long (*syscall_fn)(struct proc *p, struct user_ctx *ctx,
			   const uint64_t *args);

long sys_write(struct proc *p, struct user_ctx *ctx, const uint64_t *args);
long sys_exit(struct proc *p, struct user_ctx *ctx, const uint64_t *args);
long sys_exit_group(struct proc *p, struct user_ctx *ctx,
		    const uint64_t *args);
long sys_getpid(struct proc *p, struct user_ctx *ctx, const uint64_t *args);
long sys_set_tid_address(struct proc *p, struct user_ctx *ctx,
			 const uint64_t *args);
long sys_sched_yield(struct proc *p, struct user_ctx *ctx,
		     const uint64_t *args);
long sys_brk(struct proc *p, struct user_ctx *ctx, const uint64_t *args);
long sys_arch_prctl(struct proc *p, struct user_ctx *ctx,
		    const uint64_t *args);

#endif
