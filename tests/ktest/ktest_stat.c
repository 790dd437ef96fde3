/*
 * In-kernel tests of the system-wide figures (<keel/stat.h>): every
 * CPU's counters and times only grow, idle time grows while this task
 * sleeps (its CPU then runs its idle task), a sleep is a context switch,
 * running tasks are counted, a user task in an uninterruptible sleep is
 * counted as blocked until it is woken and a kernel-only one never is;
 * and the load average's fixed-point arithmetic (loadavg.h) rises towards
 * a steady count, reaches it, decays to 0, with the 1-minute average
 * ahead of the 5- and 15-minute ones, over simulated periods (no real
 * 5-second waits). User time in a CPU's user column is tested in
 * ktest_user.c, with the user code there.
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/stat.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/vm.h>

#include "sched/loadavg.h"
#include "sched/sched.h"

/* A hang guard for loops that wait for a state, not a timing check. */
#define GIVE_UP_NS (60 * NSEC_PER_SEC)

static void sum_cpus(struct cpu_stat *sum)
{
	struct cpu_stat c;

	*sum = (struct cpu_stat){ .user_ns = 0 };
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu_stat(cpu, &c) != 0)
			continue;
		sum->user_ns += c.user_ns;
		sum->system_ns += c.system_ns;
		sum->idle_ns += c.idle_ns;
		sum->switches += c.switches;
		sum->interrupts += c.interrupts;
		sum->page_faults += c.page_faults;
	}
}

KTEST(stat, cpu_stat_rejects_a_cpu_that_is_not_online)
{
	struct cpu_stat c = { .user_ns = 7 };

	KT_EXPECT_EQ(t, cpu_stat(cpu_count(), &c), -EINVAL);
	KT_EXPECT_EQ(t, cpu_stat(~0u, &c), -EINVAL);
	KT_EXPECT_EQ(t, c.user_ns, 7);
	KT_EXPECT_EQ(t, cpu_stat(0, &c), 0);
}

KTEST(stat, counters_only_grow)
{
	struct cpu_stat a[HAL_MAX_CPUS], b;

	for (unsigned cpu = 0; cpu < cpu_count(); cpu++)
		KT_ASSERT(t, cpu_stat(cpu, &a[cpu]) == 0);
	sleep_ns(2 * NSEC_PER_MSEC);
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		KT_ASSERT(t, cpu_stat(cpu, &b) == 0);
		KT_EXPECT(t, b.user_ns >= a[cpu].user_ns);
		KT_EXPECT(t, b.system_ns >= a[cpu].system_ns);
		KT_EXPECT(t, b.idle_ns >= a[cpu].idle_ns);
		KT_EXPECT(t, b.switches >= a[cpu].switches);
		KT_EXPECT(t, b.interrupts >= a[cpu].interrupts);
		KT_EXPECT(t, b.page_faults >= a[cpu].page_faults);
	}
}

/* While this task sleeps its CPU has nothing else to run (nothing else
 * runs during the tests): that CPU's idle task runs and its idle time
 * grows. A sleep switches away and back: two context switches. */
KTEST(stat, sleep_grows_idle_time_and_switches)
{
	struct cpu_stat before, after;

	sum_cpus(&before);
	sleep_ns(5 * NSEC_PER_MSEC);
	sum_cpus(&after);
	KT_EXPECT(t, after.idle_ns > before.idle_ns);
	KT_EXPECT(t, after.switches >= before.switches + 2);
	KT_EXPECT(t, after.system_ns > before.system_ns); /* this task */
	KT_EXPECT(t, after.interrupts > before.interrupts); /* the wake-up */
}

/* A task created by yield_to_it: it only records that it ran. */
static void note_ran(void *arg)
{
	__atomic_store_n((bool *)arg, true, __ATOMIC_RELEASE);
}

KTEST(stat, yield_to_another_task_is_a_switch)
{
	struct cpu_stat before, after;
	bool ran = false;
	struct task *w;

	sum_cpus(&before);
	w = task_create("stat-yield", note_ran, &ran);
	KT_ASSERT(t, w != NULL);
	KT_ASSERT(t, task_set_affinity(w, 1ull << cpu_id()) == 0);
	task_start(w);
	while (!__atomic_load_n(&ran, __ATOMIC_ACQUIRE))
		task_yield(); /* w is queued here: the yield runs it */
	task_join(w);
	task_put(w);
	sum_cpus(&after);
	KT_EXPECT(t, after.switches >= before.switches + 2);
}

/* ---- Running and blocked tasks ---------------------------------------- */

struct spin_arg {
	bool stop;
};

static void yield_spin(void *arg)
{
	struct spin_arg *s = arg;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE))
		task_yield();
}

/* Waits (yielding) until nr_running is at least want; *st the last
 * figures; false if it never was before the hang guard. */
static bool wait_running_at_least(unsigned want, struct sched_stat *st)
{
	uint64_t start = time_now_ns();

	for (;;) {
		sched_stat(st);
		if (st->nr_running >= want)
			return true;
		if (time_now_ns() - start > GIVE_UP_NS)
			return false;
		task_yield();
	}
}

/*
 * Two yielding spinners and this task are running: the count shows at
 * least three (it may miss a task caught between queue and CPU, so the
 * test waits until it does not), and folding that count into averages
 * that start at 0 for a minute's worth of periods raises the 1-minute
 * one above the 5- and 15-minute ones, all above 0.
 */
KTEST(stat, spinners_are_running_and_raise_the_load)
{
	struct spin_arg s = { .stop = false };
	struct task *w[2];
	unsigned long avg[3] = { 0, 0, 0 };
	struct sched_stat st;
	bool seen;

	for (int i = 0; i < 2; i++) {
		w[i] = task_spawn("stat-spin", yield_spin, &s);
		KT_ASSERT(t, w[i] != NULL);
	}
	seen = wait_running_at_least(3, &st);
	__atomic_store_n(&s.stop, true, __ATOMIC_RELEASE);
	for (int i = 0; i < 2; i++) {
		task_join(w[i]);
		task_put(w[i]);
	}
	KT_ASSERT(t, seen);
	KT_EXPECT(t, st.nr_tasks >= st.nr_running);
	/* The count the timer would have sampled, for a minute. */
	loadavg_fold(avg, st.nr_running + st.nr_blocked, 12);
	KT_EXPECT(t, avg[0] > avg[1]);
	KT_EXPECT(t, avg[1] > avg[2]);
	KT_EXPECT(t, avg[2] > 0);
	KT_EXPECT(t, avg[0] > LOAD_FIXED_1); /* >= 3 * (1 - 1/e) ~ 1.9 */
}

struct sleeper {
	struct waitq wq;
	bool go;
};

static void sleep_until_go(void *arg)
{
	struct sleeper *s = arg;

	WAITQ_WAIT_EVENT(&s->wq, __atomic_load_n(&s->go, __ATOMIC_ACQUIRE));
}

/* Waits until w sleeps off its CPU; false at the hang guard. */
static bool wait_asleep(struct task *w)
{
	uint64_t start = time_now_ns();

	while (__atomic_load_n(&w->state, __ATOMIC_ACQUIRE) != TASK_SLEEPING ||
	       __atomic_load_n(&w->on_cpu, __ATOMIC_ACQUIRE)) {
		if (time_now_ns() - start > GIVE_UP_NS)
			return false;
		sleep_ns(NSEC_PER_MSEC);
	}
	return true;
}

static unsigned nr_blocked_now(void)
{
	struct sched_stat st;

	sched_stat(&st);
	return st.nr_blocked;
}

/* Starts a task sleeping uninterruptibly on s (with an address space
 * if user, so that it counts as a user task) and waits until it sleeps;
 * NULL if that failed (reported). */
static struct task *start_sleeper(struct ktest_ctx *t, struct sleeper *s,
				  bool user)
{
	struct task *w = task_create("stat-sleep", sleep_until_go, s);
	struct vm_space *vs;

	if (!w) {
		ktest_fail_at(t, __FILE__, __LINE__, "task_create");
		return NULL;
	}
	if (user) {
		vs = vm_space_create();
		if (vs) {
			task_set_vm(w, vs);
			vm_space_put(vs);
		}
	}
	task_start(w);
	if (!wait_asleep(w))
		ktest_fail_at(t, __FILE__, __LINE__, "never slept");
	return w;
}

static void wake_and_reap(struct sleeper *s, struct task *w)
{
	__atomic_store_n(&s->go, true, __ATOMIC_RELEASE);
	waitq_wake_all(&s->wq);
	task_join(w);
	task_put(w);
}

KTEST(stat, uninterruptible_user_sleeper_is_blocked_until_woken)
{
	struct sleeper s = { .go = false };
	unsigned before = nr_blocked_now(), during;
	struct task *w;

	waitq_init(&s.wq, "stat-sleep");
	w = start_sleeper(t, &s, true);
	KT_ASSERT(t, w != NULL);
	KT_ASSERT(t, task_vm(w) != NULL);
	during = nr_blocked_now();
	wake_and_reap(&s, w);
	KT_EXPECT_EQ(t, during, before + 1);
	KT_EXPECT_EQ(t, nr_blocked_now(), before);
}

KTEST(stat, kernel_only_sleeper_is_not_blocked)
{
	struct sleeper s = { .go = false };
	unsigned before = nr_blocked_now(), during;
	struct task *w;

	waitq_init(&s.wq, "stat-sleep");
	w = start_sleeper(t, &s, false);
	KT_ASSERT(t, w != NULL);
	during = nr_blocked_now();
	wake_and_reap(&s, w);
	KT_EXPECT_EQ(t, during, before);
}

/* ---- Load average arithmetic ----------------------------------------- */

KTEST(stat, load_calc_matches_linux)
{
	/* calc_load(0, EXP_1, 1.0): (2048 * 164 + 2047) / 2048 = 164. */
	KT_EXPECT_EQ(t, loadavg_calc(0, LOAD_EXP_1, LOAD_FIXED_1), 164);
	/* A steady count is a fixed point; so is 0. */
	KT_EXPECT_EQ(t, loadavg_calc(LOAD_FIXED_1, LOAD_EXP_5, LOAD_FIXED_1),
		     LOAD_FIXED_1);
	KT_EXPECT_EQ(t, loadavg_calc(0, LOAD_EXP_15, 0), 0);
	/* Falling from 1.0 with nothing active: 2048 * 1884 / 2048. */
	KT_EXPECT_EQ(t, loadavg_calc(LOAD_FIXED_1, LOAD_EXP_1, 0), 1884);
}

KTEST(stat, load_rises_to_a_steady_count_and_decays_to_zero)
{
	unsigned long avg[3] = { 0, 0, 0 }, prev[3];
	bool rising = true, falling = true;

	/* One minute of one task: 1 - 1/e = 0.632 for the 1-minute one. */
	loadavg_fold(avg, 1, 12);
	KT_EXPECT(t, avg[0] >= 1270 && avg[0] <= 1310);
	for (int p = 0; p < 2000; p++) {
		for (int i = 0; i < 3; i++)
			prev[i] = avg[i];
		loadavg_fold(avg, 2, 1);
		for (int i = 0; i < 3; i++)
			rising = rising && avg[i] >= prev[i];
	}
	KT_EXPECT(t, rising);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, avg[i], 2 * LOAD_FIXED_1);
	for (int p = 0; p < 3000; p++) {
		for (int i = 0; i < 3; i++)
			prev[i] = avg[i];
		loadavg_fold(avg, 0, 1);
		for (int i = 0; i < 3; i++)
			falling = falling && avg[i] <= prev[i];
	}
	KT_EXPECT(t, falling);
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, avg[i], 0);
}

KTEST(stat, fold_of_many_periods_is_capped_not_looped_forever)
{
	unsigned long avg[3] = { 0, 0, 0 };

	loadavg_fold(avg, 4, UINT64_MAX); /* returns: capped */
	for (int i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, avg[i], 4 * LOAD_FIXED_1);
}
