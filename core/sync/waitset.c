/*
 * Wait sets: one task sleeping on several wait queues at once, the base of
 * poll, select and epoll_wait. Each entry is a non-exclusive callback
 * waiter on one queue; a wake-up its filter accepts marks the entry and
 * the set triggered and wakes the set's task (Linux's poll_table entries
 * and pollwake). The set's triggered flag closes the window between the
 * caller's last readiness check and waitset_sleep: a wake-up in there
 * makes the sleep return at once.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/sync.h>

#include "sched/sched.h"
#include "time/time.h"

void waitset_init(struct waitset *ws)
{
	ws->task = task_current();
	list_init(&ws->entries);
	ws->triggered = 0;
}

/* An entry's wake callback: queue lock held, any context. */
static bool entry_woken(struct waiter *w, unsigned long key)
{
	struct waitset_entry *e = container_of(w, struct waitset_entry, w);
	struct waitset *ws = e->set;

	if (e->filter && !e->filter(e, key))
		return false;
	__atomic_store_n(&e->fired, true, __ATOMIC_RELAXED);
	/* Seen by waitset_sleep before or after it marks the task sleeping;
	 * after, the wake-up below ends the sleep (the scheduler lock orders
	 * the two). */
	__atomic_store_n(&ws->triggered, 1, __ATOMIC_SEQ_CST);
	sched_wake(ws->task);
	return true;
}

void waitset_add(struct waitset *ws, struct waitset_entry *e,
		 struct waitq *wq, waitset_fn filter)
{
	kassert(ws->task == task_current());
	waiter_init(&e->w, entry_woken, false);
	e->set = ws;
	e->filter = filter;
	e->fired = false;
	list_add_tail(&e->set_link, &ws->entries);
	waitq_add(wq, &e->w);
}

int waitset_sleep(struct waitset *ws, unsigned flags, uint64_t deadline_ns)
{
	int err;

	sched_prepare_sleep(flags);
	if (__atomic_exchange_n(&ws->triggered, 0, __ATOMIC_SEQ_CST)) {
		sched_cancel_sleep();
		return 0;
	}
	err = sleep_prepared_until(deadline_ns);
	/* This wake-up is being answered: the caller rechecks next. */
	__atomic_store_n(&ws->triggered, 0, __ATOMIC_SEQ_CST);
	return err;
}

bool waitset_entry_fired(const struct waitset_entry *e)
{
	return __atomic_load_n(&e->fired, __ATOMIC_RELAXED);
}

void waitset_finish(struct waitset *ws)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &ws->entries) {
		struct waitset_entry *e =
			list_entry(pos, struct waitset_entry, set_link);

		waitq_remove(&e->w);
		list_del(&e->set_link);
	}
}
