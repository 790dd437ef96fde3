/*
 * Time: the monotonic clock, sleeping and one-shot kernel timers. Timer
 * callbacks run in interrupt context (interrupts disabled): they must not
 * sleep and should only wake tasks or set flags.
 */
#ifndef KEEL_TIME_H
#define KEEL_TIME_H

#include <keel/list.h>
#include <keel/types.h>

#define NSEC_PER_USEC 1000ull
#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull

/* Scheduler tick: how long a user task runs before it may be preempted. */
#define SCHED_SLICE_NS (10 * NSEC_PER_MSEC)

uint64_t time_now_ns(void); /* monotonic, since boot */

/*
 * Real (wall-clock) time, nanoseconds since the Unix epoch (UTC). Boot
 * reads the machine's RTC once (hal_wall_clock_ns); from then on real time
 * is the monotonic clock plus an offset, which time_set_realtime_ns moves.
 * A machine without an RTC starts at the epoch. Any context.
 */
uint64_t time_realtime_ns(void);

/*
 * Sets real time to ns (clock_settime(CLOCK_REALTIME)); the monotonic
 * clock is unaffected. -EINVAL if ns is below the monotonic clock (as
 * Linux refuses) or above INT64_MAX; then nothing changes.
 */
int time_set_realtime_ns(uint64_t ns);

struct ktimer {
	struct list_head link;
	uint64_t deadline_ns;
	void (*fn)(struct ktimer *t, void *arg);
	void *arg;
	bool armed;
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *, void *),
		 void *arg);
/* (Re)arms t for the monotonic deadline. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);
/* Disarms t; returns true if it was armed (so the callback will not run). */
bool ktimer_cancel(struct ktimer *t);

/* Sleeps the current task for at least ns / until deadline. */
void sleep_ns(uint64_t ns);
void sleep_until(uint64_t deadline_ns);

#endif
