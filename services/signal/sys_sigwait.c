/*
 * Waiting for signals: rt_sigsuspend(2), rt_sigtimedwait(2) (also
 * sigwaitinfo(3) and sigwait(3)), and pause(2)'s wait. A sender wakes a
 * sleeper with task_notify() when the signal is not blocked
 * (signal_send), so each wait first unblocks what it waits for and then
 * sleeps interruptibly; every round clears the notification before it
 * looks at the pending set ("clear, then look"), so that a signal sent
 * while it looks ends the next sleep at once.
 *
 * rt_sigsuspend returns -ERESTARTNOHAND: EINTR after a handler, which
 * runs with the temporary mask while its frame saves the caller's (as
 * Linux's TIF_RESTORE_SIGMASK); rt_sigtimedwait takes a waited signal
 * without running its handler, and fails with -EAGAIN at the timeout or
 * -EINTR when another signal is to be delivered.
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/clock.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>

void signal_wait_deliverable(struct thread *t)
{
	for (;;) {
		task_notify_clear();
		if (signal_deliverable(t))
			return;
		sleep_until_interruptible(WAIT_FOREVER);
	}
}

/* Sets t's blocked mask (SIGKILL and SIGSTOP never block). */
static void set_blocked(struct thread *t, linux_sigset_t mask)
{
	struct sighand *h = t->proc->sighand;

	spin_lock(&h->lock);
	t->sig.blocked = mask & ~SIG_UNBLOCKABLE;
	spin_unlock(&h->lock);
}

/* rt_sigsuspend(mask, sigsetsize): -EINVAL for a sigsetsize other than
 * 8, -EFAULT; else waits as the top of the file says. */
SYSCALL_DEFINE2(rt_sigsuspend, uptr_t, mask, size_t, sigsetsize)
{
	struct thread_signals *s = &thread->sig;
	linux_sigset_t want;

	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	if (copy_from_user(&want, mask, sizeof(want)))
		return -EFAULT;
	s->saved_mask = s->blocked;
	s->restore_mask = true;
	set_blocked(thread, want);
	signal_wait_deliverable(thread);
	return -ERESTARTNOHAND;
}

/* Waits until a signal of set is pending (its number), the deadline
 * passes (-EAGAIN) or another signal is deliverable (-EINTR); *info gets
 * the siginfo of the one taken. The signals of set are unblocked while
 * it sleeps, so that sending one wakes it. */
static int wait_for_set(struct thread *p, linux_sigset_t set,
			uint64_t deadline_ns, struct linux_siginfo *info)
{
	linux_sigset_t blocked = p->sig.blocked;
	int sig;

	set_blocked(p, blocked & ~set);
	for (;;) {
		task_notify_clear();
		sig = signal_dequeue(p, set, info);
		if (sig)
			break;
		if (signal_deliverable(p)) {
			sig = -EINTR;
			break;
		}
		if (sleep_until_interruptible(deadline_ns) == 0) {
			sig = signal_dequeue(p, set, info);
			if (!sig)
				sig = -EAGAIN;
			break;
		}
	}
	set_blocked(p, blocked);
	return sig;
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize): the signal taken, with
 * its siginfo at info when that is not NULL. -EINVAL (sigsetsize, an
 * invalid timeout), -EFAULT, -EAGAIN, -EINTR. A zero timeout polls. */
SYSCALL_DEFINE4(rt_sigtimedwait, uptr_t, uset, uptr_t, uinfo, uptr_t,
		timeout, size_t, sigsetsize)
{
	struct linux_siginfo info;
	linux_sigset_t set;
	uint64_t deadline = WAIT_FOREVER, ns;
	int sig, err;

	if (sigsetsize != sizeof(linux_sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	if (timeout.addr) {
		err = clock_timespec_from_user(timeout, &ns);
		if (err)
			return err;
		deadline = clock_deadline_after(ns);
	}
	sig = wait_for_set(thread, set & ~SIG_UNBLOCKABLE, deadline, &info);
	if (sig > 0 && uinfo.addr && copy_to_user(uinfo, &info, sizeof(info)))
		return -EFAULT;
	return sig;
}
