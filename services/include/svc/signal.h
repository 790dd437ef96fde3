/*
 * Signals (signal(7)): each process has its handlers (Linux's sighand),
 * and its thread a blocked mask, a pending set with one siginfo per
 * signal, and an alternate stack. The state is a PROC_STATE part
 * (services/signal/signal_state.c): a first process starts with every
 * action SIG_DFL and nothing blocked; exec resets caught signals to
 * SIG_DFL and keeps the mask and ignored signals, as Linux.
 *
 * Signals are delivered by the process loop (services/proc/loop.c) on
 * every return to user mode: signal_deliver() takes the lowest pending
 * signal that is not blocked and runs its action (a default action, or a
 * handler frame built by services/arch/<arch>/sigframe.c). Only a
 * process itself sends signals for now (kill/tkill/tgkill to its own pid,
 * faults): a sender of another process's signal will wake it with
 * task_notify() once processes can find each other.
 */
#ifndef SVC_SIGNAL_H
#define SVC_SIGNAL_H

#include <keel/sync.h>
#include <keel/types.h>
#include <uapi/siginfo.h>
#include <uapi/signal.h>

struct proc;
struct user_ctx;

/* The signal bit of sig (1..UAPI_NSIG) in a linux_sigset_t. */
#define SIG_BIT(sig) ((linux_sigset_t)1 << ((sig) - 1))
/* What no mask can hold. */
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

struct signal_state {
	struct spinlock lock; /* pending and info: senders may be others */
	struct linux_sigaction action[UAPI_NSIG]; /* [sig - 1] */
	linux_sigset_t blocked;
	linux_sigset_t pending;
	struct linux_siginfo info[UAPI_NSIG]; /* of each pending signal */
	struct linux_stack altstack; /* ss_flags SS_DISABLE when none */
	uintptr_t trampoline; /* riscv64: the sigreturn page, 0 until mapped */
	bool sigreturned; /* this event was rt_sigreturn: RET is no result */
	/* rt_sigsuspend's (Linux's TIF_RESTORE_SIGMASK): blocked is the
	 * temporary mask; the next handler frame saves saved_mask instead,
	 * and without a handler signal_deliver puts it back. */
	bool restore_mask;
	linux_sigset_t saved_mask;
};

/*
 * Makes sig (1..UAPI_NSIG) pending for p with info (si_signo set here).
 * A signal that is already pending is not queued twice (its first
 * siginfo stays), as Linux does for standard signals. An ignored signal
 * is dropped unless it is blocked. Returns 0, or -EINVAL for a bad sig.
 */
int signal_send(struct proc *p, int sig, const struct linux_siginfo *info);

/*
 * A POSIX timer's signal (info: si_code SI_TIMER, si_tid the timer,
 * si_overrun the periods it already missed): queued as signal_send does,
 * unless that timer's signal is still pending, whose si_overrun then
 * grows by 1 + info's (saturating at INT32_MAX, Linux's DELAYTIMER_MAX).
 * Any context. Returns 0 or -EINVAL.
 */
int signal_send_timer(struct proc *p, int sig,
		      const struct linux_siginfo *info);

/*
 * For a fault the process itself caused (SIGSEGV, SIGBUS, SIGILL,
 * SIGFPE, SIGTRAP, with Linux's si_code and si_addr): queues sig when a
 * handler will run it and returns true; returns false when the fault
 * must kill (the signal is blocked, ignored or default), as Linux's
 * force_sig_fault, which the caller reports and does.
 */
bool signal_fault(struct proc *p, int sig, int code, uintptr_t addr);

/*
 * On the way back to user mode with ctx (after any event; syscall says it
 * was a system call whose result is in RET): settles an -ERESTART* result
 * and delivers the lowest deliverable pending signal, building its
 * handler frame or running its default action (which may end p). A frame
 * the process cannot take (bad stack) kills it with SIGSEGV.
 */
void signal_deliver(struct proc *p, struct user_ctx *ctx, bool syscall);

/* True when p has a pending signal that is not blocked. */
bool signal_deliverable(struct proc *p);

/*
 * Removes the lowest pending signal of set (blocked or not; synchronous
 * faults first) and copies its siginfo to *info; returns it, or 0 when
 * none of set is pending. sigtimedwait's dequeue, and signal_deliver's.
 */
int signal_dequeue(struct proc *p, linux_sigset_t set,
		   struct linux_siginfo *info);

/*
 * Sleeps interruptibly until p has a deliverable signal (rt_sigsuspend,
 * pause). Returns at once if one is there already.
 */
void signal_wait_deliverable(struct proc *p);

/* Ends p by sig as its default action does: the console line names the
 * signal and why ("why" completes "killed by SIG...: "), core is the
 * core-dump bit of the wait status. */
void signal_kill(struct proc *p, int sig, const char *why);

/* True when sig's default action dumps core (SIGQUIT, SIGSEGV...). */
bool signal_dumps_core(int sig);

#endif
