/*
 * Synchronisation: spinlocks, mutexes, wait queues and completions.
 *
 * Spinlocks always save and disable interrupts (so a lock taken in an
 * interrupt handler can never deadlock against the code it interrupted);
 * they must not be held across anything that sleeps. Mutexes, wait queues,
 * wait sets and completions sleep, so they are for task context only
 * (waking them is allowed anywhere). Mutexes are uninterruptible.
 */
#ifndef KEEL_SYNC_H
#define KEEL_SYNC_H

#include <keel/list.h>
#include <keel/types.h>

struct task;

struct spinlock {
	unsigned locked;       /* accessed with __atomic builtins only */
	unsigned long irq;     /* interrupt state saved by the holder */
	int cpu;               /* holder's CPU, -1 when free */
	const char *name;
};

#define SPINLOCK_INIT(n) { 0, 0, -1, n }

void spin_init(struct spinlock *l, const char *name);
void spin_lock(struct spinlock *l);   /* panics on recursive locking */
void spin_unlock(struct spinlock *l);
/* Takes l only if it is free (interrupts disabled as by spin_lock);
 * returns whether it did. Never spins, so it may be taken against the
 * lock order. */
bool spin_trylock(struct spinlock *l);
/* Takes two locks in address order (one if a == b), so that CPUs taking
 * the same pair never deadlock; spin_unlock_pair releases them in the
 * reverse order, restoring the interrupt state the first one saved. */
void spin_lock_pair(struct spinlock *a, struct spinlock *b);
void spin_unlock_pair(struct spinlock *a, struct spinlock *b);
bool spin_held(const struct spinlock *l); /* by this CPU */

/*
 * Wait queues. A queue holds waiters: either a task sleeping until the
 * queue is woken (waitq_prepare ... waitq_finish below), or an entry with
 * a wake callback (waiter_init + waitq_add), which poll-style waits and
 * wait sets (struct waitset) are built on. Each waiter is on at most one
 * queue; a task waiting on several queues has one waiter on each.
 *
 * Flags for the sleeping calls: WAIT_INTERRUPTIBLE makes a task_notify()
 * end the sleep with -EINTR (at once if a notification is pending when it
 * would sleep); without it a sleep is uninterruptible and ignores
 * notifications. Deadlines are monotonic (time_now_ns); WAIT_FOREVER is
 * none.
 */
#define WAIT_INTERRUPTIBLE 1u
#define WAIT_FOREVER UINT64_MAX

struct waitq {
	struct spinlock lock;
	struct list_head waiters; /* FIFO */
};

void waitq_init(struct waitq *wq, const char *name);

struct waiter;

/*
 * A wake callback. Runs under the queue's lock with interrupts disabled,
 * in whatever context woke the queue (possibly an interrupt handler); key
 * is the waker's (0 when it passed none, e.g. a poll event mask). Returns
 * whether it counts as a wake-up. It must not sleep; it may wake other
 * queues (whose locks then nest inside this one: keep that order fixed)
 * and may take itself off the queue with waitq_remove_locked.
 */
typedef bool (*waiter_fn)(struct waiter *w, unsigned long key);

/* One entry on a wait queue; lives with its owner (often on its stack). */
struct waiter {
	struct list_head link; /* on wq->waiters; empty when on no queue */
	struct waitq *wq;      /* queue it is (or was last) on; queue locks */
	struct task *task;     /* the sleeper, for the default wake-up */
	waiter_fn fn;          /* NULL: wake task and leave the queue */
	bool exclusive;        /* counts toward a wake-up's nr */
	bool woken;            /* a wake-up reached it since it was queued */
};

/*
 * The sleeping protocol, free of lost wake-ups:
 *     struct waiter w;
 *     for (;;) {
 *         waitq_prepare(wq, &w);
 *         if (condition) break;
 *         waitq_sleep(&w);
 *     }
 *     waitq_finish(wq, &w);
 * waitq_sleep returns after a wake-up (or a spurious one); recheck. A
 * sleeping task's waiter is exclusive: waitq_wake_one wakes one of them.
 */
void waitq_prepare(struct waitq *wq, struct waiter *w);
/* As waitq_prepare; flags: WAIT_INTERRUPTIBLE or 0. */
void waitq_prepare_flags(struct waitq *wq, struct waiter *w, unsigned flags);
/* 0 after a wake-up (or a spurious one); -EINTR when an interruptible
 * sleep was notified. Either way w is off its queue on return. */
int waitq_sleep(struct waiter *w);
/* As waitq_sleep, but also gives up at deadline_ns: -ETIMEDOUT. Recheck
 * the condition before acting on an error: it wins when both hold. */
int waitq_sleep_until(struct waiter *w, uint64_t deadline_ns);
/* Ends the wait. wq is the queue w was prepared on; w may have been moved
 * since (waitq_requeue): it is taken off whichever queue holds it. */
void waitq_finish(struct waitq *wq, struct waiter *w);

/*
 * Wakes the queue: every non-exclusive entry's callback runs, and up to
 * nr exclusive waiters are woken, in queue order; key is passed to the
 * callbacks. Returns how many entries counted a wake-up. Any context,
 * including interrupt handlers.
 */
unsigned waitq_wake(struct waitq *wq, unsigned nr, unsigned long key);
unsigned waitq_wake_one(struct waitq *wq); /* waitq_wake(wq, 1, 0) */
unsigned waitq_wake_all(struct waitq *wq); /* every waiter */

/*
 * waitq_wake for a waker that is about to block until a woken task
 * answers (a pipe write followed by a read of the reply, Linux's
 * wake_up_sync): the sleepers woken are queued on the waker's CPU, if
 * nothing else waits there, rather than on another idle CPU, so they run
 * as soon as the waker sleeps (docs/architecture.md, "Wake-affine"). A
 * hint only: it changes where, never whether, a task wakes; if the waker
 * keeps running, they move to an idle CPU when its slice ends. Callback
 * entries run as for waitq_wake. Task context.
 */
unsigned waitq_wake_sync(struct waitq *wq, unsigned nr, unsigned long key);

/*
 * Futex requeue: wakes up to nr_wake exclusive waiters of from (as
 * waitq_wake, non-exclusive callbacks included), then moves up to nr_move
 * of the exclusive waiters queued behind those to the tail of to, where
 * the wake-ups of to reach them (a sleeper moved keeps sleeping). Returns
 * the number woken; *moved (if not NULL) gets the number moved. from ==
 * to only wakes. Takes both queues' locks (in address order).
 */
unsigned waitq_requeue(struct waitq *from, struct waitq *to, unsigned nr_wake,
		       unsigned nr_move, unsigned *moved);

/* A callback entry (not on any queue yet); exclusive ones count toward a
 * wake-up's nr as sleepers do. */
void waiter_init(struct waiter *w, waiter_fn fn, bool exclusive);
/* Puts a callback entry at the tail of wq; it stays there, across
 * wake-ups, until waitq_remove. w must be on no queue. */
void waitq_add(struct waitq *wq, struct waiter *w);
/* Takes w off whichever queue holds it; returns whether one did. Once it
 * returns, w's callback is not running and will not run: w may be freed. */
bool waitq_remove(struct waiter *w);
/* The same from inside w's own callback (the queue lock is held). */
void waitq_remove_locked(struct waiter *w);

/* Waits for cond uninterruptibly, with no deadline. */
#define WAITQ_WAIT_EVENT(wq, cond)                        \
	do {                                              \
		struct waiter __w;                        \
		for (;;) {                                \
			waitq_prepare((wq), &__w);        \
			if (cond)                         \
				break;                    \
			waitq_sleep(&__w);                \
		}                                         \
		waitq_finish((wq), &__w);                 \
	} while (0)

/*
 * Waits for cond; an expression worth 0 once cond holds, -EINTR when
 * flags has WAIT_INTERRUPTIBLE and the task was notified, -ETIMEDOUT at
 * deadline_ns (WAIT_FOREVER: none). cond is checked after every wake-up
 * and wins over the errors.
 */
#define WAITQ_WAIT_EVENT_UNTIL(wq, cond, flags, deadline_ns)             \
	({                                                               \
		struct waiter __w;                                       \
		int __err = 0;                                           \
		for (;;) {                                               \
			waitq_prepare_flags((wq), &__w, (flags));        \
			if (cond) {                                      \
				__err = 0;                               \
				break;                                   \
			}                                                \
			if (__err)                                       \
				break;                                   \
			__err = waitq_sleep_until(&__w, (deadline_ns));  \
		}                                                        \
		waitq_finish((wq), &__w);                                \
		__err;                                                   \
	})

#define WAITQ_WAIT_EVENT_INTERRUPTIBLE(wq, cond) \
	WAITQ_WAIT_EVENT_UNTIL(wq, cond, WAIT_INTERRUPTIBLE, WAIT_FOREVER)

/*
 * Wait sets: one task waiting on several queues at once (poll, select,
 * epoll_wait). Each waitset_add puts an entry on a queue; a wake-up of
 * any of them (that the entry's optional filter accepts) marks the entry
 * fired and wakes the task. The protocol, free of lost wake-ups:
 *     waitset_init(&ws);
 *     for (;;) {
 *         (add entries the first time round, then check the conditions)
 *         if (ready) break;
 *         err = waitset_sleep(&ws, flags, deadline);
 *         if (err) break;          (recheck once first if it matters)
 *     }
 *     waitset_finish(&ws);         (takes every entry off its queue)
 * A wake-up after an entry was added and before waitset_sleep makes that
 * sleep return at once.
 */
struct waitset {
	struct task *task;
	struct list_head entries; /* waitset_entry.set_link */
	unsigned triggered;       /* atomic: an entry fired since the sleep */
};

struct waitset_entry;

/* A filter: like a waiter_fn (queue lock held, any context); true when
 * the wake-up with key concerns this entry (e.g. the poll events match). */
typedef bool (*waitset_fn)(struct waitset_entry *e, unsigned long key);

struct waitset_entry {
	struct waiter w;
	struct waitset *set;
	struct list_head set_link;
	waitset_fn filter; /* NULL: every wake-up */
	bool fired;        /* atomic: a wake-up reached the set through it */
};

/* An empty set for the current task. */
void waitset_init(struct waitset *ws);
/* Adds e (caller's storage, valid until waitset_finish) on wq. */
void waitset_add(struct waitset *ws, struct waitset_entry *e,
		 struct waitq *wq, waitset_fn filter);
/* Sleeps until an entry fires (0: recheck), the deadline (-ETIMEDOUT) or,
 * with WAIT_INTERRUPTIBLE, a notification (-EINTR). Returns 0 at once if
 * an entry fired since the last waitset_sleep. */
int waitset_sleep(struct waitset *ws, unsigned flags, uint64_t deadline_ns);
/* Whether a wake-up reached the set through e since it was added. */
bool waitset_entry_fired(const struct waitset_entry *e);
/* Takes every entry off its queue; then none of their filters runs. */
void waitset_finish(struct waitset *ws);

/* A sleeping lock with an owner; not recursive (panics if it is). */
struct mutex {
	struct spinlock lock;
	struct task *owner;
	struct waitq wq;
};

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m); /* panics if not the owner */
bool mutex_held(const struct mutex *m); /* by the current task */

/* A one-shot (or counting) event. */
struct completion {
	struct spinlock lock;
	unsigned done;
	struct waitq wq;
};

void completion_init(struct completion *c);
void complete(struct completion *c);     /* wakes one waiter */
void complete_all(struct completion *c); /* wakes all, now and later */
void wait_for_completion(struct completion *c); /* uninterruptible */
/* 0 when completed, -ETIMEDOUT when the deadline passed first. */
int wait_for_completion_until(struct completion *c, uint64_t deadline_ns);
/* 0 when completed, -EINTR when the task was notified first. */
int wait_for_completion_interruptible(struct completion *c);
/* 0, -EINTR or -ETIMEDOUT (deadline_ns may be WAIT_FOREVER). */
int wait_for_completion_interruptible_until(struct completion *c,
					    uint64_t deadline_ns);

#endif
