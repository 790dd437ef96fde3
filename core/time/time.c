/*
 * The monotonic and real-time clocks, kernel timers and the timer
 * interrupt. Kernel
 * timers sit on one list sorted by deadline (earliest first) under one
 * lock; the HAL's one-shot timer is armed for the earliest of the first
 * timer and the end of the scheduler slice. One list serves every CPU for
 * now (only CPU 0 runs tasks); per-CPU lists can come with SMP.
 *
 * Callbacks run from the timer interrupt without the list lock, so they
 * may arm or cancel timers, including their own.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/time.h>
#include <keel/sync.h>

#include "sched/sched.h"
#include "time/time.h"

static struct spinlock timer_lock = SPINLOCK_INIT("ktimers");
static struct list_head timers = LIST_HEAD_INIT(timers);
static struct timer_callback running; /* ktimer callback in progress */
static uint64_t armed_deadline[HAL_MAX_CPUS]; /* what the HAL was told */

/* Real time minus monotonic time; written whole (atomic), read whole. */
static uint64_t realtime_offset_ns;

uint64_t time_now_ns(void)
{
	return hal_clock_ns();
}

uint64_t time_realtime_ns(void)
{
	return hal_clock_ns() +
	       __atomic_load_n(&realtime_offset_ns, __ATOMIC_RELAXED);
}

int time_set_realtime_ns(uint64_t ns)
{
	uint64_t mono = hal_clock_ns();

	if (ns < mono || ns > (uint64_t)INT64_MAX)
		return -EINVAL;
	__atomic_store_n(&realtime_offset_ns, ns - mono, __ATOMIC_RELAXED);
	return 0;
}

/* Boot: real time starts at the RTC's reading (the epoch without one). */
static void realtime_init(void)
{
	uint64_t wall = hal_wall_clock_ns(), mono = hal_clock_ns();

	if (wall == 0)
		pr_warn("time: no wall clock, real time starts at the epoch");
	else
		pr_info("time: wall clock %llu s since the epoch",
			(unsigned long long)(wall / NSEC_PER_SEC));
	if (time_set_realtime_ns(wall < mono ? mono : wall) != 0)
		pr_warn("time: wall clock out of range, ignored");
}

/* Timer lock held. */
static void reprogram_locked(void)
{
	unsigned cpu = hal_cpu_id();
	uint64_t deadline = HAL_TIMER_OFF;

	if (!list_empty(&timers))
		deadline = list_first_entry(&timers, struct ktimer, link)
				   ->deadline_ns;
	deadline = MIN(deadline, sched_slice_deadline());
	if (task_current())
		deadline = MIN(deadline,
			       cputime_deadline(&task_current()->cputime));
	if (deadline != armed_deadline[cpu]) {
		armed_deadline[cpu] = deadline;
		hal_timer_arm(deadline);
	}
}

void time_reprogram(void)
{
	spin_lock(&timer_lock);
	reprogram_locked();
	spin_unlock(&timer_lock);
}

void time_init(void)
{
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++)
		armed_deadline[i] = HAL_TIMER_OFF;
	hal_timer_arm(HAL_TIMER_OFF);
	realtime_init();
}

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *, void *),
		 void *arg)
{
	list_init(&t->link);
	t->deadline_ns = 0;
	t->fn = fn;
	t->arg = arg;
	t->armed = false;
}

/* Inserts t after every timer due no later than it (FIFO among equals). */
static void insert_sorted_locked(struct ktimer *t)
{
	struct list_head *pos;

	list_for_each(pos, &timers) {
		struct ktimer *o = list_entry(pos, struct ktimer, link);

		if (o->deadline_ns > t->deadline_ns)
			break;
	}
	list_add_tail(&t->link, pos); /* i.e. just before pos */
}

void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	spin_lock(&timer_lock);
	if (t->armed)
		list_del(&t->link);
	t->deadline_ns = deadline_ns;
	t->armed = true;
	insert_sorted_locked(t);
	reprogram_locked();
	spin_unlock(&timer_lock);
}

/*
 * Disarms t. If its callback is running on another CPU, waits for it to
 * finish, so that the caller may free t on return (a callback may cancel
 * its own timer: that does not wait).
 */
bool ktimer_cancel(struct ktimer *t)
{
	bool was_armed;

	spin_lock(&timer_lock);
	was_armed = t->armed;
	if (was_armed) {
		list_del(&t->link);
		t->armed = false;
		reprogram_locked();
	}
	timer_callback_wait(&timer_lock, &running, t);
	spin_unlock(&timer_lock);
	return was_armed;
}

void timer_callback_wait(struct spinlock *lock,
			 const struct timer_callback *r, const void *timer)
{
	while (r->timer == timer && r->cpu != hal_cpu_id()) {
		spin_unlock(lock);
		hal_cpu_relax();
		spin_lock(lock);
	}
}

/* Runs every timer due by now_ns, oldest deadline first. */
static void expire_timers(uint64_t now_ns)
{
	spin_lock(&timer_lock);
	armed_deadline[hal_cpu_id()] = HAL_TIMER_OFF; /* the one-shot fired */
	while (!list_empty(&timers)) {
		struct ktimer *t =
			list_first_entry(&timers, struct ktimer, link);

		if (t->deadline_ns > now_ns)
			break;
		list_del(&t->link);
		t->armed = false;
		timer_callback_start(&running, t, hal_cpu_id());
		spin_unlock(&timer_lock);
		t->fn(t, t->arg);
		spin_lock(&timer_lock);
		timer_callback_end(&running);
	}
	spin_unlock(&timer_lock);
}

void time_irq(void)
{
	uint64_t now = hal_clock_ns();

	expire_timers(now);
	if (task_current())
		cputime_tick(&task_current()->cputime);
	sched_tick(now);
	time_reprogram();
}
