/*
 * Wait queues: the one way a task sleeps until something happens. The
 * protocol (see <keel/sync.h>) marks the task as sleeping before it checks
 * its condition, under the queue's lock, so a wake-up between the check
 * and the switch only turns the sleep into a no-op: nothing is lost.
 *
 * Invariant: once waitq_sleep* returns, the waiter is off the queue, so
 * the next waitq_prepare can queue it again. Lock order: the queue's lock,
 * then the scheduler's.
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

void waitq_prepare(struct waitq *wq, struct waiter *w)
{
	struct task *cur = task_current();

	w->task = cur;
	w->woken = false;
	spin_lock(&wq->lock);
	list_add_tail(&w->link, &wq->waiters);
	cur->waiting_on = wq;
	sched_prepare_sleep();
	spin_unlock(&wq->lock);
}

/* Takes w off wq, if a waker has not already. Takes wq's lock. */
static void waiter_remove(struct waitq *wq, struct waiter *w)
{
	spin_lock(&wq->lock);
	if (!list_empty(&w->link))
		list_del(&w->link);
	spin_unlock(&wq->lock);
}

/* Takes w off the queue it was prepared on. */
static void waiter_dequeue(struct waiter *w)
{
	waiter_remove(w->task->waiting_on, w);
}

void waitq_sleep(struct waiter *w)
{
	sched_sleep();
	waiter_dequeue(w);
}

static void wake_sleeper(struct ktimer *kt, void *arg)
{
	(void)kt;
	sched_wake(arg);
}

/*
 * As waitq_sleep, with a ktimer that wakes the task at deadline_ns.
 * Returns 0 when woken (or woken early for another reason: the caller
 * rechecks), -ETIMEDOUT once the deadline has passed without a wake-up.
 */
int waitq_sleep_until(struct waiter *w, uint64_t deadline_ns)
{
	struct ktimer kt;
	bool woken;

	if (time_now_ns() < deadline_ns) {
		ktimer_init(&kt, wake_sleeper, w->task);
		ktimer_arm(&kt, deadline_ns);
		sched_sleep();
		ktimer_cancel(&kt);
	} else {
		sched_cancel_sleep();
	}
	waiter_dequeue(w);
	spin_lock(&w->task->waiting_on->lock);
	woken = w->woken;
	spin_unlock(&w->task->waiting_on->lock);
	if (woken || time_now_ns() < deadline_ns)
		return 0;
	return -ETIMEDOUT;
}

void waitq_finish(struct waitq *wq, struct waiter *w)
{
	kassert(w->task == task_current());
	waiter_remove(wq, w);
	sched_cancel_sleep();
	w->task->waiting_on = NULL;
}

/* Wakes the first waiter. Queue lock held. */
static void wake_first_locked(struct waitq *wq)
{
	struct waiter *w = list_first_entry(&wq->waiters, struct waiter, link);

	list_del(&w->link);
	w->woken = true;
	sched_wake(w->task);
}

unsigned waitq_wake_one(struct waitq *wq)
{
	unsigned n = 0;

	spin_lock(&wq->lock);
	if (!list_empty(&wq->waiters)) {
		wake_first_locked(wq);
		n = 1;
	}
	spin_unlock(&wq->lock);
	return n;
}

unsigned waitq_wake_all(struct waitq *wq)
{
	unsigned n = 0;

	spin_lock(&wq->lock);
	while (!list_empty(&wq->waiters)) {
		wake_first_locked(wq);
		n++;
	}
	spin_unlock(&wq->lock);
	return n;
}
