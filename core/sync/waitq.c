/*
 * Wait queues: the one way a task sleeps until something happens. The
 * protocol (see <keel/sync.h>) marks the task as sleeping before it checks
 * its condition, under the queue's lock, so a wake-up between the check
 * and the switch only turns the sleep into a no-op: nothing is lost.
 *
 * Each waiter records the queue it is on (w->wq), so a task may have
 * waiters on several queues (wait sets) and a waiter may move between
 * queues (waitq_requeue). w->wq changes only with the lock of the queue
 * it leaves and of the one it joins held, so whoever holds the lock of
 * the queue w->wq names sees it stable (waiter_lock).
 *
 * Invariant: once waitq_sleep* returns, the waiter is off every queue, so
 * the next waitq_prepare can queue it again. Lock order: queue locks (two
 * at once only in address order, or a callback's queue before the queues
 * it wakes), then the scheduler's.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/sync.h>
#include <keel/time.h>

#include "sched/sched.h"
#include "time/time.h"

void waitq_init(struct waitq *wq, const char *name)
{
	spin_init(&wq->lock, name);
	list_init(&wq->waiters);
}

/* Also the start of every sleeper's waiter (fn NULL, exclusive). */
static void waiter_reset(struct waiter *w, waiter_fn fn, bool exclusive)
{
	list_init(&w->link);
	w->wq = NULL;
	w->task = NULL;
	w->fn = fn;
	w->exclusive = exclusive;
	w->woken = false;
}

void waiter_init(struct waiter *w, waiter_fn fn, bool exclusive)
{
	kassert(fn); /* without one the entry would wake a NULL task */
	waiter_reset(w, fn, exclusive);
}

/* Queues w at the tail of wq. wq's lock held; w on no queue. */
static void enqueue_locked(struct waitq *wq, struct waiter *w)
{
	list_add_tail(&w->link, &wq->waiters);
	__atomic_store_n(&w->wq, wq, __ATOMIC_RELAXED);
	w->woken = false;
}

/*
 * Locks the queue w is on (or was last on) and returns it, NULL if w was
 * never queued. Retries if a requeue moved w between reading w->wq and
 * taking that queue's lock.
 */
static struct waitq *waiter_lock(struct waiter *w)
{
	for (;;) {
		struct waitq *wq = __atomic_load_n(&w->wq, __ATOMIC_ACQUIRE);

		if (!wq)
			return NULL;
		spin_lock(&wq->lock);
		if (__atomic_load_n(&w->wq, __ATOMIC_RELAXED) == wq)
			return wq;
		spin_unlock(&wq->lock);
	}
}

void waitq_remove_locked(struct waiter *w)
{
	if (!list_empty(&w->link))
		list_del(&w->link);
}

bool waitq_remove(struct waiter *w)
{
	struct waitq *wq = waiter_lock(w);
	bool was_on;

	if (!wq)
		return false;
	was_on = !list_empty(&w->link);
	waitq_remove_locked(w);
	spin_unlock(&wq->lock);
	return was_on;
}

void waitq_add(struct waitq *wq, struct waiter *w)
{
	kassert(list_empty(&w->link));
	spin_lock(&wq->lock);
	enqueue_locked(wq, w);
	spin_unlock(&wq->lock);
}

void waitq_prepare_flags(struct waitq *wq, struct waiter *w, unsigned flags)
{
	waiter_reset(w, NULL, true);
	w->task = task_current();
	spin_lock(&wq->lock);
	enqueue_locked(wq, w);
	sched_prepare_sleep(flags);
	spin_unlock(&wq->lock);
}

void waitq_prepare(struct waitq *wq, struct waiter *w)
{
	waitq_prepare_flags(wq, w, 0);
}

int waitq_sleep(struct waiter *w)
{
	int err = sched_sleep();

	waitq_remove(w);
	return err;
}

int waitq_sleep_until(struct waiter *w, uint64_t deadline_ns)
{
	int err = sleep_prepared_until(deadline_ns);

	waitq_remove(w);
	return err;
}

void waitq_finish(struct waitq *wq, struct waiter *w)
{
	(void)wq; /* w->wq knows where w is now */
	kassert(w->task == task_current());
	waitq_remove(w);
	sched_cancel_sleep();
}

/* The default wake-up: takes the sleeper off the queue and wakes it
 * (sync: onto this CPU, see waitq_wake_sync). */
static bool wake_sleeper(struct waiter *w, bool sync)
{
	list_del(&w->link);
	w->woken = true;
	if (sync)
		sched_wake_sync(w->task);
	else
		sched_wake(w->task);
	return true;
}

/* One entry's wake-up; returns whether it counted. Queue lock held. */
static bool wake_entry(struct waiter *w, unsigned long key, bool sync)
{
	if (!w->fn)
		return wake_sleeper(w, sync);
	if (!w->fn(w, key))
		return false;
	w->woken = true;
	return true;
}

/* Moves w from its queue to the tail of to; both locks held. */
static void move_locked(struct waiter *w, struct waitq *to)
{
	list_del(&w->link);
	list_add_tail(&w->link, &to->waiters);
	/* Release: a waiter_lock that sees the new queue and takes its lock
	 * finds w on its list. */
	__atomic_store_n(&w->wq, to, __ATOMIC_RELEASE);
}

/* Where the moved waiters of a requeue go, and how many may. */
struct wake_move {
	struct waitq *to; /* NULL: none move */
	unsigned nr_move;
	unsigned *moved;  /* how many did (may be NULL) */
};

/*
 * Wakes wq as waitq_wake(wq, nr, key) does (sync: as waitq_wake_sync)
 * and, when mv->to is not NULL, moves up to mv->nr_move of the exclusive
 * waiters behind the ones woken to mv->to. The locks of wq and mv->to
 * are held.
 */
static unsigned wake_locked(struct waitq *wq, unsigned nr, unsigned long key,
			    bool sync, const struct wake_move *mv)
{
	struct waitq *to = mv->to;
	unsigned nr_move = mv->nr_move;
	unsigned *moved = mv->moved;
	struct list_head *pos, *tmp;
	unsigned woken = 0, exclusive = 0, n = 0;

	list_for_each_safe(pos, tmp, &wq->waiters) {
		struct waiter *w = list_entry(pos, struct waiter, link);

		if (!w->exclusive) {
			if (wake_entry(w, key, sync))
				woken++;
		} else if (exclusive < nr) {
			/* An exclusive callback that declines does not use
			 * up a wake-up. */
			if (wake_entry(w, key, sync)) {
				exclusive++;
				woken++;
			}
		} else if (to && n < nr_move) {
			move_locked(w, to);
			n++;
		}
	}
	if (moved)
		*moved = n;
	return woken;
}

static const struct wake_move no_move = { NULL, 0, NULL };

unsigned waitq_wake(struct waitq *wq, unsigned nr, unsigned long key)
{
	unsigned n;

	spin_lock(&wq->lock);
	n = wake_locked(wq, nr, key, false, &no_move);
	spin_unlock(&wq->lock);
	return n;
}

unsigned waitq_wake_sync(struct waitq *wq, unsigned nr, unsigned long key)
{
	unsigned n;

	spin_lock(&wq->lock);
	n = wake_locked(wq, nr, key, true, &no_move);
	spin_unlock(&wq->lock);
	return n;
}

unsigned waitq_wake_one(struct waitq *wq)
{
	return waitq_wake(wq, 1, 0);
}

unsigned waitq_wake_all(struct waitq *wq)
{
	return waitq_wake(wq, UINT32_MAX, 0);
}

unsigned waitq_requeue(struct waitq *from, struct waitq *to, unsigned nr_wake,
		       unsigned nr_move, unsigned *moved)
{
	struct waitq *first = from < to ? from : to;
	struct waitq *second = from < to ? to : from;
	struct wake_move mv = { from != to ? to : NULL, nr_move, moved };
	unsigned woken;

	spin_lock(&first->lock);
	if (second != first)
		spin_lock(&second->lock);
	woken = wake_locked(from, nr_wake, 0, false, &mv);
	if (second != first)
		spin_unlock(&second->lock);
	spin_unlock(&first->lock);
	return woken;
}
