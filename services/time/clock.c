/*
 * The clocks every time call reads (<svc/clock.h>): the Linux clock ids
 * on the core's clocks (see sys_clock.c for which is which), timespecs
 * checked as Linux checks them, and monotonic deadlines for the timed
 * waits (nanosleep, futexes, timers), which all sleep on the monotonic
 * clock.
 */
#include <keel/errno.h>
#include <keel/time.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <svc/clock.h>
#include <svc/proc.h>
#include <uapi/time.h>

int clock_read_ns(struct proc *p, int clockid, uint64_t *ns)
{
	uint64_t user, sys;

	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*ns = time_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = time_now_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		proc_cpu_times(p, &user, &sys);
		*ns = user + sys;
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		task_cpu_times(task_current(), &user, &sys);
		*ns = user + sys;
		return 0;
	default:
		return -EINVAL;
	}
}

int clock_timer_check(int clockid, bool for_sleep)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
	case CLOCK_TAI:
	case CLOCK_PROCESS_CPUTIME_ID:
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		return for_sleep ? -EOPNOTSUPP : 0;
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_BOOTTIME_ALARM:
		return -EOPNOTSUPP;
	default:
		return -EINVAL;
	}
}

struct linux_timespec clock_ns_to_timespec(uint64_t ns)
{
	struct linux_timespec ts = {
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (int64_t)(ns % NSEC_PER_SEC),
	};

	return ts;
}

int clock_timespec_to_ns(const struct linux_timespec *ts, uint64_t *ns)
{
	uint64_t secs;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	secs = (uint64_t)ts->tv_sec;
	if (secs > (UINT64_MAX - (uint64_t)ts->tv_nsec) / NSEC_PER_SEC)
		*ns = UINT64_MAX;
	else
		*ns = secs * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
	return 0;
}

int clock_timespec_from_user(uptr_t src, uint64_t *ns)
{
	struct linux_timespec ts;

	if (copy_from_user(&ts, src, sizeof(ts)))
		return -EFAULT;
	return clock_timespec_to_ns(&ts, ns);
}

int clock_timespec_to_user(uptr_t dst, uint64_t ns)
{
	struct linux_timespec ts = clock_ns_to_timespec(ns);

	return copy_to_user(dst, &ts, sizeof(ts)) ? -EFAULT : 0;
}

uint64_t clock_deadline_after(uint64_t ns)
{
	uint64_t now = time_now_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

uint64_t clock_abs_deadline(int clockid, uint64_t abs_ns)
{
	uint64_t mono, real, offset;

	if (clockid != CLOCK_REALTIME && clockid != CLOCK_REALTIME_COARSE &&
	    clockid != CLOCK_TAI)
		return abs_ns;
	mono = time_now_ns();
	real = time_realtime_ns();
	offset = real - mono; /* real time is never below monotonic */
	if (abs_ns == UINT64_MAX)
		return UINT64_MAX;
	return abs_ns > offset ? abs_ns - offset : 0;
}
