/*
 * Unit tests of wait-queue bookkeeping (core/sync/waitq.c) with callback
 * entries only, so that no task sleeps: which entries a wake-up reaches
 * and how they are counted (non-exclusive ones always, exclusive ones up
 * to nr, a declining callback using nothing up), the key reaching the
 * callbacks, removal (once, from inside a callback too), and requeue
 * moving exclusive entries, in order, to a queue whose wake-ups then
 * reach them. Sleeping, notification and wait sets are tested in the
 * kernel (tests/ktest/ktest_wait.c).
 */
#include "unit.h"

#include <keel/sync.h>

struct probe {
	struct waiter w;
	unsigned calls;
	unsigned long last_key;
	bool accept;
	bool one_shot; /* takes itself off the queue when called */
	unsigned *log, *nlog, id; /* order of calls across probes */
};

static bool probe_fn(struct waiter *w, unsigned long key)
{
	struct probe *p = container_of(w, struct probe, w);

	p->calls++;
	p->last_key = key;
	if (p->log)
		p->log[(*p->nlog)++] = p->id;
	if (p->one_shot)
		waitq_remove_locked(w);
	return p->accept;
}

static unsigned call_log[16], ncalls;

/* n probes, all accepting, logging into call_log with ids 0..n-1. */
static void probes_init(struct probe *p, unsigned n, bool exclusive)
{
	for (unsigned i = 0; i < n; i++) {
		p[i] = (struct probe){ .accept = true, .log = call_log,
				       .nlog = &ncalls, .id = i };
		waiter_init(&p[i].w, probe_fn, exclusive);
	}
}

static void setup(void)
{
	ncalls = 0;
}

START_TEST(non_exclusive_entries_see_every_wakeup)
{
	struct waitq q;
	struct probe p[3];

	waitq_init(&q, "q");
	ck_assert_uint_eq(waitq_wake_all(&q), 0);
	probes_init(p, 3, false);
	for (int i = 0; i < 3; i++)
		waitq_add(&q, &p[i].w);
	ck_assert_uint_eq(waitq_wake_one(&q), 3); /* nr limits exclusives */
	ck_assert_uint_eq(waitq_wake(&q, 0, 0x41), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(p[i].calls, 2);
		ck_assert_uint_eq(p[i].last_key, 0x41);
		ck_assert(p[i].w.woken);
	}
	ck_assert_uint_eq(ncalls, 6);
	ck_assert_uint_eq(call_log[0], 0); /* queue order */
	ck_assert_uint_eq(call_log[2], 2);
	for (int i = 0; i < 3; i++)
		ck_assert(waitq_remove(&p[i].w));
	ck_assert(list_empty(&q.waiters));
}
END_TEST

START_TEST(exclusive_entries_are_counted_against_nr)
{
	struct waitq q;
	struct probe p[4], watcher;

	waitq_init(&q, "q");
	probes_init(p, 4, true);
	p[0].accept = false; /* declines: does not use up the wake-up */
	probes_init(&watcher, 1, false);
	watcher.id = 9;
	for (int i = 0; i < 4; i++)
		waitq_add(&q, &p[i].w);
	waitq_add(&q, &watcher.w); /* behind every exclusive entry */
	ck_assert_uint_eq(waitq_wake(&q, 1, 0), 2); /* p[1] and watcher */
	ck_assert_uint_eq(p[0].calls, 1);
	ck_assert_uint_eq(p[1].calls, 1);
	ck_assert_uint_eq(p[2].calls, 0);
	ck_assert_uint_eq(watcher.calls, 1);
	ck_assert(!p[0].w.woken);
	ck_assert(p[1].w.woken);
	ck_assert_uint_eq(waitq_wake(&q, 2, 0), 3); /* p[1], p[2], watcher */
	ck_assert_uint_eq(p[3].calls, 0);
	ck_assert_uint_eq(waitq_wake_all(&q), 4);
	ck_assert_uint_eq(p[3].calls, 1);
	for (int i = 0; i < 4; i++)
		waitq_remove(&p[i].w);
	waitq_remove(&watcher.w);
}
END_TEST

/* A sync wake-up only says where woken sleepers go: callbacks see it as
 * any other, counted the same way, with the key. */
START_TEST(sync_wakeup_counts_and_calls_as_a_plain_one)
{
	struct waitq q;
	struct probe p[3];

	waitq_init(&q, "q");
	probes_init(p, 3, true);
	p[0].accept = false;
	for (int i = 0; i < 3; i++)
		waitq_add(&q, &p[i].w);
	ck_assert_uint_eq(waitq_wake_sync(&q, 1, 0x7), 1); /* p[1] */
	ck_assert_uint_eq(p[0].calls, 1);
	ck_assert_uint_eq(p[1].calls, 1);
	ck_assert_uint_eq(p[1].last_key, 0x7);
	ck_assert_uint_eq(p[2].calls, 0);
	ck_assert_uint_eq(waitq_wake_sync(&q, UINT32_MAX, 0), 2);
	ck_assert_uint_eq(p[2].calls, 1);
	for (int i = 0; i < 3; i++)
		ck_assert(waitq_remove(&p[i].w));
}
END_TEST

START_TEST(removal_happens_once_and_stops_callbacks)
{
	struct waitq q;
	struct probe p[2];

	waitq_init(&q, "q");
	probes_init(p, 2, false);
	ck_assert(!waitq_remove(&p[0].w)); /* never queued */
	waitq_add(&q, &p[0].w);
	waitq_add(&q, &p[1].w);
	ck_assert(waitq_remove(&p[0].w));
	ck_assert(!waitq_remove(&p[0].w));
	ck_assert_uint_eq(waitq_wake_all(&q), 1);
	ck_assert_uint_eq(p[0].calls, 0);
	ck_assert_uint_eq(p[1].calls, 1);
	/* A removed entry may be queued again. */
	waitq_add(&q, &p[0].w);
	ck_assert_uint_eq(waitq_wake_all(&q), 2);
	waitq_remove(&p[0].w);
	waitq_remove(&p[1].w);
	ck_assert(list_empty(&q.waiters));
}
END_TEST

START_TEST(callback_may_take_itself_off)
{
	struct waitq q;
	struct probe p[3];

	waitq_init(&q, "q");
	probes_init(p, 3, false);
	p[1].one_shot = true;
	for (int i = 0; i < 3; i++)
		waitq_add(&q, &p[i].w);
	ck_assert_uint_eq(waitq_wake_all(&q), 3);
	ck_assert_uint_eq(waitq_wake_all(&q), 2);
	ck_assert_uint_eq(p[1].calls, 1);
	ck_assert(!waitq_remove(&p[1].w)); /* it already left */
	ck_assert_uint_eq(p[2].calls, 2);
	waitq_remove(&p[0].w);
	waitq_remove(&p[2].w);
}
END_TEST

/* Requeue in both address orders of the two queues. */
static void check_requeue(struct waitq *from, struct waitq *to)
{
	struct probe p[4], watcher;
	unsigned moved = 99;

	waitq_init(from, "from");
	waitq_init(to, "to");
	probes_init(p, 4, true);
	probes_init(&watcher, 1, false);
	watcher.id = 9;
	waitq_add(from, &watcher.w);
	for (int i = 0; i < 4; i++)
		waitq_add(from, &p[i].w);
	/* Wakes p[0] (and the watcher), moves p[1] and p[2]. */
	ck_assert_uint_eq(waitq_requeue(from, to, 1, 2, &moved), 2);
	ck_assert_uint_eq(moved, 2);
	ck_assert_uint_eq(p[0].calls, 1);
	ck_assert_uint_eq(watcher.calls, 1);
	ck_assert(p[1].w.wq == to && p[2].w.wq == to);
	ck_assert(p[3].w.wq == from && watcher.w.wq == from);
	ck_assert_uint_eq(p[1].calls, 0);
	/* from still has p[0], p[3] and the watcher; to has p[1], p[2]. */
	ncalls = 0;
	ck_assert_uint_eq(waitq_wake_all(to), 2);
	ck_assert_uint_eq(ncalls, 2);
	ck_assert_uint_eq(call_log[0], 1); /* order kept */
	ck_assert_uint_eq(call_log[1], 2);
	ck_assert_uint_eq(waitq_wake_all(from), 3);
	ck_assert_uint_eq(p[1].calls, 1);
	/* Removal finds the moved entries on their new queue. */
	ck_assert(waitq_remove(&p[1].w));
	ck_assert(waitq_remove(&p[2].w));
	ck_assert(list_empty(&to->waiters));
	ck_assert(waitq_remove(&p[0].w));
	ck_assert(waitq_remove(&p[3].w));
	ck_assert(waitq_remove(&watcher.w));
	ck_assert(list_empty(&from->waiters));
}

START_TEST(requeue_moves_exclusive_entries_in_order)
{
	struct waitq q[2];

	check_requeue(&q[0], &q[1]);
	check_requeue(&q[1], &q[0]);
}
END_TEST

START_TEST(requeue_to_the_same_queue_only_wakes)
{
	struct waitq q;
	struct probe p[3];
	unsigned moved = 99;

	waitq_init(&q, "q");
	probes_init(p, 3, true);
	for (int i = 0; i < 3; i++)
		waitq_add(&q, &p[i].w);
	ck_assert_uint_eq(waitq_requeue(&q, &q, 1, 3, &moved), 1);
	ck_assert_uint_eq(moved, 0);
	ck_assert_uint_eq(waitq_requeue(&q, &q, 0, 3, NULL), 0);
	ck_assert_uint_eq(p[0].calls, 1);
	ck_assert_uint_eq(p[1].calls, 0);
	for (int i = 0; i < 3; i++)
		ck_assert(waitq_remove(&p[i].w));
}
END_TEST

static Suite *waitq_suite(void)
{
	Suite *s = suite_create("waitq");
	TCase *tc = tcase_create("entries");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, non_exclusive_entries_see_every_wakeup);
	tcase_add_test(tc, exclusive_entries_are_counted_against_nr);
	tcase_add_test(tc, sync_wakeup_counts_and_calls_as_a_plain_one);
	tcase_add_test(tc, removal_happens_once_and_stops_callbacks);
	tcase_add_test(tc, callback_may_take_itself_off);
	tcase_add_test(tc, requeue_moves_exclusive_entries_in_order);
	tcase_add_test(tc, requeue_to_the_same_queue_only_wakes);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(waitq_suite);
