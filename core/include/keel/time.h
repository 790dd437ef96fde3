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
	unsigned cpu; /* the CPU whose list it is (or was last) on */
};

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *, void *),
		 void *arg);
/* (Re)arms t for the monotonic deadline. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns);
/* Disarms t; returns true if it was armed (so the callback will not run). */
bool ktimer_cancel(struct ktimer *t);

/*
 * CPU time of one task: user time is the time it spent inside user mode
 * (hal_user_run, interrupts taken there included), system time the rest of
 * its time on a CPU. Both only grow; a dead task's stay as they were.
 * A process-wide sum is the services' business (they own processes).
 */
struct task;
void task_cpu_times(const struct task *t, uint64_t *user_ns,
		    uint64_t *system_ns);

/*
 * CPU-time timers: fn(ct, arg) runs once the task's clock reaches
 * expires_ns of CPU time. CPUTIMER_USER counts user time (ITIMER_VIRTUAL),
 * CPUTIMER_PROF user plus system time (ITIMER_PROF,
 * CLOCK_THREAD_CPUTIME_ID). They are checked by the timer interrupt while
 * the task runs (the hardware timer is armed for the moment the running
 * task would reach its earliest one), so a task that does not run never
 * fires; the callback runs in interrupt context, as a ktimer's does.
 */
enum cputimer_clock {
	CPUTIMER_USER,
	CPUTIMER_PROF,
};

struct cputimer {
	struct list_head link;     /* on the task's list while armed */
	struct task *task;
	enum cputimer_clock clock;
	uint64_t expires_ns;
	void (*fn)(struct cputimer *ct, void *arg);
	void *arg;
	bool armed;
};

void cputimer_init(struct cputimer *ct,
		   void (*fn)(struct cputimer *, void *), void *arg);

/*
 * (Re)arms ct for task t's clock reaching expires_ns (at the next check if
 * it already has). -EINVAL for an unknown clock, -ESRCH if t has exited;
 * then nothing changes. The caller keeps t referenced while ct is
 * armed; a task's timers are disarmed when it exits.
 */
int cputimer_arm(struct cputimer *ct, struct task *t,
		 enum cputimer_clock clock, uint64_t expires_ns);

/* Disarms ct; true if it was armed (its callback will not run). Waits for
 * a callback running on another CPU, so ct may be freed afterwards. */
bool cputimer_cancel(struct cputimer *ct);

/* Sleeps the current task for at least ns / until deadline,
 * uninterruptibly (notifications do not end these sleeps). */
void sleep_ns(uint64_t ns);
void sleep_until(uint64_t deadline_ns);

/* Interruptible: 0 once the deadline is reached, -EINTR when the task is
 * notified first (at once if a notification is pending; task_notify). */
int sleep_until_interruptible(uint64_t deadline_ns);
/* As sleep_ns, interruptible; *left_ns (if not NULL) gets the time that
 * remained of ns when it returned: 0 after the whole sleep, and for
 * -EINTR at most ns (what nanosleep reports as the remainder). */
int sleep_ns_interruptible(uint64_t ns, uint64_t *left_ns);

/* Nanoseconds from now to deadline_ns, 0 once it has passed. */
uint64_t time_left_ns(uint64_t deadline_ns);

#endif
