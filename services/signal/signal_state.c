/*
 * The signal state of processes and threads: a process's handlers
 * (struct sighand) as registered per-process state (<svc/proc_state.h>):
 * made for a first process (every action SIG_DFL), copied at fork or
 * shared with CLONE_SIGHAND, reset by exec as Linux's
 * flush_signal_handlers (caught signals back to SIG_DFL, ignored ones
 * kept), dropped at exit; a new thread's blocked mask and alternate
 * stack; and the queueing of signals to a process or a thread, with the
 * wake-up of the thread that will take it.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/signal.h>
#include <uapi/sched.h>

static struct sighand *sighand_alloc(const struct sighand *from)
{
	struct sighand *h = kzalloc(sizeof(*h));

	if (!h)
		return NULL;
	h->lock = (struct spinlock)SPINLOCK_INIT("signal");
	h->refs = 1;
	if (from)
		memcpy(h->action, from->action, sizeof(h->action));
	return h;
}

/* CLONE_SIGHAND shares the parent's handlers, anything else copies them
 * (a first process: all SIG_DFL). Nothing pending is inherited. Returns
 * 0 or -ENOMEM; child is untouched on failure. */
static int signal_fork(struct proc *parent, struct proc *child,
		       unsigned long flags)
{
	struct sighand *h;

	if (parent && (flags & CLONE_SIGHAND)) {
		proc_lock();
		parent->sighand->refs++;
		proc_unlock();
		child->sighand = parent->sighand;
	} else {
		h = sighand_alloc(parent ? parent->sighand : NULL);
		if (!h)
			return -ENOMEM;
		child->sighand = h;
	}
	memset(&child->shared_pending, 0, sizeof(child->shared_pending));
	/* The child's memory is a copy of the parent's (or the same): the
	 * parent's trampoline page is there, and mapping another at its
	 * address would fail (riscv64 killed the child at its first
	 * signal handler). */
	child->sig_trampoline = parent ? parent->sig_trampoline : 0;
	return 0;
}

/* Caught signals go back to SIG_DFL (handlers shared with another
 * process are unshared first, as Linux's unshare_sighand); the new image
 * has no trampoline yet. -ENOMEM when the copy cannot be had. */
static int signal_exec(struct proc *p)
{
	struct sighand *h = p->sighand, *own = NULL;
	bool shared;

	proc_lock();
	shared = h->refs > 1;
	proc_unlock();
	if (shared) {
		own = sighand_alloc(h);
		if (!own)
			return -ENOMEM;
		proc_lock();
		h->refs--;
		proc_unlock();
		p->sighand = h = own;
	}
	spin_lock(&h->lock);
	for (int i = 0; i < UAPI_NSIG; i++) {
		if (h->action[i].sa_handler != SIG_IGN)
			memset(&h->action[i], 0, sizeof(h->action[i]));
	}
	spin_unlock(&h->lock);
	p->sig_trampoline = 0;
	return 0;
}

static void signal_exit(struct proc *p)
{
	struct sighand *h = p->sighand;
	bool last;

	if (!h)
		return;
	proc_lock();
	last = --h->refs == 0;
	proc_unlock();
	if (last)
		kfree(h);
	p->sighand = NULL;
}

PROC_STATE(signal, .fork = signal_fork, .exec = signal_exec,
	   .exit = signal_exit);

void signal_thread_init(struct thread *t, const struct thread *from,
			bool keep_altstack)
{
	memset(&t->sig, 0, sizeof(t->sig));
	t->sig.altstack.ss_flags = SS_DISABLE;
	if (from) {
		t->sig.blocked = from->sig.blocked;
		if (keep_altstack)
			t->sig.altstack = from->sig.altstack;
	}
}

/* Whose default action is to do nothing. */
static bool default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH ||
	       sig == SIGCONT;
}

bool signal_ignored(const struct proc *p, int sig)
{
	uint64_t handler = p->sighand->action[sig - 1].sa_handler;

	if (handler == SIG_IGN)
		return true;
	return handler == SIG_DFL && default_ignores(sig);
}

bool signal_autoreaps(const struct proc *p)
{
	const struct linux_sigaction *a = &p->sighand->action[SIGCHLD - 1];

	return a->sa_handler == SIG_IGN || (a->sa_flags & SA_NOCLDWAIT);
}

bool signal_nocldstop(const struct proc *p)
{
	return p->sighand->action[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP;
}

/* Queues sig with info on q unless it is pending there already or
 * ignored while not blocked by `blocked`; sighand lock held. Returns
 * whether it was queued. */
static bool enqueue(struct proc *p, struct sigpending *q,
		    linux_sigset_t blocked, int sig,
		    const struct linux_siginfo *info)
{
	if (q->set & SIG_BIT(sig))
		return false;
	if (!(blocked & SIG_BIT(sig)) && signal_ignored(p, sig))
		return false;
	q->info[sig - 1] = *info;
	q->info[sig - 1].si_signo = sig;
	q->set |= SIG_BIT(sig);
	return true;
}

#define SIG_STOPS                                                         \
	(SIG_BIT(SIGSTOP) | SIG_BIT(SIGTSTP) | SIG_BIT(SIGTTIN) |          \
	 SIG_BIT(SIGTTOU))

/* Takes sigs out of p's and its threads' pending sets; proc_lock held. */
static void flush_locked(struct proc *p, linux_sigset_t sigs)
{
	struct sighand *h = p->sighand;
	struct list_head *pos;

	spin_lock(&h->lock);
	p->shared_pending.set &= ~sigs;
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		t->sig.pending.set &= ~sigs;
	}
	spin_unlock(&h->lock);
}

/* A stop signal or SIGCONT cancels the pending other kind, as Linux's
 * prepare_signal. Returns true for SIGKILL, which ends p at once and
 * queues nothing. proc_lock held. */
static bool prepare(struct proc *p, int sig)
{
	if (sig == SIGKILL) {
		proc_kill_group_locked(p, SIGKILL, false);
		return true;
	}
	if (sig == SIGCONT)
		flush_locked(p, SIG_STOPS);
	else if (SIG_BIT(sig) & SIG_STOPS)
		flush_locked(p, SIG_BIT(SIGCONT));
	return false;
}

int signal_send_thread_locked(struct thread *t, int sig,
			      const struct linux_siginfo *info)
{
	struct proc *p = t->proc;
	struct sighand *h = p->sighand;
	bool queued, wake;

	if (sig < 1 || sig > UAPI_NSIG)
		return -EINVAL;
	if (!p->nr_threads || t->exiting)
		return 0; /* exiting: nothing will take it */
	if (prepare(p, sig))
		return 0;
	spin_lock(&h->lock);
	queued = enqueue(p, &t->sig.pending, t->sig.blocked, sig, info);
	wake = queued && !(t->sig.blocked & SIG_BIT(sig));
	spin_unlock(&h->lock);
	if (queued)
		signal_queued();
	/* Brings the thread back from user mode or an interruptible sleep
	 * to deliver it (task_notify, as Linux's signal_wake_up). */
	if (wake && t->task)
		task_notify(t->task);
	if (sig == SIGCONT)
		proc_continue_locked(p);
	return 0;
}

int signal_send_locked(struct proc *p, int sig,
		       const struct linux_siginfo *info)
{
	struct sighand *h = p->sighand;
	struct thread *t;
	bool queued;

	if (sig < 1 || sig > UAPI_NSIG)
		return -EINVAL;
	if (!p->nr_threads)
		return 0; /* a zombie, or on its way: nothing will take it */
	if (prepare(p, sig))
		return 0;
	t = proc_signal_target(p, sig);
	spin_lock(&h->lock);
	queued = enqueue(p, &p->shared_pending, t ? t->sig.blocked : 0, sig,
			 info);
	spin_unlock(&h->lock);
	if (queued)
		signal_queued();
	if (queued && t && t->task && !(t->sig.blocked & SIG_BIT(sig)))
		task_notify(t->task);
	if (sig == SIGCONT)
		proc_continue_locked(p);
	return 0;
}

void signal_send_sigpipe(void)
{
	struct thread *self = thread_current();
	struct linux_siginfo info;

	if (!self)
		return;
	memset(&info, 0, sizeof(info));
	info.si_code = SI_USER;
	info.fields.kill.si_pid = self->proc->pid;
	info.fields.kill.si_uid = cred_of(self->proc).uid.real;
	signal_send_thread(self, SIGPIPE, &info);
}

int signal_send_thread(struct thread *t, int sig,
		       const struct linux_siginfo *info)
{
	int err;

	proc_lock();
	err = signal_send_thread_locked(t, sig, info);
	proc_unlock();
	return err;
}

int signal_send(struct proc *p, int sig, const struct linux_siginfo *info)
{
	int err;

	proc_lock();
	err = signal_send_locked(p, sig, info);
	proc_unlock();
	return err;
}

/* Adds n to an overrun count, saturating. */
static int32_t overrun_add(int32_t count, int64_t n)
{
	return count + n > INT32_MAX ? INT32_MAX : (int32_t)(count + n);
}

/* The pending copy of sig from the same timer as info in q, if any. */
static struct linux_siginfo *pending_timer(struct sigpending *q, int sig,
					   const struct linux_siginfo *info)
{
	struct linux_siginfo *i = &q->info[sig - 1];

	if ((q->set & SIG_BIT(sig)) && i->si_code == SI_TIMER &&
	    i->fields.timer.si_tid == info->fields.timer.si_tid)
		return i;
	return NULL;
}

int signal_send_timer(struct proc *p, int sig,
		      const struct linux_siginfo *info)
{
	struct linux_siginfo *q = NULL;

	if (sig < 1 || sig > UAPI_NSIG)
		return -EINVAL;
	proc_lock();
	if (p->nr_threads) {
		spin_lock(&p->sighand->lock);
		q = pending_timer(&p->shared_pending, sig, info);
		if (q)
			q->fields.timer.si_overrun = overrun_add(
				q->fields.timer.si_overrun,
				1 + (int64_t)info->fields.timer.si_overrun);
		spin_unlock(&p->sighand->lock);
	}
	if (!q)
		signal_send_locked(p, sig, info);
	proc_unlock();
	return 0;
}

bool signal_fault(struct thread *t, int sig, int code, uintptr_t addr)
{
	struct sighand *h = t->proc->sighand;
	struct linux_siginfo info;
	uint64_t handler = h->action[sig - 1].sa_handler;

	if (handler == SIG_DFL || handler == SIG_IGN ||
	    (t->sig.blocked & SIG_BIT(sig)))
		return false;
	memset(&info, 0, sizeof(info));
	info.si_code = code;
	info.fields.sigfault.si_addr = addr;
	/* A fault is synchronous: it goes before anything else pending, so a
	 * pending copy of the same signal is replaced. */
	spin_lock(&h->lock);
	t->sig.pending.set &= ~SIG_BIT(sig);
	spin_unlock(&h->lock);
	signal_send_thread(t, sig, &info);
	return true;
}

bool signal_deliverable(struct thread *t)
{
	struct sighand *h = t->proc->sighand;
	bool any;

	/* A SIGKILL (or exit_group) is never queued: it sets exiting. A
	 * sleeper that cleared its notification after that must still see
	 * it, as Linux's fatal_signal_pending. */
	if (t->exiting || __atomic_load_n(&t->proc->exiting, __ATOMIC_ACQUIRE))
		return true;
	spin_lock(&h->lock);
	any = ((t->sig.pending.set | t->proc->shared_pending.set) &
	       ~t->sig.blocked) != 0;
	spin_unlock(&h->lock);
	return any;
}
