/*
 * CPU time per task and the timers that fire on it.
 *
 * The scheduler stamps a task when it goes on and off a CPU
 * (cputime_switch), user mode when it enters and leaves hal_user_run
 * (cputime_user_enter/exit); the counters hold the time up to the last
 * stamp and a reader adds the running interval. User time is the time in
 * hal_user_run, system time everything else on a CPU. One spinlock guards
 * every task's counters and timer list; it is the innermost lock (taken
 * under the scheduler and ktimer locks, never the other way round).
 *
 * The same stamps feed each CPU's own times (struct cpu_times): idle
 * while its idle task runs, user while a task is in hal_user_run, system
 * otherwise, and its count of context switches. The hooks hold the lock
 * anyway, so the per-CPU counters cost a few stores on the switch path
 * and no lock of their own.
 *
 * CPU-time timers are checked for the running task only: the one-shot
 * hardware timer is armed (time_reprogram, through cputime_deadline) for
 * the moment the running task would reach its earliest timer, and the
 * timer interrupt runs what is due (cputime_tick). A task that sleeps
 * burns no CPU time and so never fires; one that is switched away just
 * short of its expiry fires right after it is switched back in (the
 * switch re-arms the hardware timer).
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/sync.h>

#include "sched/sched.h"
#include "time/cputime.h"
#include "time/time.h"

/* ---- Pure arithmetic ----------------------------------------------- */

void cputime_clear(struct task_cputime *c)
{
	*c = (struct task_cputime){ .total_ns = 0 };
	list_init(&c->timers);
}

void cputime_read(const struct task_cputime *c, uint64_t now,
		  uint64_t *user_ns, uint64_t *system_ns)
{
	uint64_t total = c->total_ns, user = c->user_ns;

	if (c->on_cpu && now > c->on_cpu_since)
		total += now - c->on_cpu_since;
	if (c->in_user && now > c->user_since)
		user += now - c->user_since;
	*user_ns = user;
	*system_ns = total > user ? total - user : 0;
}

uint64_t cputime_clock_value(const struct task_cputime *c,
			     enum cputimer_clock clock, uint64_t now)
{
	uint64_t user, sys;

	cputime_read(c, now, &user, &sys);
	return clock == CPUTIMER_USER ? user : user + sys;
}

/* Opens (open) or closes an interval at now; closing adds its length to
 * *sum. A repeated open or close changes nothing. */
static void interval_set(bool *is_open, uint64_t *since, uint64_t *sum,
			 bool open, uint64_t now)
{
	if (*is_open == open)
		return;
	if (open)
		*since = now;
	else if (now > *since)
		*sum += now - *since;
	*is_open = open;
}

void cputime_set_on_cpu(struct task_cputime *c, bool on, uint64_t now)
{
	interval_set(&c->on_cpu, &c->on_cpu_since, &c->total_ns, on, now);
}

void cputime_set_in_user(struct task_cputime *c, bool in, uint64_t now)
{
	interval_set(&c->in_user, &c->user_since, &c->user_ns, in, now);
}

void cpu_times_enter(struct cpu_times *ct, enum cpu_mode mode, uint64_t now)
{
	if (ct->started && now > ct->since)
		ct->ns[ct->mode] += now - ct->since;
	if (!ct->started || now > ct->since)
		ct->since = now;
	ct->mode = mode;
	ct->started = true;
}

void cpu_times_read(const struct cpu_times *ct, uint64_t now,
		    uint64_t out[CPU_MODES])
{
	for (unsigned m = 0; m < CPU_MODES; m++)
		out[m] = ct->ns[m];
	if (ct->started && now > ct->since)
		out[ct->mode] += now - ct->since;
}

uint64_t cputime_next_expiry(const struct task_cputime *c, uint64_t now)
{
	uint64_t best = HAL_TIMER_OFF;
	struct list_head *pos;

	if (!c->on_cpu)
		return HAL_TIMER_OFF;
	list_for_each(pos, &c->timers) {
		struct cputimer *ct = list_entry(pos, struct cputimer, link);
		uint64_t value, at;

		if (ct->clock == CPUTIMER_USER && !c->in_user)
			continue; /* user time stands still in the kernel */
		value = cputime_clock_value(c, ct->clock, now);
		if (value >= ct->expires_ns)
			return now;
		at = now + (ct->expires_ns - value);
		if (at < now)
			at = HAL_TIMER_OFF - 1; /* far away, not never */
		best = MIN(best, at);
	}
	return best;
}

/* ---- Hooks ----------------------------------------------------------- */

static struct spinlock cputime_lock = SPINLOCK_INIT("cputime");
static struct timer_callback running; /* callback in progress */
static struct cpu_times cpu_times[HAL_MAX_CPUS];

/* What this CPU's time counts as while c runs. */
static enum cpu_mode mode_of(const struct task_cputime *c)
{
	if (c->idle)
		return CPU_MODE_IDLE;
	return c->in_user ? CPU_MODE_USER : CPU_MODE_SYSTEM;
}

void cputime_switch(struct task_cputime *prev, struct task_cputime *next,
		    uint64_t now)
{
	struct cpu_times *ct = &cpu_times[hal_cpu_id()];

	spin_lock(&cputime_lock);
	cputime_set_on_cpu(prev, false, now);
	cputime_set_on_cpu(next, true, now);
	cpu_times_enter(ct, mode_of(next), now);
	if (prev != next)
		ct->switches++;
	spin_unlock(&cputime_lock);
}

/* The current task c enters (in) or leaves user mode on this CPU. */
static void user_stamp(struct task_cputime *c, bool in)
{
	uint64_t now = hal_clock_ns();

	spin_lock(&cputime_lock);
	cputime_set_in_user(c, in, now);
	cpu_times_enter(&cpu_times[hal_cpu_id()], mode_of(c), now);
	spin_unlock(&cputime_lock);
}

void cputime_user_enter(struct task_cputime *c)
{
	user_stamp(c, true);
}

void cputime_user_exit(struct task_cputime *c)
{
	user_stamp(c, false);
}

void cputime_cpu_read(unsigned cpu, uint64_t out[CPU_MODES],
		      uint64_t *switches)
{
	spin_lock(&cputime_lock);
	cpu_times_read(&cpu_times[cpu], hal_clock_ns(), out);
	*switches = cpu_times[cpu].switches;
	spin_unlock(&cputime_lock);
}

uint64_t cputime_deadline(struct task_cputime *cur)
{
	uint64_t at;

	spin_lock(&cputime_lock);
	at = cputime_next_expiry(cur, hal_clock_ns());
	spin_unlock(&cputime_lock);
	return at;
}

/* The first of c's timers that is due at now, unlinked; NULL if none.
 * Lock held. */
static struct cputimer *take_due_locked(struct task_cputime *c, uint64_t now)
{
	struct list_head *pos;

	list_for_each(pos, &c->timers) {
		struct cputimer *ct = list_entry(pos, struct cputimer, link);

		if (cputime_clock_value(c, ct->clock, now) >= ct->expires_ns) {
			list_del(&ct->link);
			ct->armed = false;
			return ct;
		}
	}
	return NULL;
}

void cputime_tick(struct task_cputime *cur)
{
	struct cputimer *ct;

	spin_lock(&cputime_lock);
	while ((ct = take_due_locked(cur, hal_clock_ns()))) {
		timer_callback_start(&running, ct, hal_cpu_id());
		spin_unlock(&cputime_lock);
		ct->fn(ct, ct->arg);
		spin_lock(&cputime_lock);
		timer_callback_end(&running);
	}
	spin_unlock(&cputime_lock);
}

void cputime_exit(struct task_cputime *c)
{
	spin_lock(&cputime_lock);
	c->exited = true;
	while (!list_empty(&c->timers)) {
		struct cputimer *ct =
			list_first_entry(&c->timers, struct cputimer, link);

		list_del(&ct->link);
		ct->armed = false;
	}
	spin_unlock(&cputime_lock);
}

/* ---- Public API ------------------------------------------------------ */

void task_cpu_times(const struct task *t, uint64_t *user_ns,
		    uint64_t *system_ns)
{
	spin_lock(&cputime_lock);
	cputime_read(&t->cputime, hal_clock_ns(), user_ns, system_ns);
	spin_unlock(&cputime_lock);
}

void cputimer_init(struct cputimer *ct,
		   void (*fn)(struct cputimer *, void *), void *arg)
{
	*ct = (struct cputimer){ .fn = fn, .arg = arg };
	list_init(&ct->link);
}

int cputimer_arm(struct cputimer *ct, struct task *t,
		 enum cputimer_clock clock, uint64_t expires_ns)
{
	int err = 0;

	if (clock != CPUTIMER_USER && clock != CPUTIMER_PROF)
		return -EINVAL;
	spin_lock(&cputime_lock);
	if (t->cputime.exited) {
		err = -ESRCH;
	} else {
		if (ct->armed)
			list_del(&ct->link);
		ct->task = t;
		ct->clock = clock;
		ct->expires_ns = expires_ns;
		ct->armed = true;
		list_add_tail(&ct->link, &t->cputime.timers);
	}
	spin_unlock(&cputime_lock);
	if (!err) {
		time_reprogram(); /* t may be the running task */
		sched_kick_task_cpu(t); /* or run on another CPU */
	}
	return err;
}

bool cputimer_cancel(struct cputimer *ct)
{
	bool was_armed;

	spin_lock(&cputime_lock);
	was_armed = ct->armed;
	if (was_armed) {
		list_del(&ct->link);
		ct->armed = false;
	}
	timer_callback_wait(&cputime_lock, &running, ct);
	spin_unlock(&cputime_lock);
	return was_armed;
}
