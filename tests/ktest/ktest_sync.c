/*
 * In-kernel tests of synchronisation: spinlocks restore the interrupt
 * state, wait queues wake one or all, sleeping with a deadline times out,
 * mutexes exclude tasks that sleep while holding them, and completions
 * work with and without a deadline.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>

KTEST(sync, spinlock_restores_irq_state)
{
	struct spinlock a = SPINLOCK_INIT("a"), b;
	unsigned long irq;

	spin_init(&b, "b");
	KT_ASSERT(t, hal_irq_enabled());
	KT_EXPECT(t, !spin_held(&a));
	spin_lock(&a);
	KT_EXPECT(t, !hal_irq_enabled());
	KT_EXPECT(t, spin_held(&a));
	spin_lock(&b); /* nested: inner restores "disabled" */
	spin_unlock(&b);
	KT_EXPECT(t, !hal_irq_enabled());
	spin_unlock(&a);
	KT_EXPECT(t, hal_irq_enabled());
	KT_EXPECT(t, !spin_held(&a));

	/* Taken with interrupts already off: they stay off after. */
	irq = hal_irq_save();
	spin_lock(&a);
	spin_unlock(&a);
	KT_EXPECT(t, !hal_irq_enabled());
	hal_irq_restore(irq);
	KT_EXPECT(t, hal_irq_enabled());
}

/* Waiters that each consume one ticket per wake-up round. */
struct ticket_box {
	struct waitq wq;
	struct spinlock lock;
	int tickets;
	int started;
	int done;
};

static bool take_ticket(struct ticket_box *b)
{
	bool got = false;

	spin_lock(&b->lock);
	if (b->tickets > 0) {
		b->tickets--;
		got = true;
	}
	spin_unlock(&b->lock);
	return got;
}

static void ticket_waiter(void *arg)
{
	struct ticket_box *b = arg;

	b->started++;
	WAITQ_WAIT_EVENT(&b->wq, take_ticket(b));
	b->done++;
}

static void give_tickets(struct ticket_box *b, int n)
{
	spin_lock(&b->lock);
	b->tickets += n;
	spin_unlock(&b->lock);
}

/*
 * Lets every runnable task run until it blocks again. The run queue is
 * round-robin (sched.yield_is_round_robin), so one yield runs everything
 * queued before us; a sleep would depend on the host not stalling the
 * machine past its deadline.
 */
static void let_others_run(void)
{
	task_yield();
}

KTEST(sync, waitq_wake_one_then_all)
{
	struct ticket_box b = { .tickets = 0 };
	struct task *w[3];

	waitq_init(&b.wq, "tickets");
	spin_init(&b.lock, "tickets");
	KT_EXPECT_EQ(t, waitq_wake_one(&b.wq), 0); /* nobody waits */
	KT_EXPECT_EQ(t, waitq_wake_all(&b.wq), 0);
	for (int i = 0; i < 3; i++) {
		w[i] = task_spawn("waiter", ticket_waiter, &b);
		KT_ASSERT(t, w[i] != NULL);
	}
	let_others_run();
	KT_EXPECT_EQ(t, b.started, 3);
	KT_EXPECT_EQ(t, b.done, 0);

	give_tickets(&b, 1);
	KT_EXPECT_EQ(t, waitq_wake_one(&b.wq), 1);
	let_others_run();
	KT_EXPECT_EQ(t, b.done, 1);

	give_tickets(&b, 2);
	KT_EXPECT_EQ(t, waitq_wake_all(&b.wq), 2);
	for (int i = 0; i < 3; i++) {
		task_join(w[i]);
		task_put(w[i]);
	}
	KT_EXPECT_EQ(t, b.done, 3);
	KT_EXPECT_EQ(t, b.tickets, 0);
}

KTEST(sync, waitq_spurious_wake_rechecks)
{
	struct ticket_box b = { .tickets = 0 };
	struct task *w;

	waitq_init(&b.wq, "tickets");
	spin_init(&b.lock, "tickets");
	w = task_spawn("waiter", ticket_waiter, &b);
	KT_ASSERT(t, w != NULL);
	let_others_run();
	/* A wake-up without a ticket: the waiter must go back to sleep. */
	KT_EXPECT_EQ(t, waitq_wake_all(&b.wq), 1);
	let_others_run();
	KT_EXPECT_EQ(t, b.done, 0);
	give_tickets(&b, 1);
	KT_EXPECT_EQ(t, waitq_wake_one(&b.wq), 1);
	task_join(w);
	task_put(w);
	KT_EXPECT_EQ(t, b.done, 1);
}

KTEST(sync, waitq_sleep_until_times_out)
{
	struct waitq wq;
	struct waiter w;
	uint64_t start = time_now_ns(), deadline = start + 5 * NSEC_PER_MSEC;
	int ret = 0;

	waitq_init(&wq, "timeout");
	for (;;) {
		waitq_prepare(&wq, &w);
		ret = waitq_sleep_until(&w, deadline);
		if (ret)
			break;
	}
	waitq_finish(&wq, &w);
	KT_EXPECT_EQ(t, ret, -ETIMEDOUT);
	KT_EXPECT(t, time_now_ns() >= deadline);
	KT_EXPECT_EQ(t, waitq_wake_all(&wq), 0); /* we left the queue */
}

struct mutex_shared {
	struct mutex m;
	int inside;
	int max_inside;
	int count;
	bool held_ok;
};

static void mutex_worker(void *arg)
{
	struct mutex_shared *s = arg;

	for (int i = 0; i < 5; i++) {
		mutex_lock(&s->m);
		if (!mutex_held(&s->m))
			s->held_ok = false;
		s->inside++;
		if (s->inside > s->max_inside)
			s->max_inside = s->inside;
		sleep_ns(NSEC_PER_MSEC); /* others run and must block */
		s->count++;
		s->inside--;
		mutex_unlock(&s->m);
		task_yield();
	}
}

KTEST(sync, mutex_excludes_sleeping_holders)
{
	struct mutex_shared s = { .held_ok = true };
	struct task *w[3];

	mutex_init(&s.m, "shared");
	for (int i = 0; i < 3; i++) {
		w[i] = task_spawn("locker", mutex_worker, &s);
		KT_ASSERT(t, w[i] != NULL);
	}
	for (int i = 0; i < 3; i++) {
		task_join(w[i]);
		task_put(w[i]);
	}
	KT_EXPECT_EQ(t, s.count, 15);
	KT_EXPECT_EQ(t, s.max_inside, 1);
	KT_EXPECT(t, s.held_ok);
	KT_EXPECT(t, !mutex_held(&s.m));
}

struct mutex_holder {
	struct mutex m;
	struct completion taken;   /* the holder owns m */
	struct completion release; /* the test lets it go */
};

/* Holds the mutex until told to release it: no timing involved. */
static void hold_mutex_until_released(void *arg)
{
	struct mutex_holder *h = arg;

	mutex_lock(&h->m);
	complete(&h->taken);
	wait_for_completion(&h->release);
	mutex_unlock(&h->m);
}

KTEST(sync, mutex_trylock)
{
	struct mutex_holder h;
	struct task *holder;

	mutex_init(&h.m, "try");
	completion_init(&h.taken);
	completion_init(&h.release);
	KT_EXPECT(t, mutex_trylock(&h.m));
	KT_EXPECT(t, mutex_held(&h.m));
	mutex_unlock(&h.m);
	KT_EXPECT(t, !mutex_held(&h.m));

	holder = task_spawn("holder", hold_mutex_until_released, &h);
	KT_ASSERT(t, holder != NULL);
	wait_for_completion(&h.taken);
	KT_EXPECT(t, !mutex_trylock(&h.m));
	KT_EXPECT(t, !mutex_held(&h.m));
	complete(&h.release);
	mutex_lock(&h.m); /* sleeps until the holder lets go */
	KT_EXPECT(t, mutex_held(&h.m));
	mutex_unlock(&h.m);
	task_join(holder);
	task_put(holder);
}

struct completion_probe {
	struct completion c;
	bool passed;
};

static void completion_waiter(void *arg)
{
	struct completion_probe *p = arg;

	wait_for_completion(&p->c);
	p->passed = true;
}

KTEST(sync, completion_wakes_waiter)
{
	struct completion_probe p = { .passed = false };
	struct task *w;

	completion_init(&p.c);
	w = task_spawn("waiter", completion_waiter, &p);
	KT_ASSERT(t, w != NULL);
	let_others_run();
	KT_EXPECT(t, !p.passed);
	complete(&p.c);
	task_join(w);
	task_put(w);
	KT_EXPECT(t, p.passed);
}

KTEST(sync, completion_counts)
{
	struct completion c;

	completion_init(&c);
	complete(&c);
	complete(&c);
	/* Two completions, two waits that do not block, then a timeout. */
	KT_EXPECT_EQ(t, wait_for_completion_until(&c, time_now_ns()), 0);
	KT_EXPECT_EQ(t, wait_for_completion_until(&c, time_now_ns()), 0);
	KT_EXPECT_EQ(t, wait_for_completion_until(&c, time_now_ns()),
		     -ETIMEDOUT);
	complete_all(&c);
	for (int i = 0; i < 5; i++)
		wait_for_completion(&c);
	KT_EXPECT_EQ(t, wait_for_completion_until(&c, 0), 0);
}

KTEST(sync, completion_timeout)
{
	struct completion c;
	uint64_t deadline = time_now_ns() + 5 * NSEC_PER_MSEC;

	completion_init(&c);
	KT_EXPECT_EQ(t, wait_for_completion_until(&c, deadline), -ETIMEDOUT);
	KT_EXPECT(t, time_now_ns() >= deadline);
}

static void complete_later(void *arg)
{
	sleep_ns(2 * NSEC_PER_MSEC);
	complete(arg);
}

KTEST(sync, completion_before_deadline)
{
	struct completion c;
	struct task *w;

	completion_init(&c);
	w = task_spawn("completer", complete_later, &c);
	KT_ASSERT(t, w != NULL);
	KT_EXPECT_EQ(t, wait_for_completion_until(&c, time_now_ns() +
							   10 * NSEC_PER_SEC),
		     0);
	task_join(w);
	task_put(w);
}
