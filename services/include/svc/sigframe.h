/*
 * The architecture's part of signal delivery (services/arch/<arch>/
 * sigframe.c): the rt_sigframe Linux puts on the user stack for a handler,
 * and rt_sigreturn taking it back. Used by services/signal/ only.
 */
#ifndef SVC_SIGFRAME_H
#define SVC_SIGFRAME_H

#include <keel/types.h>
#include <uapi/siginfo.h>
#include <uapi/signal.h>

struct proc;
struct user_ctx;

struct sigframe_args {
	int sig;
	const struct linux_siginfo *info;
	const struct linux_sigaction *act;
	linux_sigset_t saved_mask;   /* uc_sigmask: restored by sigreturn */
	struct linux_stack uc_stack; /* the alternate stack as it was */
	uintptr_t sp;                /* where the frame goes below */
	bool on_altstack;            /* sp is an alternate stack's top */
};

/*
 * Builds the frame for a->sig below a->sp (the red zone skipped when not
 * on an alternate stack) and points ctx at the handler with the
 * architecture's arguments (signal, &siginfo, &ucontext) and return
 * address (x86-64: sa_restorer, which must be given with SA_RESTORER;
 * riscv64: the process's sigreturn trampoline). Returns 0, or -EFAULT
 * when the frame cannot be written (ctx unchanged: the caller kills with
 * SIGSEGV).
 */
int sigframe_setup(struct proc *p, struct user_ctx *ctx,
		   const struct sigframe_args *a);

/*
 * rt_sigreturn: reads the frame the handler returned from (found from
 * ctx's stack pointer) and loads its registers and FPU state into ctx,
 * validated by uctx_set_regs and uctx_fpu_restore. Sets *mask and *stack
 * from the ucontext and *ret to the restored return register. Returns 0,
 * or -EFAULT / -EINVAL for a frame that is unreadable or could not be
 * saved by this machine (ctx unchanged: the caller kills with SIGSEGV).
 */
int sigframe_restore(struct proc *p, struct user_ctx *ctx,
		     linux_sigset_t *mask, struct linux_stack *stack,
		     uint64_t *ret);

#endif
