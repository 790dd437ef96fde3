/*
 * POSIX timers: timer_create(2), timer_settime(2), timer_gettime(2),
 * timer_getoverrun(2), timer_delete(2). A process has up to
 * POSIX_TIMER_MAX of them, with the lowest free ids. The wall, monotonic
 * and boot clocks (and TAI) run on the monotonic clock (an absolute
 * wall-clock time is converted when the timer is set); the process and
 * thread CPU clocks on the task's CPU time (one thread: they are the
 * same). Notification: SIGEV_SIGNAL (SIGEV_THREAD, whose thread is the
 * libc's, is the same for the kernel), SIGEV_THREAD_ID to the caller's own
 * thread, SIGEV_NONE. The signal carries si_code SI_TIMER, the id in
 * si_tid, sigev_value and the overrun count (<svc/timer.h>).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/clock.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>
#include <svc/timer.h>

#include "timer_internal.h"

static void posix_notify(struct ptimer *t, uint64_t missed)
{
	struct linux_siginfo info;

	if (t->ev.sigev_notify == SIGEV_NONE)
		return;
	memset(&info, 0, sizeof(info));
	info.si_code = SI_TIMER;
	info.fields.timer.si_tid = t->id;
	info.fields.timer.si_overrun =
		missed > INT32_MAX ? INT32_MAX : (int32_t)missed;
	info.fields.timer.si_value = t->ev.sigev_value;
	signal_send_timer(t->proc, t->ev.sigev_signo, &info);
}

void posix_timer_dequeued(struct proc *p, const struct linux_siginfo *info)
{
	struct time_state *ts = p->timers;
	int id = info->fields.timer.si_tid;

	if (!ts || id < 0 || id >= POSIX_TIMER_MAX)
		return;
	spin_lock(&ts->lock);
	if (ts->posix[id])
		ts->posix[id]->overrun_last = info->fields.timer.si_overrun;
	spin_unlock(&ts->lock);
}

static bool is_cpu_clock(int clockid)
{
	return clockid == CLOCK_PROCESS_CPUTIME_ID ||
	       clockid == CLOCK_THREAD_CPUTIME_ID;
}

/* Is ev a notification Linux accepts from p (good_sigevent)? */
static bool sigevent_valid(struct proc *p, const struct linux_sigevent *ev)
{
	switch (ev->sigev_notify) {
	case SIGEV_SIGNAL | SIGEV_THREAD_ID:
		if (ev->un.sigev_notify_thread_id != p->pid)
			return false;
		/* fall through */
	case SIGEV_SIGNAL:
	case SIGEV_THREAD:
		return ev->sigev_signo > 0 && ev->sigev_signo <= UAPI_NSIG;
	case SIGEV_NONE:
		return true;
	default:
		return false;
	}
}

/* Takes the lowest free id for t; -EAGAIN when all are used. */
static int add_timer(struct time_state *ts, struct ptimer *t)
{
	int id = -EAGAIN;

	spin_lock(&ts->lock);
	for (int i = 0; i < POSIX_TIMER_MAX; i++) {
		if (!ts->posix[i]) {
			ts->posix[i] = t;
			t->id = id = i;
			break;
		}
	}
	spin_unlock(&ts->lock);
	return id;
}

/* Deletes timer id of p: 0, or -EINVAL when there is none. */
static int delete_timer(struct proc *p, int id)
{
	struct time_state *ts = p->timers;
	struct ptimer *t;

	if (id < 0 || id >= POSIX_TIMER_MAX)
		return -EINVAL;
	spin_lock(&ts->lock);
	t = ts->posix[id];
	spin_unlock(&ts->lock);
	if (!t)
		return -EINVAL;
	ptimer_stop(t);
	spin_lock(&ts->lock);
	ts->posix[id] = NULL;
	spin_unlock(&ts->lock);
	kfree(t);
	return 0;
}

/* The timer with that id, or NULL. The caller is the process's only
 * thread, so the timer cannot be deleted under it. */
static struct ptimer *find_timer(struct proc *p, int id)
{
	if (id < 0 || id >= POSIX_TIMER_MAX)
		return NULL;
	return p->timers->posix[id];
}

/* timer_create(clockid, sevp, timerid): sevp NULL is SIGEV_SIGNAL with
 * SIGALRM and the id as value. -EFAULT (sevp first, as Linux), -EINVAL,
 * -EOPNOTSUPP, -EAGAIN, -ENOMEM. */
SYSCALL_DEFINE3(timer_create, int, clockid, uptr_t, sevp, uptr_t, timerid)
{
	struct linux_sigevent ev;
	struct ptimer *t;
	int32_t id;
	int err;

	if (sevp.addr && copy_from_user(&ev, sevp, sizeof(ev)))
		return -EFAULT;
	err = clock_timer_check(clockid, false);
	if (err)
		return err;
	if (sevp.addr && !sigevent_valid(proc, &ev))
		return -EINVAL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	ptimer_init(t, proc, is_cpu_clock(clockid), CPUTIMER_PROF, posix_notify);
	t->clockid = clockid;
	id = add_timer(proc->timers, t);
	if (id < 0) {
		kfree(t);
		return id;
	}
	if (sevp.addr) {
		t->ev = ev;
		t->silent = ev.sigev_notify == SIGEV_NONE;
	} else {
		t->ev.sigev_notify = SIGEV_SIGNAL;
		t->ev.sigev_signo = SIGALRM;
		t->ev.sigev_value.sival_int = id;
	}
	if (copy_to_user(timerid, &id, sizeof(id))) {
		delete_timer(proc, id);
		return -EFAULT;
	}
	return 0;
}

/* The setting as timer_gettime reports it. */
static struct linux_itimerspec itimerspec_of(uint64_t left, uint64_t interval)
{
	struct linux_itimerspec v = {
		.it_interval = clock_ns_to_timespec(interval),
		.it_value = clock_ns_to_timespec(left),
	};

	return v;
}

/* The expiry on t's clock for a value of ns (absolute: a time of the
 * timer's clock). */
static uint64_t expiry_of(struct ptimer *t, bool absolute, uint64_t ns)
{
	uint64_t now;

	if (!ns)
		return 0;
	if (absolute)
		return t->cpu ? ns : clock_abs_deadline(t->clockid, ns);
	now = ptimer_now(t);
	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

/* timer_settime(timerid, flags, new, old): flags TIMER_ABSTIME, a zero
 * it_value stops the timer. -EINVAL (new NULL, an invalid timespec, no
 * such timer), -EFAULT. */
SYSCALL_DEFINE4(timer_settime, int, timerid, int, flags, uptr_t, unew,
		uptr_t, uold)
{
	struct linux_itimerspec new, old;
	struct ptimer *t;
	uint64_t value, interval, left, old_interval, expires;
	int err;

	if (!unew.addr)
		return -EINVAL;
	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (clock_timespec_to_ns(&new.it_value, &value) ||
	    clock_timespec_to_ns(&new.it_interval, &interval))
		return -EINVAL;
	t = find_timer(proc, timerid);
	if (!t)
		return -EINVAL;
	expires = expiry_of(t, flags & TIMER_ABSTIME, value);
	/* An absolute time already past fires at once. */
	if (value && !expires)
		expires = 1;
	err = ptimer_set(t, expires, expires ? interval : 0, &left,
			 &old_interval);
	if (err)
		return err;
	old = itimerspec_of(left, old_interval);
	if (uold.addr && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* timer_gettime(timerid, curr): -EINVAL (no such timer), -EFAULT. */
SYSCALL_DEFINE2(timer_gettime, int, timerid, uptr_t, curr)
{
	struct linux_itimerspec v;
	struct ptimer *t = find_timer(proc, timerid);
	uint64_t left, interval;

	if (!t)
		return -EINVAL;
	ptimer_get(t, &left, &interval);
	v = itimerspec_of(left, interval);
	return copy_to_user(curr, &v, sizeof(v)) ? -EFAULT : 0;
}

/* timer_getoverrun(timerid): the overrun count of the timer's last signal
 * taken; -EINVAL. */
SYSCALL_DEFINE1(timer_getoverrun, int, timerid)
{
	struct ptimer *t = find_timer(proc, timerid);

	if (!t)
		return -EINVAL;
	return t->overrun_last;
}

/* timer_delete(timerid): -EINVAL when there is no such timer. */
SYSCALL_DEFINE1(timer_delete, int, timerid)
{
	return delete_timer(proc, timerid);
}
