/*
 * In-kernel tests of interruptible waits and task notification: a
 * notification ends interruptible sleeps (timed, on wait queues, on
 * completions, on wait sets) with -EINTR and reports the time left, a
 * timeout still fires, uninterruptible sleeps ignore notifications, one
 * task waits on three queues and is woken by any of them and then is on
 * none, and requeue moves sleepers to a queue whose wake-ups reach them.
 *
 * Ordering is made with task_yield: the run queue is round-robin, so one
 * yield lets every task queued before us run until it blocks. No test
 * depends on how long anything takes; the long sleeps only ever end by
 * notification (a failure would show as a wrong result, late).
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>

#define LONG_SLEEP_NS (60 * NSEC_PER_SEC)

static void let_others_run(void)
{
	task_yield();
}

/* ---- Timed sleeps ----------------------------------------------------- */

struct sleeper {
	uint64_t start, end; /* around the sleep */
	uint64_t left;
	int err;
	bool done;
	bool pending_after; /* the flag outlives the sleep it ended */
};

static void sleep_long(void *arg)
{
	struct sleeper *s = arg;

	s->start = time_now_ns();
	s->err = sleep_ns_interruptible(LONG_SLEEP_NS, &s->left);
	s->end = time_now_ns();
	s->pending_after = task_notify_pending(task_current());
	task_notify_clear();
	s->done = true;
}

KTEST(wait, notify_interrupts_timed_sleep_with_time_left)
{
	struct sleeper s = { .err = 1 };
	struct task *w = task_spawn("sleeper", sleep_long, &s);

	KT_ASSERT(t, w != NULL);
	let_others_run(); /* it sleeps now */
	KT_EXPECT(t, !s.done);
	task_notify(w);
	task_join(w);
	KT_EXPECT_EQ(t, s.err, -EINTR);
	KT_EXPECT(t, s.pending_after);
	/* What was left is what remained of the deadline when it woke:
	 * between deadline - end and deadline - start, never more than
	 * was asked for. */
	KT_EXPECT(t, s.left <= LONG_SLEEP_NS);
	KT_EXPECT(t, s.left + (s.end - s.start) >= LONG_SLEEP_NS);
	KT_EXPECT(t, s.left > 0);
	task_put(w);
}

KTEST(wait, pending_notification_fails_interruptible_sleep_at_once)
{
	struct task *self = task_current();
	uint64_t left = 0, before, after;

	KT_EXPECT(t, !task_notify_pending(self));
	task_notify(self);
	KT_EXPECT(t, task_notify_pending(self));
	before = time_now_ns();
	KT_EXPECT_EQ(t, sleep_ns_interruptible(LONG_SLEEP_NS, &left), -EINTR);
	after = time_now_ns();
	KT_EXPECT(t, left <= LONG_SLEEP_NS);
	KT_EXPECT(t, left + (after - before) >= LONG_SLEEP_NS);
	/* Still pending: every interruptible sleep fails until cleared. */
	KT_EXPECT_EQ(t, sleep_until_interruptible(WAIT_FOREVER), -EINTR);
	KT_EXPECT(t, task_notify_clear());
	KT_EXPECT(t, !task_notify_clear());
	KT_EXPECT(t, !task_notify_pending(self));
}

KTEST(wait, timeout_fires_after_notification_cleared)
{
	struct task *self = task_current();
	uint64_t deadline, left = 1;
	struct waitq wq;

	task_notify(self);
	task_notify_clear();
	deadline = time_now_ns() + 2 * NSEC_PER_MSEC;
	KT_EXPECT_EQ(t, sleep_until_interruptible(deadline), 0);
	KT_EXPECT(t, time_now_ns() >= deadline);
	KT_EXPECT_EQ(t, sleep_ns_interruptible(NSEC_PER_MSEC, &left), 0);
	KT_EXPECT_EQ(t, left, 0);
	KT_EXPECT_EQ(t, time_left_ns(0), 0);

	waitq_init(&wq, "timeout");
	deadline = time_now_ns() + 2 * NSEC_PER_MSEC;
	KT_EXPECT_EQ(t, WAITQ_WAIT_EVENT_UNTIL(&wq, false, WAIT_INTERRUPTIBLE,
					       deadline),
		     -ETIMEDOUT);
	KT_EXPECT(t, time_now_ns() >= deadline);
	KT_EXPECT_EQ(t, waitq_wake_all(&wq), 0); /* it left the queue */
}

KTEST(wait, uninterruptible_sleep_ignores_notification)
{
	struct task *self = task_current();
	uint64_t start = time_now_ns();

	task_notify(self);
	sleep_ns(NSEC_PER_MSEC);
	KT_EXPECT(t, time_now_ns() - start >= NSEC_PER_MSEC);
	KT_EXPECT(t, task_notify_clear());
}

/* ---- Wait queues and completions ------------------------------------- */

struct event_waiter {
	struct waitq wq;
	struct completion c;
	bool cond;
	int err;
	bool done;
	bool interruptible;
};

static void wait_event_fn(void *arg)
{
	struct event_waiter *e = arg;

	if (e->interruptible)
		e->err = WAITQ_WAIT_EVENT_INTERRUPTIBLE(
			&e->wq, __atomic_load_n(&e->cond, __ATOMIC_ACQUIRE));
	else
		WAITQ_WAIT_EVENT(&e->wq,
				 __atomic_load_n(&e->cond, __ATOMIC_ACQUIRE));
	e->done = true;
}

static void wait_completion_fn(void *arg)
{
	struct event_waiter *e = arg;

	if (e->interruptible)
		e->err = wait_for_completion_interruptible(&e->c);
	else
		wait_for_completion(&e->c);
	e->done = true;
}

/* Starts fn on a fresh event_waiter e and lets it go to sleep. */
static struct task *start_waiter(struct event_waiter *e, task_fn fn,
				 bool interruptible)
{
	struct task *w;

	waitq_init(&e->wq, "event");
	completion_init(&e->c);
	e->cond = false;
	e->err = 1;
	e->done = false;
	e->interruptible = interruptible;
	w = task_spawn("waiter", fn, e);

	if (w)
		let_others_run();
	return w;
}

KTEST(wait, notify_interrupts_wait_event)
{
	struct event_waiter e;
	struct task *w = start_waiter(&e, wait_event_fn, true);

	KT_ASSERT(t, w != NULL);
	KT_EXPECT(t, !e.done);
	task_notify(w);
	task_join(w);
	KT_EXPECT_EQ(t, e.err, -EINTR);
	KT_EXPECT_EQ(t, waitq_wake_all(&e.wq), 0); /* it left the queue */
	task_put(w);
}

KTEST(wait, condition_wins_over_notification)
{
	struct event_waiter e;
	struct task *w = start_waiter(&e, wait_event_fn, true);

	KT_ASSERT(t, w != NULL);
	__atomic_store_n(&e.cond, true, __ATOMIC_RELEASE);
	waitq_wake_all(&e.wq);
	task_notify(w); /* before it runs again: both hold */
	task_join(w);
	KT_EXPECT_EQ(t, e.err, 0);
	task_put(w);
}

KTEST(wait, notify_leaves_uninterruptible_waits_asleep)
{
	struct event_waiter e;
	struct task *w = start_waiter(&e, wait_event_fn, false);

	KT_ASSERT(t, w != NULL);
	task_notify(w);
	let_others_run();
	KT_EXPECT(t, !e.done);
	__atomic_store_n(&e.cond, true, __ATOMIC_RELEASE);
	waitq_wake_all(&e.wq);
	task_join(w);
	KT_EXPECT(t, e.done);
	KT_EXPECT(t, task_notify_pending(w)); /* not consumed by the wait */
	task_put(w);

	w = start_waiter(&e, wait_completion_fn, false);
	KT_ASSERT(t, w != NULL);
	task_notify(w);
	let_others_run();
	KT_EXPECT(t, !e.done);
	complete(&e.c);
	task_join(w);
	KT_EXPECT(t, e.done);
	task_put(w);
}

KTEST(wait, notify_interrupts_completion_wait)
{
	struct event_waiter e;
	struct task *w = start_waiter(&e, wait_completion_fn, true);
	uint64_t deadline;

	KT_ASSERT(t, w != NULL);
	KT_EXPECT(t, !e.done);
	task_notify(w);
	task_join(w);
	KT_EXPECT_EQ(t, e.err, -EINTR);
	task_put(w);

	/* A completion that came is still taken, and a deadline fires. */
	completion_init(&e.c);
	complete(&e.c);
	KT_EXPECT_EQ(t, wait_for_completion_interruptible(&e.c), 0);
	deadline = time_now_ns() + NSEC_PER_MSEC;
	KT_EXPECT_EQ(t, wait_for_completion_interruptible_until(&e.c,
								 deadline),
		     -ETIMEDOUT);
	KT_EXPECT(t, time_now_ns() >= deadline);
}

/* ---- Wait sets ---------------------------------------------------------- */

#define NQUEUES 3

struct multi_waiter {
	struct waitq q[NQUEUES];
	bool ready[NQUEUES];
	bool fired[NQUEUES]; /* which entries the wake-up went through */
	int woken_by;        /* the ready queue found, or -1 */
	int err;
	unsigned sleeps;
	bool done;
};

static int ready_queue(struct multi_waiter *m)
{
	for (int i = 0; i < NQUEUES; i++)
		if (__atomic_load_n(&m->ready[i], __ATOMIC_ACQUIRE))
			return i;
	return -1;
}

/* poll() in miniature: one entry per queue, sleep until one is ready. */
static void wait_three(void *arg)
{
	struct multi_waiter *m = arg;
	struct waitset_entry e[NQUEUES];
	struct waitset ws;

	waitset_init(&ws);
	for (int i = 0; i < NQUEUES; i++)
		waitset_add(&ws, &e[i], &m->q[i], NULL);
	for (;;) {
		m->woken_by = ready_queue(m);
		if (m->woken_by >= 0)
			break;
		m->sleeps++;
		m->err = waitset_sleep(&ws, WAIT_INTERRUPTIBLE, WAIT_FOREVER);
		if (m->err)
			break;
	}
	for (int i = 0; i < NQUEUES; i++)
		m->fired[i] = waitset_entry_fired(&e[i]);
	waitset_finish(&ws);
	m->done = true;
}

static struct task *start_multi(struct multi_waiter *m)
{
	struct task *w;

	*m = (struct multi_waiter){ .woken_by = -1, .err = 1 };
	for (int i = 0; i < NQUEUES; i++)
		waitq_init(&m->q[i], "multi");
	w = task_spawn("multi", wait_three, m);

	if (w)
		let_others_run();
	return w;
}

KTEST(wait, any_of_three_queues_wakes_and_all_are_left)
{
	for (int k = 0; k < NQUEUES; k++) {
		struct multi_waiter m;
		struct task *w = start_multi(&m);

		KT_ASSERT(t, w != NULL);
		KT_EXPECT(t, !m.done);
		KT_EXPECT_EQ(t, m.sleeps, 1);
		__atomic_store_n(&m.ready[k], true, __ATOMIC_RELEASE);
		KT_EXPECT_EQ(t, waitq_wake_one(&m.q[k]), 1);
		task_join(w);
		KT_EXPECT_EQ(t, m.woken_by, k);
		KT_EXPECT_EQ(t, m.err, 0);
		KT_EXPECT_EQ(t, m.sleeps, 1);
		for (int i = 0; i < NQUEUES; i++) {
			KT_EXPECT_EQ(t, m.fired[i], i == k);
			/* Cleanly off every queue. */
			KT_EXPECT(t, list_empty(&m.q[i].waiters));
			KT_EXPECT_EQ(t, waitq_wake_all(&m.q[i]), 0);
		}
		task_put(w);
	}
}

KTEST(wait, wait_set_is_interruptible)
{
	struct multi_waiter m;
	struct task *w = start_multi(&m);

	KT_ASSERT(t, w != NULL);
	task_notify(w);
	task_join(w);
	KT_EXPECT_EQ(t, m.err, -EINTR);
	KT_EXPECT_EQ(t, m.woken_by, -1);
	for (int i = 0; i < NQUEUES; i++) {
		KT_EXPECT(t, !m.fired[i]);
		KT_EXPECT(t, list_empty(&m.q[i].waiters));
	}
	task_put(w);
}

/* Accepts only wake-ups whose key has bit 0 (a poll "readable" event). */
static bool only_key_bit0(struct waitset_entry *e, unsigned long key)
{
	(void)e;
	return key & 1;
}

KTEST(wait, wait_set_filter_and_early_wakeup_and_timeout)
{
	struct waitq q;
	struct waitset ws;
	struct waitset_entry e;
	uint64_t deadline;

	waitq_init(&q, "filtered");
	waitset_init(&ws);
	waitset_add(&ws, &e, &q, only_key_bit0);
	/* Declined: not counted, not fired; the sleep then times out. */
	KT_EXPECT_EQ(t, waitq_wake(&q, 1, 2), 0);
	KT_EXPECT(t, !waitset_entry_fired(&e));
	deadline = time_now_ns() + NSEC_PER_MSEC;
	KT_EXPECT_EQ(t, waitset_sleep(&ws, 0, deadline), -ETIMEDOUT);
	KT_EXPECT(t, time_now_ns() >= deadline);
	/* Accepted before the sleep: the sleep returns at once, once. */
	KT_EXPECT_EQ(t, waitq_wake(&q, 1, 3), 1);
	KT_EXPECT(t, waitset_entry_fired(&e));
	KT_EXPECT_EQ(t, waitset_sleep(&ws, 0, WAIT_FOREVER), 0);
	deadline = time_now_ns() + NSEC_PER_MSEC;
	KT_EXPECT_EQ(t, waitset_sleep(&ws, 0, deadline), -ETIMEDOUT);
	waitset_finish(&ws);
	KT_EXPECT(t, list_empty(&q.waiters));
	KT_EXPECT_EQ(t, waitq_wake_all(&q), 0);
}

/* ---- Requeue ------------------------------------------------------------ */

struct requeue_box {
	struct waitq from, to;
	unsigned order[3]; /* waiter indices in the order they woke */
	unsigned nwoken;
	int err[3];
	bool interruptible;
};

struct requeue_waiter {
	struct requeue_box *box;
	unsigned index;
};

/* A futex waiter in miniature: one sleep, whichever queue ends it. */
static void requeue_waiter_fn(void *arg)
{
	struct requeue_waiter *rw = arg;
	struct requeue_box *b = rw->box;
	struct waiter w;

	waitq_prepare_flags(&b->from, &w,
			    b->interruptible ? WAIT_INTERRUPTIBLE : 0);
	b->err[rw->index] = waitq_sleep(&w);
	waitq_finish(&b->from, &w);
	b->order[b->nwoken++] = rw->index;
}

static void requeue_box_init(struct requeue_box *b, bool interruptible)
{
	*b = (struct requeue_box){ .interruptible = interruptible };
	waitq_init(&b->from, "from");
	waitq_init(&b->to, "to");
}

KTEST(wait, requeue_moves_waiters_to_the_new_queue)
{
	struct requeue_box b;
	struct requeue_waiter rw[3];
	struct task *w[3];
	unsigned moved = 99;

	requeue_box_init(&b, false);
	for (unsigned i = 0; i < 3; i++) {
		rw[i] = (struct requeue_waiter){ &b, i };
		w[i] = task_spawn("futex", requeue_waiter_fn, &rw[i]);
		KT_ASSERT(t, w[i] != NULL);
	}
	let_others_run(); /* all three sleep on from, in order */
	KT_EXPECT_EQ(t, waitq_requeue(&b.from, &b.to, 1, 5, &moved), 1);
	KT_EXPECT_EQ(t, moved, 2);
	let_others_run();
	KT_EXPECT_EQ(t, b.nwoken, 1);
	KT_EXPECT_EQ(t, b.order[0], 0); /* the first sleeper, woken */
	/* The moved ones are not on from any more, but on to. */
	KT_EXPECT_EQ(t, waitq_wake_all(&b.from), 0);
	let_others_run();
	KT_EXPECT_EQ(t, b.nwoken, 1);
	KT_EXPECT_EQ(t, waitq_wake_all(&b.to), 2);
	for (unsigned i = 0; i < 3; i++) {
		task_join(w[i]);
		task_put(w[i]);
		KT_EXPECT_EQ(t, b.err[i], 0);
	}
	KT_EXPECT_EQ(t, b.nwoken, 3);
	KT_EXPECT_EQ(t, b.order[1], 1); /* FIFO kept on the new queue */
	KT_EXPECT_EQ(t, b.order[2], 2);
	KT_EXPECT_EQ(t, waitq_requeue(&b.from, &b.to, 1, 1, NULL), 0);
}

KTEST(wait, requeued_waiter_interrupted_leaves_the_new_queue)
{
	struct requeue_box b;
	struct requeue_waiter rw = { &b, 0 };
	struct task *w;
	unsigned moved = 0;

	requeue_box_init(&b, true);
	w = task_spawn("futex", requeue_waiter_fn, &rw);
	KT_ASSERT(t, w != NULL);
	let_others_run();
	KT_EXPECT_EQ(t, waitq_requeue(&b.from, &b.to, 0, 1, &moved), 0);
	KT_EXPECT_EQ(t, moved, 1);
	task_notify(w);
	task_join(w);
	KT_EXPECT_EQ(t, b.err[0], -EINTR);
	KT_EXPECT(t, list_empty(&b.to.waiters));
	KT_EXPECT(t, list_empty(&b.from.waiters));
	task_put(w);
}
