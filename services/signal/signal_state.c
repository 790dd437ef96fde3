/*
 * The signal state of a process as registered per-process state
 * (<svc/proc_state.h>): made for a new process (every action SIG_DFL,
 * nothing blocked or pending, no alternate stack), reset by exec as
 * Linux's flush_signal_handlers (caught signals back to SIG_DFL, ignored
 * ones and the mask kept), freed at exit. Also the queueing of signals.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/signal.h>

/* A copy of the parent's handlers, mask and alternate stack (fork keeps
 * them; nothing pending is inherited), or the initial state. Returns 0 or
 * -ENOMEM; child is untouched on failure. */
static int signal_fork(struct proc *parent, struct proc *child)
{
	struct signal_state *s = kzalloc(sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->lock = (struct spinlock)SPINLOCK_INIT("signal");
	s->altstack.ss_flags = SS_DISABLE;
	if (parent && parent->sig) {
		memcpy(s->action, parent->sig->action, sizeof(s->action));
		s->blocked = parent->sig->blocked;
		s->altstack = parent->sig->altstack;
	}
	child->sig = s;
	return 0;
}

/* Caught signals go back to SIG_DFL; the new image has no alternate
 * stack and no trampoline yet. Cannot fail. */
static int signal_exec(struct proc *p)
{
	struct signal_state *s = p->sig;

	for (int i = 0; i < UAPI_NSIG; i++) {
		if (s->action[i].sa_handler != SIG_IGN)
			memset(&s->action[i], 0, sizeof(s->action[i]));
	}
	s->altstack = (struct linux_stack){ .ss_flags = SS_DISABLE };
	s->trampoline = 0;
	return 0;
}

static void signal_exit(struct proc *p)
{
	kfree(p->sig);
	p->sig = NULL;
}

PROC_STATE(signal, .fork = signal_fork, .exec = signal_exec,
	   .exit = signal_exit);

/* Is sig ignored by p: SIG_IGN, or SIG_DFL with an ignore default? */
static bool ignored(const struct signal_state *s, int sig)
{
	uint64_t handler = s->action[sig - 1].sa_handler;

	if (handler == SIG_IGN)
		return true;
	return handler == SIG_DFL &&
	       (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
		sig == SIGCONT);
}

int signal_send(struct proc *p, int sig, const struct linux_siginfo *info)
{
	struct signal_state *s = p->sig;
	bool wake = false;

	if (sig < 1 || sig > UAPI_NSIG)
		return -EINVAL;
	spin_lock(&s->lock);
	if (!(s->pending & SIG_BIT(sig)) &&
	    ((s->blocked & SIG_BIT(sig)) || !ignored(s, sig))) {
		s->info[sig - 1] = *info;
		s->info[sig - 1].si_signo = sig;
		s->pending |= SIG_BIT(sig);
		wake = !(s->blocked & SIG_BIT(sig));
	}
	spin_unlock(&s->lock);
	/* Brings the thread back from user mode or an interruptible sleep
	 * to deliver it (task_notify, as Linux's signal_wake_up). */
	if (wake && p->task)
		task_notify(p->task);
	return 0;
}

/* Adds n to an overrun count, saturating. */
static int32_t overrun_add(int32_t count, int64_t n)
{
	return count + n > INT32_MAX ? INT32_MAX : (int32_t)(count + n);
}

int signal_send_timer(struct proc *p, int sig,
		      const struct linux_siginfo *info)
{
	struct signal_state *s = p->sig;
	struct linux_siginfo *q;
	bool counted = false;

	if (sig < 1 || sig > UAPI_NSIG)
		return -EINVAL;
	spin_lock(&s->lock);
	q = &s->info[sig - 1];
	if ((s->pending & SIG_BIT(sig)) && q->si_code == SI_TIMER &&
	    q->fields.timer.si_tid == info->fields.timer.si_tid) {
		q->fields.timer.si_overrun =
			overrun_add(q->fields.timer.si_overrun,
				    1 + (int64_t)info->fields.timer.si_overrun);
		counted = true;
	}
	spin_unlock(&s->lock);
	return counted ? 0 : signal_send(p, sig, info);
}

bool signal_fault(struct proc *p, int sig, int code, uintptr_t addr)
{
	struct signal_state *s = p->sig;
	struct linux_siginfo info;
	uint64_t handler = s->action[sig - 1].sa_handler;

	if (handler == SIG_DFL || handler == SIG_IGN ||
	    (s->blocked & SIG_BIT(sig)))
		return false;
	memset(&info, 0, sizeof(info));
	info.si_code = code;
	info.fields.sigfault.si_addr = addr;
	/* A fault is synchronous: it goes before anything else pending, so a
	 * pending copy of the same signal is replaced. */
	spin_lock(&s->lock);
	s->pending &= ~SIG_BIT(sig);
	spin_unlock(&s->lock);
	signal_send(p, sig, &info);
	return true;
}

bool signal_deliverable(struct proc *p)
{
	struct signal_state *s = p->sig;
	bool any;

	spin_lock(&s->lock);
	any = (s->pending & ~s->blocked) != 0;
	spin_unlock(&s->lock);
	return any;
}
