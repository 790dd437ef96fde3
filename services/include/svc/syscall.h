/*
 * The system call table: numbers are the architecture's Linux numbers
 * (SVC_SYSCALLS in <svc/arch.h>), handlers are generic.
 */
#ifndef SVC_SYSCALL_H
#define SVC_SYSCALL_H

struct proc;
struct user_ctx;

/*
 * Handles the system call saved in ctx for process p: reads the number and
 * all arguments first (on riscv ARG0 and RET share a0), runs the handler
 * and stores its result (or -ENOSYS for an unknown number) in RET, unless
 * the call made the process exit.
 */
void syscall_dispatch(struct proc *p, struct user_ctx *ctx);

#endif
