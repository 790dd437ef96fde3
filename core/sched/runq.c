/*
 * Run queues and CPUs: one round-robin queue per CPU under its own lock,
 * where a runnable task goes (select_cpu: its last CPU if that idles,
 * else an idle CPU its affinity allows, else the least loaded one; a
 * synchronous wake-up, select_cpu_sync: the waker's CPU), how
 * idle and lightly loaded CPUs take work from others (pulling), and the
 * public CPU and affinity calls of <keel/task.h>.
 *
 * Balancing is by placement and pulling, never by pushing running work
 * around: a task is placed when it starts or wakes up; a CPU about to
 * idle, or with two tasks fewer queued than another, takes one from the
 * busiest queue when it switches (with a trylock: it holds its own queue
 * lock then), and the idle loop does so with both locks taken in order.
 * That is enough to spread CPU-bound work started from one CPU, which
 * is what the kernel runs; Linux's periodic load balancer is not needed
 * at eight CPUs.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/log.h>

#include "sched/sched.h"

struct cpu sched_cpus[HAL_MAX_CPUS];
/* atomic: CPUs that schedule. The boot CPU is in it from the start, so
 * cpu_count() is >= 1 as its contract says even before the scheduler
 * starts (the unit tests run services without one). */
static uint64_t online_mask = 1;

struct cpu *this_cpu(void)
{
	return &sched_cpus[hal_cpu_id()];
}

struct task *task_current(void)
{
	return __atomic_load_n(&this_cpu()->current, __ATOMIC_RELAXED);
}

void runq_init_cpus(void)
{
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		struct cpu *c = &sched_cpus[i];

		c->id = i;
		spin_init(&c->rq.lock, "runq");
		list_init(&c->rq.tasks);
	}
}

void runq_set_online(unsigned cpu)
{
	__atomic_or_fetch(&online_mask, 1ull << cpu, __ATOMIC_SEQ_CST);
}

uint64_t cpu_online_mask(void)
{
	return __atomic_load_n(&online_mask, __ATOMIC_ACQUIRE);
}

/* A loop, not __builtin_popcountll: the bare-metal builds have no
 * libgcc. */
unsigned cpu_count(void)
{
	uint64_t m = cpu_online_mask();
	unsigned n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

unsigned cpu_id(void)
{
	return hal_cpu_id();
}

/* ---- Queue operations (the queue's lock held) ----------------------- */

void runq_add(struct cpu *c, struct task *t)
{
	list_add_tail(&t->run_link, &c->rq.tasks);
	t->queued = true;
	__atomic_store_n(&c->rq.nr, c->rq.nr + 1, __ATOMIC_RELAXED);
}

void runq_del(struct cpu *c, struct task *t)
{
	list_del(&t->run_link);
	t->queued = false;
	__atomic_store_n(&c->rq.nr, c->rq.nr - 1, __ATOMIC_RELAXED);
}

struct task *runq_pop(struct cpu *c)
{
	struct task *t;

	if (list_empty(&c->rq.tasks))
		return NULL;
	t = list_first_entry(&c->rq.tasks, struct task, run_link);
	runq_del(c, t);
	return t;
}

unsigned runq_len(const struct cpu *c)
{
	return __atomic_load_n(&c->rq.nr, __ATOMIC_RELAXED);
}

/* ---- Locking a task's queue ----------------------------------------- */

struct cpu *task_rq_lock(struct task *t)
{
	for (;;) {
		struct cpu *c = &sched_cpus[task_cpu(t)];

		spin_lock(&c->rq.lock);
		if (task_cpu(t) == c->id)
			return c;
		spin_unlock(&c->rq.lock);
	}
}

void double_rq_lock(struct cpu *a, struct cpu *b)
{
	spin_lock_pair(&a->rq.lock, &b->rq.lock); /* CPU order: the array's */
}

void double_rq_unlock(struct cpu *a, struct cpu *b)
{
	spin_unlock_pair(&a->rq.lock, &b->rq.lock);
}

/* ---- Placement ------------------------------------------------------- */

bool task_allowed_on(const struct task *t, unsigned cpu)
{
	return __atomic_load_n(&t->affinity, __ATOMIC_RELAXED) &
	       cpu_online_mask() & (1ull << cpu);
}

/* Tasks running or queued on c (a racy snapshot). */
static unsigned cpu_load(const struct cpu *c)
{
	struct task *cur = __atomic_load_n(&c->current, __ATOMIC_RELAXED);

	return runq_len(c) + (cur && cur != c->idle);
}

unsigned select_cpu(const struct task *t)
{
	uint64_t allowed = __atomic_load_n(&t->affinity, __ATOMIC_RELAXED) &
			   cpu_online_mask();
	unsigned home = task_cpu(t), best = home, best_load = ~0u;

	if (!allowed)
		return home; /* cannot happen: task_set_affinity refuses */
	if (allowed & (1ull << home)) {
		best_load = cpu_load(&sched_cpus[home]);
		if (best_load == 0)
			return home; /* warm caches, and idle */
	}
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		unsigned load;

		if (i == home || !(allowed & (1ull << i)))
			continue;
		load = cpu_load(&sched_cpus[i]);
		if (load < best_load) {
			best = i;
			best_load = load;
		}
	}
	return best;
}

/*
 * The wake-affine rule (Linux's WF_SYNC with wake_affine): a waker that
 * is about to block until t answers leaves this CPU to t, so t goes here
 * and runs as soon as the waker sleeps, with warm caches and without
 * kicking another CPU out of its idle wait (on hosted a host signal to a
 * thread that may sit on a descheduled vCPU: far dearer than the round
 * trip it serves). Only when the waker is all this CPU runs (nothing
 * queued: t would otherwise wait behind other work) and t may run here.
 * Should the waker keep running instead, t waits at most until the
 * waker's slice ends: sched_tick then kicks an idle CPU to pull it.
 */
unsigned select_cpu_sync(const struct task *t)
{
	struct cpu *here = this_cpu();
	struct task *cur = __atomic_load_n(&here->current, __ATOMIC_RELAXED);

	if (cur && cur != here->idle && runq_len(here) == 0 &&
	    task_allowed_on(t, here->id))
		return here->id;
	return select_cpu(t);
}

/*
 * Queues t, runnable, on no queue and on no CPU, where select_cpu (for
 * WAKE_SYNC select_cpu_sync) says,
 * and kicks that CPU if it idles. why: WAKE_ANY, WAKE_SYNC or
 * WAKE_INTERRUPTIBLE first check that t sleeps (interruptibly): false if not; a sleeper
 * still on its CPU (between sched_prepare_sleep and the switch) just
 * keeps running. PLACE_NEW (task_start) and PLACE_PUSH (a task moved off
 * a CPU it may no longer use) always queue it. Takes the queue locks.
 */
bool place_task(struct task *t, enum place_why why)
{
	for (;;) {
		unsigned from = task_cpu(t);
		unsigned to = why == WAKE_SYNC ? select_cpu_sync(t) :
						 select_cpu(t);
		struct cpu *a = &sched_cpus[from], *b = &sched_cpus[to];
		struct task *cur;

		double_rq_lock(a, b);
		if (task_cpu(t) != from || !task_allowed_on(t, to)) {
			double_rq_unlock(a, b);
			continue; /* moved, or the mask changed: again */
		}
		if (why != PLACE_NEW && why != PLACE_PUSH) {
			if (t->state != TASK_SLEEPING ||
			    (why == WAKE_INTERRUPTIBLE && !t->sleep_interruptible)) {
				double_rq_unlock(a, b);
				return false;
			}
			if (t->on_cpu) {
				t->state = TASK_RUNNING;
				double_rq_unlock(a, b);
				return true;
			}
		}
		stat_note_wake(t);
		t->state = TASK_RUNNABLE;
		__atomic_store_n(&t->cpu, to, __ATOMIC_RELAXED);
		runq_add(b, t);
		cur = __atomic_load_n(&b->current, __ATOMIC_RELAXED);
		double_rq_unlock(a, b);
		/* An idle CPU must look at its queue again; a busy one picks
		 * t at its next switch (kernel code is not preempted). */
		if (to != hal_cpu_id() && cur == b->idle)
			hal_cpu_kick(to);
		return true;
	}
}

/* ---- Pulling work ---------------------------------------------------- */

/* The first task queued on from that may run on cpu; from's lock held. */
static struct task *first_movable(struct cpu *from, unsigned cpu)
{
	struct list_head *pos;

	list_for_each(pos, &from->rq.tasks) {
		struct task *t = list_entry(pos, struct task, run_link);

		if (task_allowed_on(t, cpu))
			return t;
	}
	return NULL;
}

/* Moves t from from's queue to c's; both locks held. */
static void move_task(struct cpu *from, struct cpu *c, struct task *t)
{
	runq_del(from, t);
	__atomic_store_n(&t->cpu, c->id, __ATOMIC_RELAXED);
	runq_add(c, t);
}

/* The other CPU with the longest queue, if it is longer than min. */
static struct cpu *busiest_other(const struct cpu *c, unsigned min)
{
	struct cpu *best = NULL;
	unsigned best_len = min;

	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		struct cpu *o = &sched_cpus[i];

		if (o != c && runq_len(o) > best_len) {
			best = o;
			best_len = runq_len(o);
		}
	}
	return best;
}

bool runq_pull_trylock(struct cpu *c)
{
	unsigned mine = runq_len(c);
	struct cpu *from = busiest_other(c, mine + 1);
	struct task *t;

	if (mine > 0 && !from)
		return false;
	if (!from)
		from = busiest_other(c, 0);
	if (!from || !spin_trylock(&from->rq.lock))
		return false;
	t = first_movable(from, c->id);
	if (t)
		move_task(from, c, t);
	spin_unlock(&from->rq.lock);
	return t != NULL;
}

bool runq_pull(struct cpu *c)
{
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		struct cpu *from = &sched_cpus[i];
		struct task *t;

		if (from == c || runq_len(from) == 0)
			continue;
		double_rq_lock(c, from);
		t = first_movable(from, c->id);
		if (t)
			move_task(from, c, t);
		double_rq_unlock(c, from);
		if (t)
			return true;
	}
	return false;
}

void runq_kick_idle_for(struct cpu *c)
{
	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		struct cpu *o = &sched_cpus[i];

		if (o == c || !(cpu_online_mask() & (1ull << i)) ||
		    cpu_load(o) != 0)
			continue;
		hal_cpu_kick(i); /* a racy look is enough for a hint */
		return;
	}
}

/* ---- Affinity -------------------------------------------------------- */

unsigned task_cpu(const struct task *t)
{
	return __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
}

uint64_t task_get_affinity(const struct task *t)
{
	return __atomic_load_n(&t->affinity, __ATOMIC_RELAXED) &
	       cpu_online_mask();
}

/*
 * Under t's queue lock: the new mask; a queued task that may no longer
 * stay is taken off its queue and placed again; one running where it may
 * no longer run is asked to switch (the switch pushes it elsewhere).
 */
int task_set_affinity(struct task *t, uint64_t mask)
{
	struct cpu *c;
	bool replace = false, resched = false;

	if (!(mask & cpu_online_mask()))
		return -EINVAL;
	c = task_rq_lock(t);
	__atomic_store_n(&t->affinity, mask, __ATOMIC_RELAXED);
	if (!task_allowed_on(t, c->id)) {
		if (t->queued) {
			runq_del(c, t);
			replace = true;
		} else if (t->on_cpu) {
			__atomic_store_n(&c->need_resched, true,
					 __ATOMIC_RELAXED);
			resched = true;
		}
	}
	spin_unlock(&c->rq.lock);
	if (replace)
		place_task(t, PLACE_PUSH);
	if (resched && t == task_current())
		schedule();
	else if (resched)
		hal_cpu_kick(c->id);
	return 0;
}
