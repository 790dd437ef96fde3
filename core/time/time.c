/*
 * The monotonic and real-time clocks, kernel timers and the timer
 * interrupt. Each CPU has its own timer list (a base), sorted by deadline
 * (earliest first) under its own lock; a timer goes on the list of the
 * CPU that arms it and fires there, through that CPU's own timer
 * interrupt, whatever that CPU is doing (a CPU busy in user mode takes
 * it like any other). Each CPU's one-shot hardware timer is armed for the
 * earliest of its first timer, the end of its scheduler slice and its
 * running task's CPU-time timers.
 *
 * Callbacks run from the timer interrupt without the base's lock, so they
 * may arm or cancel timers, including their own. A timer moves between
 * bases only with both bases' locks held (in CPU order), and t->cpu names
 * its base: whoever locks that base and finds t->cpu unchanged has it.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/time.h>
#include <keel/sync.h>

#include "sched/sched.h"
#include "time/time.h"
#include "vdso/vdso_internal.h"

struct timer_base {
	struct spinlock lock;
	struct list_head timers;
	struct timer_callback running; /* ktimer callback in progress */
	uint64_t armed_deadline;       /* what the HAL was told */
};

static struct timer_base bases[HAL_MAX_CPUS];

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
	vdso_publish_realtime(); /* vDSO readers see the new time too */
	return 0;
}

uint64_t time_realtime_offset_ns(void)
{
	return __atomic_load_n(&realtime_offset_ns, __ATOMIC_RELAXED);
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

static struct timer_base *this_base(void)
{
	return &bases[hal_cpu_id()];
}

/*
 * Whether the armed one-shot may stay although deadline is later (or
 * HAL_TIMER_OFF): an interrupt that comes too early only runs time_irq,
 * which expires nothing and arms the right deadline then. Every switch
 * and every return to user mode moves the slice's end on, and re-arming
 * for each (a host timer_settime on hosted, two to four per pipe round
 * trip) costs more than the one early interrupt per slice this leaves.
 * A deadline earlier than the armed one is always armed.
 */
static bool keep_armed(const struct timer_base *b, uint64_t deadline)
{
	return b->armed_deadline != HAL_TIMER_OFF &&
	       b->armed_deadline < deadline;
}

/* This CPU's base locked. */
static void reprogram_locked(struct timer_base *b)
{
	uint64_t deadline = HAL_TIMER_OFF;

	if (!list_empty(&b->timers))
		deadline = list_first_entry(&b->timers, struct ktimer, link)
				   ->deadline_ns;
	deadline = MIN(deadline, sched_slice_deadline());
	if (task_current())
		deadline = MIN(deadline,
			       cputime_deadline(&task_current()->cputime));
	if (deadline == b->armed_deadline || keep_armed(b, deadline))
		return;
	b->armed_deadline = deadline;
	hal_timer_arm(deadline);
}

void time_reprogram(void)
{
	unsigned long irq = hal_irq_save(); /* stay on this CPU */
	struct timer_base *b = this_base();

	spin_lock(&b->lock);
	reprogram_locked(b);
	spin_unlock(&b->lock);
	hal_irq_restore(irq);
}

void time_init(void)
{
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		spin_init(&bases[i].lock, "ktimers");
		list_init(&bases[i].timers);
		bases[i].armed_deadline = HAL_TIMER_OFF;
	}
	hal_timer_arm(HAL_TIMER_OFF);
	realtime_init();
}

void time_cpu_init(void)
{
	this_base()->armed_deadline = HAL_TIMER_OFF;
	hal_timer_arm(HAL_TIMER_OFF);
}

void ktimer_init(struct ktimer *t, void (*fn)(struct ktimer *, void *),
		 void *arg)
{
	list_init(&t->link);
	t->deadline_ns = 0;
	t->fn = fn;
	t->arg = arg;
	t->armed = false;
	t->cpu = 0;
}

static unsigned timer_cpu(const struct ktimer *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
}

/* Locks the base t is on (rechecking that it did not move). */
static struct timer_base *lock_timer_base(struct ktimer *t)
{
	for (;;) {
		unsigned cpu = timer_cpu(t);
		struct timer_base *b = &bases[cpu];

		spin_lock(&b->lock);
		if (timer_cpu(t) == cpu)
			return b;
		spin_unlock(&b->lock);
	}
}

/* Inserts t after every timer due no later than it (FIFO among equals). */
static void insert_sorted_locked(struct timer_base *b, struct ktimer *t)
{
	struct list_head *pos;

	list_for_each(pos, &b->timers) {
		struct ktimer *o = list_entry(pos, struct ktimer, link);

		if (o->deadline_ns > t->deadline_ns)
			break;
	}
	list_add_tail(&t->link, pos); /* i.e. just before pos */
}

/* Moves t (armed or not) onto this CPU's base, armed for deadline_ns. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	unsigned long irq = hal_irq_save(); /* stay on this CPU */
	struct timer_base *self = this_base();

	for (;;) {
		unsigned cpu = timer_cpu(t);
		struct timer_base *old = &bases[cpu];

		spin_lock_pair(&old->lock, &self->lock);
		if (timer_cpu(t) == cpu) {
			if (t->armed)
				list_del(&t->link);
			t->deadline_ns = deadline_ns;
			t->armed = true;
			__atomic_store_n(&t->cpu, hal_cpu_id(),
					 __ATOMIC_RELAXED);
			insert_sorted_locked(self, t);
			reprogram_locked(self);
			spin_unlock_pair(&old->lock, &self->lock);
			break;
		}
		spin_unlock_pair(&old->lock, &self->lock);
	}
	hal_irq_restore(irq);
}

/*
 * Disarms t. If its callback is running on another CPU, waits for it to
 * finish, so that the caller may free t on return (a callback may cancel
 * its own timer: that does not wait). A callback may have re-armed t on
 * another base while it runs, so every base's running callback is
 * checked, not only t's base's.
 */
bool ktimer_cancel(struct ktimer *t)
{
	struct timer_base *b = lock_timer_base(t);
	bool was_armed = t->armed;

	if (was_armed) {
		list_del(&t->link);
		t->armed = false;
		if (b == this_base())
			reprogram_locked(b);
		/* A remote base's timer may fire for nothing: harmless. */
	}
	spin_unlock(&b->lock);
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		struct timer_base *o = &bases[i];

		if (__atomic_load_n(&o->running.timer, __ATOMIC_ACQUIRE) !=
		    t)
			continue;
		spin_lock(&o->lock);
		timer_callback_wait(&o->lock, &o->running, t);
		spin_unlock(&o->lock);
	}
	return was_armed;
}

void timer_callback_wait(struct spinlock *lock,
			 const struct timer_callback *r, const void *timer)
{
	while (__atomic_load_n(&r->timer, __ATOMIC_RELAXED) == timer &&
	       r->cpu != hal_cpu_id()) {
		spin_unlock(lock);
		hal_cpu_relax();
		spin_lock(lock);
	}
}

/* Runs every timer of this CPU due by now_ns, oldest deadline first. */
static void expire_timers(uint64_t now_ns)
{
	struct timer_base *b = this_base();

	spin_lock(&b->lock);
	b->armed_deadline = HAL_TIMER_OFF; /* the one-shot fired */
	while (!list_empty(&b->timers)) {
		struct ktimer *t =
			list_first_entry(&b->timers, struct ktimer, link);

		if (t->deadline_ns > now_ns)
			break;
		list_del(&t->link);
		t->armed = false;
		timer_callback_start(&b->running, t, hal_cpu_id());
		spin_unlock(&b->lock);
		t->fn(t, t->arg);
		spin_lock(&b->lock);
		timer_callback_end(&b->running);
	}
	spin_unlock(&b->lock);
}

void time_irq(void)
{
	uint64_t now = hal_clock_ns();

	expire_timers(now);
	if (task_current())
		cputime_tick(&task_current()->cputime);
	sched_tick(now);
	vdso_clock_sync(); /* keeps the vDSO's clock to the HAL's */
	time_reprogram();
}
