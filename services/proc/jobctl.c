/*
 * Job control: a stop signal's default action stops the whole process
 * (every thread sleeps in its loop, proc_stop_wait) and its parent hears
 * of it (SIGCHLD with CLD_STOPPED unless SA_NOCLDSTOP, and wait's
 * WUNTRACED); SIGCONT resumes it (CLD_CONTINUED, WCONTINUED). SIGKILL
 * ends a stopped process too: it notifies every thread and wakes them.
 */
#include <keel/task.h>
#include <svc/proc.h>
#include <uapi/siginfo.h>

#include "proc_internal.h"

void proc_stop(struct proc *p, int sig)
{
	struct list_head *pos;

	proc_lock();
	if (!p->stopped && !p->exiting) {
		p->stopped = true;
		p->stop_signal = sig;
		p->jobctl = PROC_JOB_STOPPED;
		list_for_each(pos, &p->threads) {
			struct thread *t =
				list_entry(pos, struct thread, link);

			if (t->task && t != thread_current())
				task_notify(t->task);
		}
		proc_notify_parent_locked(p, CLD_STOPPED, sig);
	}
	proc_unlock();
}

void proc_continue_locked(struct proc *p)
{
	if (!p->stopped)
		return;
	p->stopped = false;
	p->jobctl = PROC_JOB_CONTINUED;
	waitq_wake_all(&p->stop_wq);
	proc_notify_parent_locked(p, CLD_CONTINUED, SIGCONT);
}

static bool stays_stopped(const struct thread *t)
{
	const struct proc *p = t->proc;

	return __atomic_load_n(&p->stopped, __ATOMIC_ACQUIRE) &&
	       !p->exiting && !t->exiting;
}

void proc_stop_wait(struct thread *t)
{
	while (stays_stopped(t)) {
		/* Other signals stay pending while stopped: forget the
		 * notification, sleep until SIGCONT or SIGKILL wakes us. */
		task_notify_clear();
		WAITQ_WAIT_EVENT_INTERRUPTIBLE(&t->proc->stop_wq,
					       !stays_stopped(t));
	}
}
