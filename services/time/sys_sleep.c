/*
 * Sleeping: nanosleep(2) and clock_nanosleep(2). Every sleep is an
 * interruptible sleep to a monotonic deadline (a wall-clock TIMER_ABSTIME
 * deadline is converted when the sleep starts). A signal ends it as
 * Linux's hrtimer_nanosleep does: a relative sleep writes the time that
 * remained to rem (when it is not NULL) and returns
 * -ERESTART_RESTARTBLOCK, an absolute one -ERESTARTNOHAND; either is
 * EINTR once a handler runs, whatever SA_RESTART says (signal(7): the
 * sleep calls are never restarted after a handler). A signal that
 * arrives when nothing remained is no interruption: the call returns 0.
 *
 * The process CPU clock sleeps until the process has used that much CPU
 * time; with one thread, which is asleep, that happens only if it already
 * has. The thread's own CPU clock, the raw and coarse clocks and the alarm
 * clocks cannot be slept on (-EOPNOTSUPP, as Linux).
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <svc/clock.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/time.h>

/* What an interrupted sleep returns; rem gets what remained of a relative
 * sleep (left_ns), if the caller asked. */
static long interrupted(bool absolute, uint64_t left_ns, uptr_t rem)
{
	if (absolute)
		return -ERESTARTNOHAND;
	if (left_ns == 0)
		return 0;
	if (rem.addr && clock_timespec_to_user(rem, left_ns))
		return -EFAULT;
	return -ERESTART_RESTARTBLOCK;
}

/* Sleeps on the monotonic clock to deadline_ns (a relative sleep of ns if
 * !absolute). */
static long sleep_monotonic(uint64_t deadline_ns, bool absolute, uptr_t rem)
{
	int err = sleep_until_interruptible(deadline_ns);

	if (!err)
		return 0;
	return interrupted(absolute, time_left_ns(deadline_ns), rem);
}

/* Sleeps until p's CPU time reaches target_ns (see the top). */
static long sleep_cputime(struct proc *p, uint64_t target_ns, bool absolute,
			  uptr_t rem)
{
	uint64_t now;

	clock_read_ns(p, CLOCK_PROCESS_CPUTIME_ID, &now);
	if (now >= target_ns)
		return 0;
	sleep_until_interruptible(WAIT_FOREVER);
	clock_read_ns(p, CLOCK_PROCESS_CPUTIME_ID, &now);
	return interrupted(absolute, now >= target_ns ? 0 : target_ns - now,
			   rem);
}

/* The sleep of ns on clockid (an absolute time with TIMER_ABSTIME). */
static long do_sleep(struct proc *p, int clockid, bool absolute, uint64_t ns,
		     uptr_t rem)
{
	uint64_t now;

	if (clockid == CLOCK_PROCESS_CPUTIME_ID) {
		clock_read_ns(p, clockid, &now);
		if (!absolute)
			ns = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
		return sleep_cputime(p, ns, absolute, rem);
	}
	if (absolute)
		return sleep_monotonic(clock_abs_deadline(clockid, ns), true,
				       rem);
	return sleep_monotonic(clock_deadline_after(ns), false, rem);
}

/* nanosleep(req, rem): -EFAULT, -EINVAL for an invalid req. */
SYSCALL_DEFINE2(nanosleep, uptr_t, req, uptr_t, rem)
{
	uint64_t ns;
	int err = clock_timespec_from_user(req, &ns);

	if (err)
		return err;
	return do_sleep(proc, CLOCK_MONOTONIC, false, ns, rem);
}

/* clock_nanosleep(clockid, flags, req, rem): flags other than
 * TIMER_ABSTIME are ignored, as Linux; rem is not written for an absolute
 * sleep. -EINVAL, -EOPNOTSUPP (clock), -EFAULT, -EINVAL (req). */
SYSCALL_DEFINE4(clock_nanosleep, int, clockid, int, flags, uptr_t, req,
		uptr_t, rem)
{
	bool absolute = flags & TIMER_ABSTIME;
	uint64_t ns;
	int err = clock_timer_check(clockid, true);

	if (!err)
		err = clock_timespec_from_user(req, &ns);
	if (err)
		return err;
	return do_sleep(proc, clockid, absolute, ns, rem);
}
