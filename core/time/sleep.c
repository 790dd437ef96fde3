/*
 * Sleeping for a time: the timed step every sleep shares
 * (sleep_prepared_until, used by wait queues and wait sets too) and the
 * sleep functions of <keel/time.h>. A timed sleep arms a ktimer on the
 * sleeper's stack that wakes it at the deadline; the timer is cancelled
 * before the sleep returns, so it never outlives the stack frame.
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>

#include "sched/sched.h"
#include "time/time.h"

static void wake_sleeper(struct ktimer *kt, void *arg)
{
	(void)kt;
	sched_wake(arg);
}

int sleep_prepared_until(uint64_t deadline_ns)
{
	struct ktimer kt;
	int err;

	if (deadline_ns == WAIT_FOREVER)
		return sched_sleep();
	if (time_now_ns() >= deadline_ns) {
		sched_cancel_sleep();
		return -ETIMEDOUT;
	}
	ktimer_init(&kt, wake_sleeper, task_current());
	ktimer_arm(&kt, deadline_ns);
	err = sched_sleep();
	ktimer_cancel(&kt);
	if (err == 0 && time_now_ns() >= deadline_ns)
		err = -ETIMEDOUT;
	return err;
}

/* Sleeps until deadline_ns; wake-ups for other reasons are ignored.
 * Returns 0 at the deadline, -EINTR if flags let a notification end it. */
static int sleep_until_flags(uint64_t deadline_ns, unsigned flags)
{
	for (;;) {
		int err;

		sched_prepare_sleep(flags);
		err = sleep_prepared_until(deadline_ns);
		if (err == -ETIMEDOUT)
			return 0;
		if (err)
			return err;
	}
}

void sleep_until(uint64_t deadline_ns)
{
	sleep_until_flags(deadline_ns, 0);
}

int sleep_until_interruptible(uint64_t deadline_ns)
{
	return sleep_until_flags(deadline_ns, WAIT_INTERRUPTIBLE);
}

/* now + ns, saturating: a huge sleep is one that never ends. */
static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = time_now_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

void sleep_ns(uint64_t ns)
{
	sleep_until(deadline_after(ns));
}

int sleep_ns_interruptible(uint64_t ns, uint64_t *left_ns)
{
	uint64_t deadline = deadline_after(ns);
	int err = sleep_until_interruptible(deadline);

	if (left_ns)
		*left_ns = err ? MIN(time_left_ns(deadline), ns) : 0;
	return err;
}

uint64_t time_left_ns(uint64_t deadline_ns)
{
	uint64_t now = time_now_ns();

	return deadline_ns > now ? deadline_ns - now : 0;
}
