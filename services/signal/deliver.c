/*
 * Signal delivery on the way back to user mode (signal(7)): settles the
 * -ERESTART* result of an interrupted system call, then takes pending
 * signals that are not blocked, synchronous faults first and then the
 * lowest number, the thread's own before its process's, and runs their
 * action: a default action (terminate, terminate with a core dump,
 * ignore, stop: services/proc/jobctl.c), or a handler frame on the
 * current or alternate stack with the handler's mask applied.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/sigframe.h>
#include <svc/signal.h>
#include <svc/syscall.h>
#include <svc/timer.h>

/* Delivered before any other pending signal (Linux's SYNCHRONOUS_MASK):
 * the faults the current instruction raised. */
#define SIG_SYNCHRONOUS                                                   \
	(SIG_BIT(SIGSEGV) | SIG_BIT(SIGBUS) | SIG_BIT(SIGILL) |           \
	 SIG_BIT(SIGTRAP) | SIG_BIT(SIGFPE) | SIG_BIT(SIGSYS))

/* Stopped more signals than this in one return: the rest wait for the
 * next event (each handler frame nests on the previous one). */
#define MAX_FRAMES_PER_RETURN 8

bool signal_dumps_core(int sig)
{
	switch (sig) {
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return true;
	default:
		return false;
	}
}

/* Whose default action is to do nothing. */
static bool default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGCONT;
}

/* Whose default action stops the process. */
static bool default_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

/*
 * The console line of a death by signal: always for a core-dumping one (a
 * crash to see, as Linux's unhandled-signal report), at the info level
 * for the others (^C, kill, SIGPIPE: ordinary in a shell session, and
 * `keel run`'s quiet log, loglevel=1, leaves them out).
 */
void signal_kill(struct proc *p, int sig, const char *why)
{
	bool core = signal_dumps_core(sig);

	if (core)
		kprintf("keel: pid %d (%s) killed by %s (core dumped): %s\n",
			p->pid, p->name, proc_signal_name(sig), why);
	else
		pr_info("keel: pid %d (%s) killed by %s: %s\n", p->pid,
			p->name, proc_signal_name(sig), why);
	proc_kill_group(p, sig, core);
}

/* Takes the next signal of q that blocked lets through (synchronous
 * ones first, then the lowest) into *info; returns it, or 0. */
static int take(struct sigpending *q, linux_sigset_t blocked,
		struct linux_siginfo *info)
{
	linux_sigset_t ready = q->set & ~blocked;
	int sig;

	if (!ready)
		return 0;
	if (ready & SIG_SYNCHRONOUS)
		ready &= SIG_SYNCHRONOUS;
	/* The lowest set bit (no libgcc ctz on every target). */
	for (sig = 1; !(ready & SIG_BIT(sig)); sig++)
		;
	q->set &= ~SIG_BIT(sig);
	*info = q->info[sig - 1];
	return sig;
}

int signal_dequeue(struct thread *t, linux_sigset_t set,
		   struct linux_siginfo *info)
{
	struct sighand *h = t->proc->sighand;
	int sig;

	spin_lock(&h->lock);
	sig = take(&t->sig.pending, ~set, info);
	if (!sig)
		sig = take(&t->proc->shared_pending, ~set, info);
	spin_unlock(&h->lock);
	if (sig && info->si_code == SI_TIMER)
		posix_timer_dequeued(t->proc, info);
	return sig;
}

/* Removes the next signal to deliver to t (pending and not blocked), its
 * own before its process's, as Linux's dequeue_signal. */
static int dequeue(struct thread *t, struct linux_siginfo *info)
{
	return signal_dequeue(t, ~t->sig.blocked, info);
}

/* Where the frame for act goes: the top of the alternate stack for an
 * SA_ONSTACK handler when one is set up and not already in use, else
 * below the current stack pointer. *uc_stack is what the ucontext
 * records. */
static uintptr_t frame_stack(struct thread_signals *s,
			     const struct linux_sigaction *act, uintptr_t sp,
			     bool *on_alt, struct linux_stack *uc_stack)
{
	const struct linux_stack *alt = &s->altstack;
	bool in_use = !(alt->ss_flags & SS_DISABLE) && sp > alt->ss_sp &&
		      sp - alt->ss_sp <= alt->ss_size;

	*uc_stack = *alt;
	if (!(alt->ss_flags & SS_DISABLE))
		uc_stack->ss_flags = in_use ? SS_ONSTACK : 0;
	*on_alt = (act->sa_flags & SA_ONSTACK) &&
		  !(alt->ss_flags & SS_DISABLE) && !in_use;
	return *on_alt ? alt->ss_sp + alt->ss_size : sp;
}

/* Runs sig's handler: builds its frame, applies its mask, and resets it
 * for SA_RESETHAND. A frame that cannot be written kills with SIGSEGV. */
static void run_handler(struct thread *t, struct user_ctx *ctx, int sig,
			const struct linux_siginfo *info)
{
	struct proc *p = t->proc;
	struct sighand *h = p->sighand;
	struct thread_signals *s = &t->sig;
	struct linux_sigaction act = h->action[sig - 1];
	struct sigframe_args a = {
		.sig = sig,
		.info = info,
		.act = &act,
		/* After rt_sigsuspend the frame restores the mask it
		 * replaced, not its temporary one. */
		.saved_mask = s->restore_mask ? s->saved_mask : s->blocked,
	};
	char why[96];

	a.sp = frame_stack(s, &act, uctx_get(ctx, UREG_SP), &a.on_altstack,
			   &a.uc_stack);
	if (sigframe_setup(p, ctx, &a)) {
		ksnprintf(why, sizeof(why),
			  "cannot write the frame of %s at 0x%lx",
			  proc_signal_name(sig), (unsigned long)a.sp);
		signal_kill(p, SIGSEGV, why);
		return;
	}
	s->restore_mask = false;
	spin_lock(&h->lock);
	s->blocked |= act.sa_mask;
	if (!(act.sa_flags & SA_NODEFER))
		s->blocked |= SIG_BIT(sig);
	s->blocked &= ~SIG_UNBLOCKABLE;
	if (act.sa_flags & SA_RESETHAND)
		memset(&h->action[sig - 1], 0, sizeof(act));
	spin_unlock(&h->lock);
	if (a.on_altstack && (s->altstack.ss_flags & SS_AUTODISARM))
		s->altstack = (struct linux_stack){ .ss_flags = SS_DISABLE };
}

/*
 * The result of an interrupted system call, before the handler of sig
 * (0: no handler runs) sees it, as Linux's handle_signal and
 * arch_do_signal_or_restart: the call runs again, or fails with -EINTR.
 * ERESTART_RESTARTBLOCK without a handler becomes restart_syscall when
 * the call armed its restart block (t->sig.restart), else -EINTR.
 */
static void settle_restart(struct thread *t, struct user_ctx *ctx, int sig)
{
	struct sighand *s = t->proc->sighand;
	struct restart_block *rb = &t->sig.restart;
	long ret = (long)uctx_get(ctx, UREG_RET);
	bool restart;

	switch (ret) {
	case -ERESTARTNOINTR:
		restart = true;
		break;
	case -ERESTARTSYS:
		restart = !sig ||
			  (s->action[sig - 1].sa_flags & SA_RESTART);
		break;
	case -ERESTARTNOHAND:
		restart = !sig;
		break;
	case -ERESTART_RESTARTBLOCK:
		restart = !sig && rb->fn;
		if (restart && !uctx_syscall_restart(ctx)) {
			uctx_set(ctx, UREG_SYSNR, SYSNR_restart_syscall);
			return; /* restart_syscall runs rb->fn */
		}
		rb->fn = NULL;
		uctx_set(ctx, UREG_RET, (uint64_t)-EINTR);
		return;
	default:
		return;
	}
	if (!restart || uctx_syscall_restart(ctx))
		uctx_set(ctx, UREG_RET, (uint64_t)-EINTR);
}

/* Runs the restart block once (Linux: -EINTR when nothing armed it). */
static long no_restart(struct thread *t, struct restart_block *rb)
{
	(void)t;
	(void)rb;
	return -EINTR;
}

SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *rb = &thread->sig.restart;
	long (*fn)(struct thread *, struct restart_block *) = rb->fn;

	rb->fn = NULL;
	return (fn ? fn : no_restart)(thread, rb);
}

static bool thread_ends(const struct thread *t)
{
	return t->exiting || t->proc->exiting;
}

/* The next signal that needs action, having dropped the ignored ones and
 * run the default actions that end or stop the process (0 when there is
 * none, or the thread ends). */
static int next_caught(struct thread *t, struct linux_siginfo *info)
{
	struct proc *p = t->proc;
	char why[64];
	int sig;

	while (!thread_ends(t) && (sig = dequeue(t, info))) {
		uint64_t handler = p->sighand->action[sig - 1].sa_handler;

		if (sig != SIGKILL && handler == SIG_IGN)
			continue;
		if (sig == SIGSTOP || (handler == SIG_DFL && default_stops(sig))) {
			proc_stop(p, sig);
			continue;
		}
		if (sig == SIGKILL ||
		    (handler == SIG_DFL && !default_ignores(sig))) {
			ksnprintf(why, sizeof(why), "signal sent by pid %d",
				  info->fields.kill.si_pid);
			signal_kill(p, sig, why);
			return 0;
		}
		if (handler == SIG_DFL)
			continue;
		return sig;
	}
	return 0;
}

void signal_deliver(struct thread *t, struct user_ctx *ctx, bool syscall)
{
	struct sighand *h = t->proc->sighand;
	struct linux_siginfo info;

	if (t->sig.sigreturned)
		syscall = false; /* RET is the interrupted code's register */
	t->sig.sigreturned = false;
	for (int i = 0; i < MAX_FRAMES_PER_RETURN && !thread_ends(t); i++) {
		int sig = next_caught(t, &info);

		if (syscall)
			settle_restart(t, ctx, sig);
		syscall = false;
		if (!sig)
			break;
		run_handler(t, ctx, sig, &info);
	}
	if (t->sig.restore_mask) { /* no handler ran after rt_sigsuspend */
		spin_lock(&h->lock);
		t->sig.blocked = t->sig.saved_mask;
		spin_unlock(&h->lock);
		t->sig.restore_mask = false;
	}
}
