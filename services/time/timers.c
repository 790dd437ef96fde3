/*
 * Process timers (<svc/timer.h>): the per-process state as a PROC_STATE
 * part, and the ptimer every interval and POSIX timer is (see
 * timer_internal.h): arming on the monotonic clock or on CPU time,
 * rearming periodic timers from their callback, and reading what is left.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/time.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/timer.h>

#include "timer_internal.h"

struct time_state *ptimer_state(const struct ptimer *t)
{
	return t->proc->timers;
}

/* The task whose CPU time a process's CPU timers follow: its first
 * thread's (Linux counts every thread; Keel's CPU timers follow the
 * leader only for now). NULL once the leader has exited. */
static struct task *cpu_task(const struct proc *p)
{
	return p->leader ? p->leader->task : NULL;
}

uint64_t ptimer_now(const struct ptimer *t)
{
	struct task *task = cpu_task(t->proc);
	uint64_t user, sys;

	if (!t->cpu)
		return time_now_ns();
	if (!task)
		return 0;
	task_cpu_times(task, &user, &sys);
	return t->cpu_clock == CPUTIMER_USER ? user : user + sys;
}

/* Arms t's core timer for t->expires; ts->lock held. */
static int arm_locked(struct ptimer *t)
{
	if (!t->cpu) {
		ktimer_arm(&t->kt, t->expires);
		return 0;
	}
	if (!cpu_task(t->proc))
		return -ESRCH;
	return cputimer_arm(&t->ct, cpu_task(t->proc), t->cpu_clock,
			    t->expires);
}

/* a + b, saturating. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The expiry of t (interrupt context): the next period is armed before
 * the notification goes, counting the periods that passed meanwhile. */
static void ptimer_fire(struct ptimer *t)
{
	struct time_state *ts = ptimer_state(t);
	uint64_t now = ptimer_now(t), missed = 0, period, next;

	spin_lock(&ts->lock);
	if (!t->expires) { /* stopped while this callback was starting */
		spin_unlock(&ts->lock);
		return;
	}
	if (t->interval) {
		period = t->interval < PTIMER_MIN_PERIOD_NS ? PTIMER_MIN_PERIOD_NS
							    : t->interval;
		next = add_sat(t->expires, period);
		if (next <= now) {
			missed = (now - t->expires) / period;
			next = add_sat(t->expires, (missed + 1) * period);
		}
		t->expires = next;
		if (arm_locked(t))
			t->expires = 0;
	} else {
		t->expires = 0;
	}
	spin_unlock(&ts->lock);
	t->notify(t, missed);
}

static void ktimer_fired(struct ktimer *kt, void *arg)
{
	(void)kt;
	ptimer_fire(arg);
}

static void cputimer_fired(struct cputimer *ct, void *arg)
{
	(void)ct;
	ptimer_fire(arg);
}

void ptimer_init(struct ptimer *t, struct proc *p, bool cpu,
		 enum cputimer_clock cpu_clock, ptimer_notify_fn notify)
{
	t->proc = p;
	t->cpu = cpu;
	t->cpu_clock = cpu_clock;
	ktimer_init(&t->kt, ktimer_fired, t);
	cputimer_init(&t->ct, cputimer_fired, t);
	t->expires = 0;
	t->interval = 0;
	t->notify = notify;
	t->silent = false;
}

/* Read under ts->lock. */
static void get_locked(struct ptimer *t, uint64_t now, uint64_t *left,
		       uint64_t *interval)
{
	if (left && (!t->expires || (t->expires <= now && t->silent)))
		*left = 0;
	else if (left)
		*left = t->expires > now ? t->expires - now : 1;
	if (interval)
		*interval = t->interval;
}

void ptimer_get(struct ptimer *t, uint64_t *left, uint64_t *interval)
{
	struct time_state *ts = ptimer_state(t);
	uint64_t now = ptimer_now(t);

	spin_lock(&ts->lock);
	get_locked(t, now, left, interval);
	spin_unlock(&ts->lock);
}

void ptimer_stop(struct ptimer *t)
{
	struct time_state *ts = ptimer_state(t);

	spin_lock(&ts->lock);
	t->expires = 0;
	t->interval = 0;
	spin_unlock(&ts->lock);
	/* Outside the lock: these wait for a running callback. */
	if (t->cpu)
		cputimer_cancel(&t->ct);
	else
		ktimer_cancel(&t->kt);
}

int ptimer_set(struct ptimer *t, uint64_t expires, uint64_t interval,
	       uint64_t *old_left, uint64_t *old_interval)
{
	struct time_state *ts = ptimer_state(t);
	uint64_t now = ptimer_now(t);
	int err = 0;

	spin_lock(&ts->lock);
	get_locked(t, now, old_left, old_interval);
	spin_unlock(&ts->lock);
	ptimer_stop(t);
	if (!expires)
		return 0;
	spin_lock(&ts->lock);
	t->expires = expires;
	t->interval = interval;
	err = arm_locked(t);
	if (err) {
		t->expires = 0;
		t->interval = 0;
	}
	spin_unlock(&ts->lock);
	return err;
}

/* ---- The per-process state ----------------------------------------- */

/* A new process has no timer armed (fork does not inherit them). */
static int timers_fork(struct proc *parent, struct proc *child,
		       unsigned long flags)
{
	struct time_state *ts = kzalloc(sizeof(*ts));

	(void)parent;
	if (!ts)
		return -ENOMEM;
	spin_init(&ts->lock, "timers");
	child->timers = ts;
	itimer_init_all(child);
	return 0;
}

/* Deletes every POSIX timer of p. */
static void delete_posix_timers(struct proc *p)
{
	struct time_state *ts = p->timers;

	for (int i = 0; i < POSIX_TIMER_MAX; i++) {
		struct ptimer *t = ts->posix[i];

		if (!t)
			continue;
		ptimer_stop(t);
		spin_lock(&ts->lock);
		ts->posix[i] = NULL;
		spin_unlock(&ts->lock);
		kfree(t);
	}
}

/* exec deletes POSIX timers and keeps the interval timers, as Linux. */
static int timers_exec(struct proc *p)
{
	delete_posix_timers(p);
	return 0;
}

static void timers_exit(struct proc *p)
{
	if (!p->timers)
		return;
	for (int i = 0; i < 3; i++)
		ptimer_stop(&p->timers->itimer[i]);
	delete_posix_timers(p);
	kfree(p->timers);
	p->timers = NULL;
}

PROC_STATE(timers, .fork = timers_fork, .exec = timers_exec,
	   .exit = timers_exit);
