/*
 * Sleeping: nanosleep(2) and clock_nanosleep(2). Every sleep is an
 * interruptible sleep to a monotonic deadline (a wall-clock TIMER_ABSTIME
 * deadline is converted when the sleep starts). A signal ends it as
 * Linux's hrtimer_nanosleep does: a relative sleep writes the time that
 * remained to rem (when it is not NULL) and returns
 * -ERESTART_RESTARTBLOCK, an absolute one -ERESTARTNOHAND; either is
 * EINTR once a handler runs, whatever SA_RESTART says (signal(7): the
 * sleep calls are never restarted after a handler). Without a handler (a
 * stop and continue, an ignored signal) an absolute sleep runs again as
 * it was and a relative one continues through restart_syscall to its
 * first deadline (the restart block: <svc/signal.h>), writing rem again
 * if it is interrupted again. A signal that arrives when nothing remained
 * is no interruption: the call returns 0.
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

/* One sleep: to deadline_ns on clockid (CLOCK_MONOTONIC, or the
 * process CPU clock), relative (rem, restart) or absolute. */
struct sleep {
	struct thread *t;
	int clockid;
	uint64_t deadline_ns;
	bool absolute;
	uptr_t rem;
};

static long sleep_run(const struct sleep *s);

/* restart_syscall's continuation of an interrupted relative sleep. */
static long sleep_restart(struct thread *t, struct restart_block *rb)
{
	const struct sleep s = { t, rb->clockid, rb->deadline_ns, false,
				 rb->rem };

	return sleep_run(&s);
}

/* What an interrupted sleep returns; rem gets what remained of a relative
 * sleep (left_ns), if the caller asked, and the restart block is armed
 * to continue it. */
static long interrupted(const struct sleep *s, uint64_t left_ns)
{
	struct restart_block *rb = &s->t->sig.restart;

	if (s->absolute)
		return -ERESTARTNOHAND;
	if (left_ns == 0)
		return 0;
	if (s->rem.addr && clock_timespec_to_user(s->rem, left_ns))
		return -EFAULT;
	rb->fn = sleep_restart;
	rb->clockid = s->clockid;
	rb->deadline_ns = s->deadline_ns;
	rb->rem = s->rem;
	return -ERESTART_RESTARTBLOCK;
}

/* Sleeps on the monotonic clock to the deadline. */
static long sleep_monotonic(const struct sleep *s)
{
	int err = sleep_until_interruptible(s->deadline_ns);

	if (!err)
		return 0;
	return interrupted(s, time_left_ns(s->deadline_ns));
}

/* Sleeps until the process's CPU time reaches the deadline (see the
 * top). */
static long sleep_cputime(const struct sleep *s)
{
	struct proc *p = s->t->proc;
	uint64_t now;

	clock_read_ns(p, CLOCK_PROCESS_CPUTIME_ID, &now);
	if (now >= s->deadline_ns)
		return 0;
	sleep_until_interruptible(WAIT_FOREVER);
	clock_read_ns(p, CLOCK_PROCESS_CPUTIME_ID, &now);
	return interrupted(s, now >= s->deadline_ns ? 0
						     : s->deadline_ns - now);
}

static long sleep_run(const struct sleep *s)
{
	if (s->clockid == CLOCK_PROCESS_CPUTIME_ID)
		return sleep_cputime(s);
	return sleep_monotonic(s);
}

/* The sleep of ns on clockid (an absolute time with TIMER_ABSTIME). */
static long do_sleep(struct thread *t, int clockid, bool absolute,
		     uint64_t ns, uptr_t rem)
{
	struct sleep s = { t, CLOCK_MONOTONIC, 0, absolute, rem };
	uint64_t now;

	if (clockid == CLOCK_PROCESS_CPUTIME_ID) {
		clock_read_ns(t->proc, clockid, &now);
		if (!absolute)
			ns = ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
		s.clockid = clockid;
		s.deadline_ns = ns;
	} else if (absolute) {
		s.deadline_ns = clock_abs_deadline(clockid, ns);
	} else {
		s.deadline_ns = clock_deadline_after(ns);
	}
	return sleep_run(&s);
}

/* nanosleep(req, rem): -EFAULT, -EINVAL for an invalid req. */
SYSCALL_DEFINE2(nanosleep, uptr_t, req, uptr_t, rem)
{
	uint64_t ns;
	int err = clock_timespec_from_user(req, &ns);

	if (err)
		return err;
	return do_sleep(thread, CLOCK_MONOTONIC, false, ns, rem);
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
	return do_sleep(thread, clockid, absolute, ns, rem);
}
