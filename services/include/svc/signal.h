/*
 * Signals (signal(7)): each process has its handlers (struct sighand,
 * shared by its threads and by CLONE_SIGHAND processes) and a set of
 * process-directed pending signals; each thread a blocked mask, its own
 * pending set (tkill, faults) and an alternate stack. The handlers are a
 * PROC_STATE part (services/signal/signal_state.c): a first process
 * starts with every action SIG_DFL; exec resets caught signals to
 * SIG_DFL and keeps the mask and ignored signals, as Linux.
 *
 * Signals are delivered by each thread's loop (services/proc/loop.c) on
 * every return to user mode: signal_deliver() takes the lowest pending
 * signal the thread does not block (its own before its process's) and
 * runs its action: a default action (terminate, core, ignore, stop), or
 * a handler frame built by services/arch/<arch>/sigframe.c. A sender
 * wakes the receiving thread with task_notify().
 */
#ifndef SVC_SIGNAL_H
#define SVC_SIGNAL_H

#include <keel/sync.h>
#include <keel/types.h>
#include <uapi/siginfo.h>
#include <uapi/signal.h>

struct proc;
struct thread;
struct user_ctx;

/* The signal bit of sig (1..UAPI_NSIG) in a linux_sigset_t. */
#define SIG_BIT(sig) ((linux_sigset_t)1 << ((sig) - 1))
/* What no mask can hold. */
#define SIG_UNBLOCKABLE (SIG_BIT(SIGKILL) | SIG_BIT(SIGSTOP))

/* A set of pending signals with one siginfo per signal. */
struct sigpending {
	linux_sigset_t set;
	struct linux_siginfo info[UAPI_NSIG]; /* of each pending signal */
};

/* A process's handlers (Linux's sighand_struct), shared by its threads
 * and by CLONE_SIGHAND processes. lock also guards every pending set and
 * blocked mask of the processes and threads that share it. */
struct sighand {
	struct spinlock lock;
	int refs; /* processes sharing it (proc_lock) */
	struct linux_sigaction action[UAPI_NSIG]; /* [sig - 1] */
};

/* A thread's own signal state (in struct thread, <svc/proc.h>). */
/*
 * restart_syscall(2)'s state (Linux's restart_block): a call that returns
 * -ERESTART_RESTARTBLOCK arms it first (fn and its data); when no handler
 * runs, the call is rewound as restart_syscall, which runs fn once (the
 * rest of a nanosleep, to the same deadline). With a handler, or when
 * nothing armed it, the call gives -EINTR; the block is disarmed
 * whenever a restart is settled.
 */
struct restart_block {
	long (*fn)(struct thread *t, struct restart_block *rb);
	uint64_t deadline_ns; /* the sleep's end (its clock's ns) */
	int clockid;
	uptr_t rem;           /* where the time left goes, or 0 */
};

struct thread_signals {
	linux_sigset_t blocked;
	struct restart_block restart;
	struct sigpending pending;   /* thread-directed (tkill, faults) */
	struct linux_stack altstack; /* ss_flags SS_DISABLE when none */
	bool sigreturned; /* this event was rt_sigreturn: RET is no result */
	/* rt_sigsuspend's (Linux's TIF_RESTORE_SIGMASK): blocked is the
	 * temporary mask; the next handler frame saves saved_mask instead,
	 * and without a handler signal_deliver puts it back. */
	bool restore_mask;
	linux_sigset_t saved_mask;
};

/*
 * Sets up the signal state of a new thread t: a copy of from's blocked
 * mask (from NULL: nothing blocked), nothing pending, no alternate stack
 * (Linux's clone keeps sigaltstack only for a fork, see keep_altstack).
 */
void signal_thread_init(struct thread *t, const struct thread *from,
			bool keep_altstack);

/*
 * Makes sig (1..UAPI_NSIG) pending for process p with info (si_signo set
 * here) and wakes a thread of p that does not block it. A signal that is
 * already pending is not queued twice (its first siginfo stays), as Linux
 * does for standard signals. An ignored signal is dropped unless it is
 * blocked. SIGKILL ends p at once; SIGCONT resumes a stopped p. Returns
 * 0, or -EINVAL for a bad sig.
 */
int signal_send(struct proc *p, int sig, const struct linux_siginfo *info);

/* The same for thread t alone (tkill, tgkill, faults). */
int signal_send_thread(struct thread *t, int sig,
		       const struct linux_siginfo *info);

/* SIGPIPE to the calling thread alone (a write to a broken pipe or
 * socket), SI_USER from its own pid and uid, as Linux's
 * send_sig(SIGPIPE, current, 0); nothing without a calling thread. */
void signal_send_sigpipe(void);

/* Both with proc_lock() held (<svc/proc.h>), for senders that looked the
 * target up under it. */
int signal_send_locked(struct proc *p, int sig,
		       const struct linux_siginfo *info);
int signal_send_thread_locked(struct thread *t, int sig,
			      const struct linux_siginfo *info);

/*
 * A POSIX timer's signal to p (info: si_code SI_TIMER, si_tid the timer,
 * si_overrun the periods it already missed): queued as signal_send does,
 * unless that timer's signal is still pending, whose si_overrun then
 * grows by 1 + info's (saturating at INT32_MAX, Linux's DELAYTIMER_MAX).
 * Any context. Returns 0 or -EINVAL.
 */
int signal_send_timer(struct proc *p, int sig,
		      const struct linux_siginfo *info);

/*
 * For a fault thread t itself caused (SIGSEGV, SIGBUS, SIGILL, SIGFPE,
 * SIGTRAP, with Linux's si_code and si_addr): queues sig when a handler
 * will run it and returns true; returns false when the fault must kill
 * (the signal is blocked, ignored or default), as Linux's
 * force_sig_fault, which the caller reports and does.
 */
bool signal_fault(struct thread *t, int sig, int code, uintptr_t addr);

/*
 * On the way back to user mode with ctx (after any event; syscall says it
 * was a system call whose result is in RET): settles an -ERESTART* result
 * and delivers the lowest deliverable pending signal of t (its own first,
 * then its process's), building its handler frame or running its default
 * action (which may end the process or stop it). A frame the thread
 * cannot take (bad stack) kills the process with SIGSEGV.
 */
void signal_deliver(struct thread *t, struct user_ctx *ctx, bool syscall);

/* True when t has a pending signal of set (its own or its process's),
 * blocked or not (signalfd's readiness). */
bool signal_pending_in(struct thread *t, linux_sigset_t set);

/* signalfd's hook (services/signal/signal_notify.c): every queued signal
 * bumps signal_queued_seq() and wakes signal_queued_waitq() with POLLIN;
 * signal_queued() is what the senders call. */
struct waitq *signal_queued_waitq(void);
unsigned signal_queued_seq(void);
void signal_queued(void);

/* True when t has a pending signal (its own or its process's) that it
 * does not block, or is ending (SIGKILL, exit_group). */
bool signal_deliverable(struct thread *t);

/*
 * Removes the lowest pending signal of set for t (its own before its
 * process's, blocked or not; synchronous faults first) and copies its
 * siginfo to *info; returns it, or 0 when none of set is pending.
 * sigtimedwait's dequeue, and signal_deliver's.
 */
int signal_dequeue(struct thread *t, linux_sigset_t set,
		   struct linux_siginfo *info);

/*
 * Sleeps interruptibly until t has a deliverable signal (rt_sigsuspend,
 * pause). Returns at once if one is there already.
 */
void signal_wait_deliverable(struct thread *t);

/* Ends t's process by sig as its default action does: the console line
 * names the signal and why ("why" completes "killed by SIG...: "). */
void signal_kill(struct proc *p, int sig, const char *why);

/* True when sig's default action dumps core (SIGQUIT, SIGSEGV...). */
bool signal_dumps_core(int sig);

/* Is sig ignored by p (SIG_IGN, or SIG_DFL whose default is to ignore)? */
bool signal_ignored(const struct proc *p, int sig);

/* The handler state of the SIGCHLD a child's exit sends to p, as Linux's
 * do_notify_parent: true when p ignores SIGCHLD explicitly (SIG_IGN) or
 * set SA_NOCLDWAIT, so that its children are reaped at once. */
bool signal_autoreaps(const struct proc *p);

/* Does p's SIGCHLD action have SA_NOCLDSTOP (no SIGCHLD for stops)? */
bool signal_nocldstop(const struct proc *p);

#endif
