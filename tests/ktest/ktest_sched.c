/*
 * In-kernel tests of tasks and the scheduler: switching to new tasks,
 * round-robin order on yield, join, exit from deep inside a task, owners
 * and ids, that finished tasks give their memory back, and that a
 * reschedule pending on the way into user mode keeps the timer coming.
 */
#include <hal/hal.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/vm.h>

#include "sched/sched.h"

/* Runs fn(arg) in a task of its own to the end and drops the task;
 * false when there was no memory for it. */
static bool run_to_end(const char *name, task_fn fn, void *arg)
{
	struct task *w = task_spawn(name, fn, arg);

	if (!w)
		return false;
	task_join(w);
	task_put(w);
	return true;
}

struct switch_probe {
	struct task *self;
	bool ran;
};

static void probe_fn(void *arg)
{
	struct switch_probe *p = arg;

	p->self = task_current();
	p->ran = true;
}

KTEST(sched, switch_to_new_task)
{
	struct switch_probe p = { NULL, false };
	struct task *w = task_spawn("probe", probe_fn, &p);

	KT_ASSERT(t, w != NULL);
	KT_EXPECT(t, !p.ran); /* not preempted: it runs only when we block */
	task_join(w);
	KT_EXPECT(t, p.ran);
	KT_EXPECT(t, p.self == w);
	KT_EXPECT(t, p.self != task_current());
	KT_EXPECT(t, kstrcmp(task_name(w), "probe") == 0);
	task_put(w);
}

#define RR_TASKS 3
#define RR_ROUNDS 4

struct rr_log {
	char order[RR_TASKS * RR_ROUNDS + 1];
	unsigned len;
};

struct rr_arg {
	struct rr_log *log;
	char tag;
};

static void rr_fn(void *arg)
{
	struct rr_arg *a = arg;

	for (int i = 0; i < RR_ROUNDS; i++) {
		a->log->order[a->log->len++] = a->tag;
		task_yield();
	}
}

KTEST(sched, yield_is_round_robin)
{
	struct rr_log log = { { 0 }, 0 };
	struct rr_arg args[RR_TASKS];
	struct task *tasks[RR_TASKS];

	for (int i = 0; i < RR_TASKS; i++) {
		args[i] = (struct rr_arg){ &log, (char)('A' + i) };
		tasks[i] = task_spawn("rr", rr_fn, &args[i]);
		KT_ASSERT(t, tasks[i] != NULL);
	}
	for (int i = 0; i < RR_TASKS; i++) {
		task_join(tasks[i]);
		task_put(tasks[i]);
	}
	KT_EXPECT_EQ(t, log.len, RR_TASKS * RR_ROUNDS);
	if (kstrcmp(log.order, "ABCABCABCABC") != 0)
		ktest_fail_at(t, __FILE__, __LINE__, "order %s", log.order);
}

KTEST(sched, yield_alone_returns)
{
	struct task *self = task_current();

	task_yield();
	task_yield();
	KT_EXPECT(t, task_current() == self);
}

static void slow_fn(void *arg)
{
	sleep_ns(5 * NSEC_PER_MSEC);
	*(int *)arg = 42;
}

KTEST(sched, join_waits_for_exit)
{
	int value = 0;
	struct task *w = task_spawn("slow", slow_fn, &value);

	KT_ASSERT(t, w != NULL);
	task_join(w);
	KT_EXPECT_EQ(t, value, 42);
	task_join(w); /* joining an exited task returns at once */
	task_put(w);
}

static void deep_exit(int depth, int *reached)
{
	if (depth < 0)
		return;
	if (depth == 0) {
		*reached = 1;
		task_exit();
	}
	deep_exit(depth - 1, reached);
	*reached = -1; /* never: task_exit does not return */
}

static void exit_fn(void *arg)
{
	deep_exit(8, arg);
	*(int *)arg = -2;
}

KTEST(sched, exit_from_nested_calls)
{
	int reached = 0;

	KT_ASSERT(t, run_to_end("exiter", exit_fn, &reached));
	KT_EXPECT_EQ(t, reached, 1);
}

static void nop_fn(void *arg)
{
	(void)arg;
}

KTEST(sched, ids_unique_and_owner)
{
	struct task *a = task_create("a", nop_fn, NULL);
	struct task *b = task_create("b-with-a-rather-long-name-that-is-cut",
				     nop_fn, NULL);
	int owner;

	KT_ASSERT(t, a && b);
	KT_EXPECT(t, task_id(a) != task_id(b));
	KT_EXPECT(t, task_id(a) != task_id(task_current()));
	KT_EXPECT(t, kstrlen(task_name(b)) == TASK_NAME_MAX - 1);
	KT_EXPECT(t, task_owner(a) == NULL);
	task_set_owner(a, &owner);
	KT_EXPECT(t, task_owner(a) == &owner);
	KT_EXPECT(t, task_vm(a) == NULL);
	task_start(a);
	task_join(a);
	task_put(a);
	task_put(b); /* never started: freed right here */
}

KTEST(sched, finished_tasks_free_memory)
{
	size_t before, after;

	/* Warm up the heap's size classes first. */
	for (int i = 0; i < 4; i++)
		KT_ASSERT(t, run_to_end("warm", nop_fn, NULL));
	before = frames_free();
	for (int i = 0; i < 64; i++)
		KT_ASSERT(t, run_to_end("churn", nop_fn, NULL));
	task_yield(); /* lets the last one be reaped */
	after = frames_free();
	/* 64 leaked 16 KiB stacks would be 256 frames. */
	KT_EXPECT(t, after + 8 >= before);
}

KTEST(sched, many_tasks_at_once)
{
	enum { N = 32 };
	struct task *tasks[N];
	int done[N];

	for (int i = 0; i < N; i++) {
		done[i] = 0;
		tasks[i] = task_spawn("many", slow_fn, &done[i]);
		KT_ASSERT(t, tasks[i] != NULL);
	}
	for (int i = 0; i < N; i++) {
		task_join(tasks[i]);
		task_put(tasks[i]);
		KT_EXPECT_EQ(t, done[i], 42);
	}
}

/*
 * The slice can end after enter_user's last look at need_resched but
 * before hal_user_run reaches user mode (a vCPU descheduled in between).
 * The timer must then keep firing, or the task runs user code forever
 * with a reschedule pending (hangs of user spinners under a loaded TCG
 * host). Puts this CPU in that state, interrupts off, and asks for the
 * deadline: off in the kernel, which acts on need_resched itself; due
 * soon, not never, once in_user is set.
 */
KTEST(sched, pending_resched_on_the_way_to_user_keeps_the_timer_on)
{
	unsigned long irq = hal_irq_save();
	struct cpu *cpu = this_cpu();
	bool was_pending = task_should_yield();
	uint64_t now = hal_clock_ns(), in_kernel, in_user;

	sched_set_need_resched();
	in_kernel = sched_slice_deadline();
	__atomic_store_n(&cpu->in_user, true, __ATOMIC_RELAXED);
	in_user = sched_slice_deadline();
	__atomic_store_n(&cpu->in_user, false, __ATOMIC_RELAXED);
	__atomic_store_n(&cpu->need_resched, was_pending, __ATOMIC_RELAXED);
	hal_irq_restore(irq);
	KT_EXPECT_EQ(t, in_kernel, HAL_TIMER_OFF);
	KT_EXPECT(t, in_user != HAL_TIMER_OFF);
	KT_EXPECT(t, in_user > now);
	KT_EXPECT(t, in_user <= hal_clock_ns() + SCHED_SLICE_NS);
}
