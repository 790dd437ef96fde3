/*
 * Signal delivery on the way back to user mode (signal(7)): settles the
 * -ERESTART* result of an interrupted system call, then takes pending
 * signals that are not blocked, synchronous faults first and then the
 * lowest number, and runs their action: a default action (terminate,
 * terminate with a core dump, ignore; stop and continue are ignored until
 * there is job control), or a handler frame on the current or alternate
 * stack with the handler's mask applied.
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

/* Whose default action is to do nothing (no job control yet: the stop
 * signals and SIGCONT are among them). */
static bool default_ignores(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
	case SIGCONT:
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return true;
	default:
		return false;
	}
}

void signal_kill(struct proc *p, int sig, const char *why)
{
	bool core = signal_dumps_core(sig);

	kprintf("keel: pid %d (%s) killed by %s%s: %s\n", p->pid, p->name,
		proc_signal_name(sig), core ? " (core dumped)" : "", why);
	p->term_signal = sig;
	p->core_dumped = core;
	p->exiting = true;
}

int signal_dequeue(struct proc *p, linux_sigset_t set,
		   struct linux_siginfo *info)
{
	struct signal_state *s = p->sig;
	linux_sigset_t ready;
	int sig = 0;

	spin_lock(&s->lock);
	ready = s->pending & set;
	if (ready & SIG_SYNCHRONOUS)
		ready &= SIG_SYNCHRONOUS;
	if (ready) {
		/* The lowest set bit (no libgcc ctz on every target). */
		for (sig = 1; !(ready & SIG_BIT(sig)); sig++)
			;
		s->pending &= ~SIG_BIT(sig);
		*info = s->info[sig - 1];
	}
	spin_unlock(&s->lock);
	if (sig && info->si_code == SI_TIMER)
		posix_timer_dequeued(p, info);
	return sig;
}

/* Removes the next signal to deliver (pending and not blocked). */
static int dequeue(struct proc *p, struct linux_siginfo *info)
{
	return signal_dequeue(p, ~p->sig->blocked, info);
}

/* Where the frame for act goes: the top of the alternate stack for an
 * SA_ONSTACK handler when one is set up and not already in use, else
 * below the current stack pointer. *uc_stack is what the ucontext
 * records. */
static uintptr_t frame_stack(struct signal_state *s,
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
static void run_handler(struct proc *p, struct user_ctx *ctx, int sig,
			const struct linux_siginfo *info)
{
	struct signal_state *s = p->sig;
	struct linux_sigaction act = s->action[sig - 1];
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
	spin_lock(&s->lock);
	s->blocked |= act.sa_mask;
	if (!(act.sa_flags & SA_NODEFER))
		s->blocked |= SIG_BIT(sig);
	s->blocked &= ~SIG_UNBLOCKABLE;
	spin_unlock(&s->lock);
	if (a.on_altstack && (s->altstack.ss_flags & SS_AUTODISARM))
		s->altstack = (struct linux_stack){ .ss_flags = SS_DISABLE };
	if (act.sa_flags & SA_RESETHAND)
		memset(&s->action[sig - 1], 0, sizeof(act));
}

/*
 * The result of an interrupted system call, before the handler of sig
 * (0: no handler runs) sees it, as Linux's handle_signal and
 * arch_do_signal_or_restart: the call runs again, or fails with -EINTR.
 * ERESTART_RESTARTBLOCK gives -EINTR even without a handler, since there
 * is no restart_syscall yet.
 */
static void settle_restart(struct signal_state *s, struct user_ctx *ctx,
			   int sig)
{
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
		restart = false;
		break;
	default:
		return;
	}
	if (!restart || uctx_syscall_restart(ctx))
		uctx_set(ctx, UREG_RET, (uint64_t)-EINTR);
}

/* The next signal that needs action, having dropped the ignored ones and
 * run the default actions that end p (0 when there is none, or p ends). */
static int next_caught(struct proc *p, struct linux_siginfo *info)
{
	struct signal_state *s = p->sig;
	char why[64];
	int sig;

	while (!p->exiting && (sig = dequeue(p, info))) {
		uint64_t handler = s->action[sig - 1].sa_handler;

		if (sig == SIGKILL ||
		    (handler == SIG_DFL && !default_ignores(sig))) {
			ksnprintf(why, sizeof(why), "signal sent by pid %d",
				  info->fields.kill.si_pid);
			signal_kill(p, sig, why);
			return 0;
		}
		if (handler == SIG_IGN || handler == SIG_DFL)
			continue;
		return sig;
	}
	return 0;
}

void signal_deliver(struct proc *p, struct user_ctx *ctx, bool syscall)
{
	struct signal_state *s = p->sig;
	struct linux_siginfo info;

	if (s->sigreturned)
		syscall = false; /* RET is the interrupted code's register */
	s->sigreturned = false;
	for (int i = 0; i < MAX_FRAMES_PER_RETURN && !p->exiting; i++) {
		int sig = next_caught(p, &info);

		if (syscall)
			settle_restart(s, ctx, sig);
		syscall = false;
		if (!sig)
			break;
		run_handler(p, ctx, sig, &info);
	}
	if (s->restore_mask) { /* no handler ran after rt_sigsuspend */
		spin_lock(&s->lock);
		s->blocked = s->saved_mask;
		spin_unlock(&s->lock);
		s->restore_mask = false;
	}
}
