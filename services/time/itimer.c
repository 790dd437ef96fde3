/*
 * The interval timers: setitimer(2), getitimer(2) and alarm(2) (on
 * x86-64, services/arch/x86_64/sys_alarm.c). ITIMER_REAL counts
 * monotonic time and sends SIGALRM, ITIMER_VIRTUAL the process's user
 * time (SIGVTALRM), ITIMER_PROF its user and system time (SIGPROF); each
 * signal has si_code SI_KERNEL, as Linux's. With one thread a process's
 * CPU time is its task's, which the core's cputimer counts.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>
#include <svc/timer.h>

#include "timer_internal.h"

static const int itimer_signal[3] = {
	[ITIMER_REAL] = SIGALRM,
	[ITIMER_VIRTUAL] = SIGVTALRM,
	[ITIMER_PROF] = SIGPROF,
};

static void itimer_notify(struct ptimer *t, uint64_t missed)
{
	struct time_state *ts = ptimer_state(t);
	struct linux_siginfo info;

	(void)missed; /* the interval timers count no overruns */
	memset(&info, 0, sizeof(info));
	info.si_code = SI_KERNEL;
	signal_send(t->proc, itimer_signal[t - ts->itimer], &info);
}

void itimer_init_all(struct proc *p)
{
	struct ptimer *it = p->timers->itimer;

	ptimer_init(&it[ITIMER_REAL], p, false, CPUTIMER_PROF, itimer_notify);
	ptimer_init(&it[ITIMER_VIRTUAL], p, true, CPUTIMER_USER,
		    itimer_notify);
	ptimer_init(&it[ITIMER_PROF], p, true, CPUTIMER_PROF, itimer_notify);
}

/* A timeval as nanoseconds; false unless valid (tv_sec >= 0, tv_usec in
 * [0, 1e6)), as Linux's timeval_valid. */
static bool timeval_ns(const struct linux_timeval *tv, uint64_t *ns)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 ||
	    tv->tv_usec >= (int64_t)(NSEC_PER_SEC / NSEC_PER_USEC))
		return false;
	if ((uint64_t)tv->tv_sec > UINT64_MAX / NSEC_PER_SEC - 1)
		*ns = UINT64_MAX;
	else
		*ns = (uint64_t)tv->tv_sec * NSEC_PER_SEC +
		      (uint64_t)tv->tv_usec * NSEC_PER_USEC;
	return true;
}

/* ns as a timeval, truncated to microseconds, but never 0 for a timer
 * still running (what getitimer shows of one that is due). */
static struct linux_timeval ns_timeval(uint64_t ns)
{
	struct linux_timeval tv = {
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC),
	};

	if (ns && !tv.tv_sec && !tv.tv_usec)
		tv.tv_usec = 1;
	return tv;
}

/* Sets interval timer which of p to value after interval (ns, relative;
 * value 0 stops it); *old gets the previous setting (if not NULL). */
static int itimer_set(struct proc *p, int which, uint64_t value,
		      uint64_t interval, struct linux_itimerval *old)
{
	struct ptimer *t = &p->timers->itimer[which];
	uint64_t left, old_interval, expires = 0;
	int err;

	if (value) {
		expires = ptimer_now(t) + value;
		if (expires < value)
			expires = UINT64_MAX;
	}
	err = ptimer_set(t, expires, expires ? interval : 0, &left,
			 &old_interval);
	if (old) {
		old->it_value = ns_timeval(left);
		old->it_interval = ns_timeval(old_interval);
	}
	return err;
}

/* setitimer(which, new, old): Linux's order: -EFAULT and -EINVAL for
 * new first (NULL is a zero value, Linux's old misfeature), then which,
 * then -EFAULT for old (the timer is set by then). */
SYSCALL_DEFINE3(setitimer, int, which, uptr_t, unew, uptr_t, uold)
{
	struct linux_itimerval new, old;
	uint64_t value = 0, interval = 0;
	int err;

	memset(&new, 0, sizeof(new));
	if (unew.addr && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if (!timeval_ns(&new.it_value, &value) ||
	    !timeval_ns(&new.it_interval, &interval))
		return -EINVAL;
	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	err = itimer_set(proc, which, value, interval, &old);
	if (err)
		return err;
	if (uold.addr && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* getitimer(which, curr): -EINVAL for which, -EFAULT. */
SYSCALL_DEFINE2(getitimer, int, which, uptr_t, curr)
{
	struct linux_itimerval v;
	uint64_t left, interval;

	if (which < ITIMER_REAL || which > ITIMER_PROF)
		return -EINVAL;
	ptimer_get(&proc->timers->itimer[which], &left, &interval);
	v.it_value = ns_timeval(left);
	v.it_interval = ns_timeval(interval);
	return copy_to_user(curr, &v, sizeof(v)) ? -EFAULT : 0;
}

unsigned int itimer_alarm(struct proc *p, unsigned int seconds)
{
	struct linux_itimerval old;

	itimer_set(p, ITIMER_REAL, (uint64_t)seconds * NSEC_PER_SEC, 0, &old);
	/* Whole seconds, rounded as Linux's alarm_setitimer: a timer under
	 * a second still counts as one. */
	if ((!old.it_value.tv_sec && old.it_value.tv_usec) ||
	    old.it_value.tv_usec >= 500000)
		old.it_value.tv_sec++;
	return (unsigned int)old.it_value.tv_sec;
}
