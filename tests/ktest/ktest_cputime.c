/*
 * In-kernel tests of CPU-time accounting in kernel mode: a kernel busy
 * loop grows system time (by at least as long as it ran, since kernel
 * code is not preempted) and no user time, a sleeping task grows neither,
 * a dead task's times are frozen; CPU-time timers fire once the task has
 * burnt that much CPU, never for a sleeping task, user-time timers never
 * while in the kernel; arming fails cleanly. User-time growth is tested
 * in ktest_user.c, with the user code there.
 */
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>

/* A hang guard for loops that wait on CPU time, not a timing check. */
#define GIVE_UP_NS (60 * NSEC_PER_SEC)

/* Spins in the kernel until ns of monotonic time have passed. */
static void busy_loop_ns(uint64_t ns)
{
	uint64_t start = time_now_ns();

	while (time_now_ns() - start < ns)
		;
}

KTEST(cputime, kernel_busy_loop_grows_system_time)
{
	struct task *self = task_current();
	uint64_t u0, s0, u1, s1, start, ran;

	task_cpu_times(self, &u0, &s0);
	start = time_now_ns();
	busy_loop_ns(3 * NSEC_PER_MSEC);
	ran = time_now_ns() - start;
	task_cpu_times(self, &u1, &s1);
	/* Not preempted: every nanosecond of the loop was ours. */
	KT_EXPECT(t, s1 - s0 >= ran);
	KT_EXPECT_EQ(t, u1, u0); /* a kernel task never runs user code */
	KT_EXPECT_EQ(t, u1, 0);
}

struct sleeper {
	struct completion go;
	bool started;
};

static void sleeper_fn(void *arg)
{
	struct sleeper *s = arg;

	__atomic_store_n(&s->started, true, __ATOMIC_RELEASE);
	wait_for_completion(&s->go);
}

/* Spawns a sleeper and returns once it sleeps: it gives up the CPU only
 * by blocking, so once it has started and we run again, it is asleep. */
static struct task *spawn_sleeper(struct sleeper *s)
{
	struct task *task;

	*s = (struct sleeper){ .started = false };
	completion_init(&s->go);
	task = task_spawn("cpu-sleeper", sleeper_fn, s);
	if (!task)
		return NULL;
	while (!__atomic_load_n(&s->started, __ATOMIC_ACQUIRE))
		task_yield();
	task_yield();
	return task;
}

static void end_sleeper(struct sleeper *s, struct task *task)
{
	complete(&s->go);
	task_join(task);
	task_put(task);
}

KTEST(cputime, sleeping_task_grows_no_time)
{
	struct sleeper s;
	struct task *task = spawn_sleeper(&s);
	uint64_t u0, s0, u1, s1;

	KT_ASSERT(t, task != NULL);
	task_cpu_times(task, &u0, &s0);
	sleep_ns(5 * NSEC_PER_MSEC);
	busy_loop_ns(NSEC_PER_MSEC);
	task_cpu_times(task, &u1, &s1);
	KT_EXPECT_EQ(t, u1, u0);
	KT_EXPECT_EQ(t, s1, s0);
	KT_EXPECT(t, s0 > 0); /* it did run, briefly */
	end_sleeper(&s, task);
}

static void quick_fn(void *arg)
{
	(void)arg;
	busy_loop_ns(NSEC_PER_MSEC);
}

KTEST(cputime, dead_task_times_are_frozen)
{
	struct task *task = task_spawn("cpu-quick", quick_fn, NULL);
	uint64_t u0, s0, u1, s1;

	KT_ASSERT(t, task != NULL);
	task_join(task);
	sleep_ns(NSEC_PER_MSEC); /* let it be switched away from for good */
	task_cpu_times(task, &u0, &s0);
	busy_loop_ns(NSEC_PER_MSEC);
	task_cpu_times(task, &u1, &s1);
	KT_EXPECT(t, s0 >= NSEC_PER_MSEC); /* its busy loop */
	KT_EXPECT_EQ(t, s1, s0);
	KT_EXPECT_EQ(t, u1, u0);
	task_put(task);
}

struct fire_probe {
	unsigned fired;
	uint64_t value_at_fire; /* the timer's clock when it fired */
};

static void probe_fn(struct cputimer *ct, void *arg)
{
	struct fire_probe *p = arg;
	uint64_t user, sys;

	task_cpu_times(ct->task, &user, &sys);
	p->value_at_fire = ct->clock == CPUTIMER_USER ? user : user + sys;
	__atomic_add_fetch(&p->fired, 1, __ATOMIC_RELEASE);
}

static unsigned fired(struct fire_probe *p)
{
	return __atomic_load_n(&p->fired, __ATOMIC_ACQUIRE);
}

KTEST(cputime, prof_timer_fires_after_burning_cpu)
{
	struct task *self = task_current();
	struct fire_probe p = { 0, 0 };
	struct cputimer ct;
	uint64_t user, sys, expires, start;

	cputimer_init(&ct, probe_fn, &p);
	task_cpu_times(self, &user, &sys);
	expires = user + sys + 2 * NSEC_PER_MSEC;
	KT_ASSERT(t, cputimer_arm(&ct, self, CPUTIMER_PROF, expires) == 0);
	start = time_now_ns();
	while (!fired(&p) && time_now_ns() - start < GIVE_UP_NS)
		;
	KT_EXPECT_EQ(t, fired(&p), 1);
	KT_EXPECT(t, p.value_at_fire >= expires);
	KT_EXPECT(t, !ct.armed);
	KT_EXPECT(t, !cputimer_cancel(&ct)); /* already fired */
	busy_loop_ns(NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, fired(&p), 1); /* once */
}

KTEST(cputime, timer_never_fires_for_a_sleeping_task)
{
	struct fire_probe p = { 0, 0 };
	struct sleeper s;
	struct task *task = spawn_sleeper(&s);
	struct cputimer ct;
	uint64_t user, sys;

	KT_ASSERT(t, task != NULL);
	cputimer_init(&ct, probe_fn, &p);
	task_cpu_times(task, &user, &sys);
	KT_ASSERT(t, cputimer_arm(&ct, task, CPUTIMER_PROF,
				  user + sys + 1) == 0);
	/* Much more than 1 ns passes, on our CPU time and in sleep. */
	sleep_ns(10 * NSEC_PER_MSEC);
	busy_loop_ns(2 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, fired(&p), 0);
	KT_EXPECT(t, cputimer_cancel(&ct));
	end_sleeper(&s, task);
}

KTEST(cputime, user_timer_never_fires_in_the_kernel)
{
	struct fire_probe p = { 0, 0 };
	struct cputimer ct;

	cputimer_init(&ct, probe_fn, &p);
	KT_ASSERT(t, cputimer_arm(&ct, task_current(), CPUTIMER_USER, 1) == 0);
	busy_loop_ns(3 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, fired(&p), 0);
	KT_EXPECT(t, cputimer_cancel(&ct));
}

KTEST(cputime, rearm_replaces_and_cancel_stops)
{
	struct task *self = task_current();
	struct fire_probe p = { 0, 0 };
	struct cputimer ct;

	int err1, err2;

	cputimer_init(&ct, probe_fn, &p);
	/* Interrupts off: no tick can see the first expiry, already due,
	 * before the second arm moves it far away. */
	unsigned long irq = irq_save();
	err1 = cputimer_arm(&ct, self, CPUTIMER_PROF, 1);
	err2 = cputimer_arm(&ct, self, CPUTIMER_PROF, UINT64_MAX);
	irq_restore(irq);
	KT_EXPECT_EQ(t, err1, 0);
	KT_EXPECT_EQ(t, err2, 0);
	busy_loop_ns(2 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, fired(&p), 0);
	KT_EXPECT(t, ct.armed);
	KT_EXPECT(t, cputimer_cancel(&ct));
	KT_EXPECT(t, !cputimer_cancel(&ct));
}

KTEST(cputime, arm_rejects_bad_clock_and_dead_task)
{
	struct fire_probe p = { 0, 0 };
	struct task *task = task_spawn("cpu-quick", quick_fn, NULL);
	struct cputimer ct;

	KT_ASSERT(t, task != NULL);
	cputimer_init(&ct, probe_fn, &p);
	KT_EXPECT_EQ(t, cputimer_arm(&ct, task_current(),
				     (enum cputimer_clock)7, 1),
		     -EINVAL);
	KT_EXPECT(t, !ct.armed);
	task_join(task);
	KT_EXPECT_EQ(t, cputimer_arm(&ct, task, CPUTIMER_PROF, 1), -ESRCH);
	KT_EXPECT(t, !ct.armed);
	task_put(task);
}

KTEST(cputime, exit_disarms_timers)
{
	struct fire_probe p = { 0, 0 };
	struct sleeper s;
	struct task *task = spawn_sleeper(&s);
	struct cputimer ct;

	KT_ASSERT(t, task != NULL);
	cputimer_init(&ct, probe_fn, &p);
	KT_ASSERT(t, cputimer_arm(&ct, task, CPUTIMER_PROF, UINT64_MAX) == 0);
	end_sleeper(&s, task); /* joined and released: gone */
	KT_EXPECT(t, !ct.armed);
	KT_EXPECT(t, !cputimer_cancel(&ct));
	KT_EXPECT_EQ(t, fired(&p), 0);
}
