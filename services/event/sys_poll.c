/*
 * poll, ppoll, select and pselect6 (poll and select are x86-64's only:
 * services/arch/x86_64/event_legacy.c), over file_poll and one wait set
 * per call (pollwait.c). A call checks every descriptor, and if none is
 * ready sleeps until a wake-up, the timeout or a signal, then checks
 * again; a timeout is followed by one last check, as Linux's do_poll.
 * An interrupted call is -ERESTARTNOHAND (restarted when no handler
 * runs), a poll with a timeout -EINTR (Linux restarts it through
 * restart_syscall, which Keel does not have). ppoll and pselect6 write
 * the time left back, as Linux does.
 *
 * The signal mask of ppoll/pselect6/epoll_pwait is set for the wait; an
 * interrupted wait leaves it for the signal's delivery, which puts the
 * caller's back (the signal service's saved mask), as Linux's
 * restore_saved_sigmask_unless; otherwise it is put back at once.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/event.h>
#include <svc/fdtable.h>
#include <svc/pollwait.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>
#include <uapi/time.h>


/* The events a pollfd always reports, asked for or not. */
#define POLL_ALWAYS (POLLERR | POLLHUP | POLLNVAL)

struct poll_call {
	struct proc *proc;
	struct linux_pollfd *fds;
	unsigned nfds;
};

/* One pass over the pollfds (a poll_pass_fn): revents filled, the
 * number ready returned. */
static long poll_pass(void *arg, struct poll_table *pt)
{
	struct poll_call *c = arg;
	long ready = 0;

	for (unsigned k = 0; k < c->nfds; k++) {
		struct linux_pollfd *p = &c->fds[k];
		uint32_t want = (uint16_t)p->events | POLL_ALWAYS;
		struct file *f;
		uint32_t mask;

		p->revents = 0;
		if (p->fd < 0)
			continue;
		f = fd_get(c->proc, p->fd);
		if (!f) {
			mask = POLLNVAL;
		} else {
			if (pt)
				pt->events = want;
			mask = file_poll(f, pt);
			fd_put(f);
		}
		p->revents = (int16_t)(mask & want);
		if (p->revents)
			ready++;
	}
	return ready;
}

long event_do_poll(struct proc *proc, uptr_t ufds, unsigned nfds,
		   uint64_t deadline_ns)
{
	size_t size = (size_t)nfds * sizeof(struct linux_pollfd);
	struct poll_call c = { proc, NULL, nfds };
	long ret;

	if (nfds > fd_limit(proc))
		return -EINVAL; /* Linux: above RLIMIT_NOFILE */
	c.fds = kmalloc(size ? size : 1);
	if (!c.fds)
		return -ENOMEM;
	if (copy_from_user(c.fds, ufds, size)) {
		kfree(c.fds);
		return -EFAULT;
	}
	ret = poll_waits_run(deadline_ns, poll_pass, &c);
	if (ret >= 0 && copy_to_user(ufds, c.fds, size))
		ret = -EFAULT;
	kfree(c.fds);
	return ret;
}

long event_deadline(const struct linux_timespec *ts, uint64_t *deadline_ns)
{
	uint64_t ns;

	if (!ts) {
		*deadline_ns = WAIT_FOREVER;
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec > (UINT64_MAX - NSEC_PER_SEC) / NSEC_PER_SEC) {
		*deadline_ns = WAIT_FOREVER;
		return 0;
	}
	ns = (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
	*deadline_ns = ns > UINT64_MAX - time_now_ns() - 1
			       ? WAIT_FOREVER
			       : time_now_ns() + ns;
	return 0;
}

/* The time left until deadline as a timespec (0 once passed). */
void event_time_left(uint64_t deadline_ns, struct linux_timespec *ts)
{
	uint64_t left = time_left_ns(deadline_ns);

	ts->tv_sec = (int64_t)(left / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(left % NSEC_PER_SEC);
}

long event_user_deadline(uptr_t tmo, uint64_t *deadline_ns)
{
	struct linux_timespec ts;

	if (!tmo.addr)
		return event_deadline(NULL, deadline_ns);
	if (copy_from_user(&ts, tmo, sizeof(ts)))
		return -EFAULT;
	return event_deadline(&ts, deadline_ns);
}

long event_user_time_left(uptr_t tmo, uint64_t deadline_ns, long ret)
{
	struct linux_timespec ts;

	if (!tmo.addr || ret == -EFAULT)
		return ret;
	event_time_left(deadline_ns, &ts);
	if (copy_to_user(tmo, &ts, sizeof(ts)) && ret >= 0)
		return -EFAULT;
	return ret;
}

long event_mask_set(struct thread *t, uptr_t umask, size_t size,
		    struct event_saved_mask *sm)
{
	/* The mask is the calling thread's; the sighand lock guards it. */
	struct sighand *h = t->proc->sighand;
	linux_sigset_t mask;

	sm->set = false;
	if (!umask.addr)
		return 0;
	if (size != sizeof(linux_sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	spin_lock(&h->lock);
	sm->old = t->sig.blocked;
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock(&h->lock);
	sm->set = true;
	/* A signal the mask unblocks ends the wait at once (Linux's
	 * recalc_sigpending after set_current_blocked). */
	if (signal_deliverable(t) && t->task)
		task_notify(t->task);
	return 0;
}

long event_mask_restore(struct thread *t, const struct event_saved_mask *sm,
			long ret)
{
	struct sighand *h = t->proc->sighand;
	bool interrupted = ret == -ERESTARTNOHAND || ret == -EINTR;

	if (!sm->set)
		return ret;
	if (interrupted) {
		/* The handler of the signal that ended the wait runs under the
		 * temporary mask, and its frame restores the caller's (the
		 * signal service's saved mask, as after rt_sigsuspend). */
		t->sig.saved_mask = sm->old;
		t->sig.restore_mask = true;
		return ret;
	}
	spin_lock(&h->lock);
	t->sig.blocked = sm->old;
	spin_unlock(&h->lock);
	return ret;
}

/* ppoll(fds, nfds, tmo, sigmask, sigsetsize) */
SYSCALL_DEFINE5(ppoll, uptr_t, ufds, unsigned int, nfds, uptr_t, tmo,
		uptr_t, sigmask, unsigned long, sigsetsize)
{
	struct event_saved_mask sm;
	uint64_t deadline;
	long ret = event_user_deadline(tmo, &deadline);

	if (!ret)
		ret = event_mask_set(thread, sigmask, sigsetsize, &sm);
	if (ret)
		return ret;
	ret = event_do_poll(proc, ufds, nfds, deadline);
	ret = event_mask_restore(thread, &sm, ret);
	return event_user_time_left(tmo, deadline, ret);
}
