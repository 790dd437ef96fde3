/*
 * Synchronisation: spinlocks, mutexes, wait queues and completions.
 *
 * Spinlocks always save and disable interrupts (so a lock taken in an
 * interrupt handler can never deadlock against the code it interrupted);
 * they must not be held across anything that sleeps. Mutexes, wait queues
 * and completions sleep, so they are for task context only.
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
bool spin_held(const struct spinlock *l); /* by this CPU */

/* A queue of sleeping tasks. */
struct waitq {
	struct spinlock lock;
	struct list_head waiters;
};

void waitq_init(struct waitq *wq, const char *name);

/* One task's entry on a wait queue (lives on the waiter's stack). */
struct waiter {
	struct list_head link;
	struct task *task;
	bool woken;
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
 * waitq_sleep returns after a wake-up (or a spurious one); recheck.
 */
void waitq_prepare(struct waitq *wq, struct waiter *w);
void waitq_sleep(struct waiter *w);
/* As waitq_sleep but gives up at the monotonic deadline: -ETIMEDOUT. */
int waitq_sleep_until(struct waiter *w, uint64_t deadline_ns);
void waitq_finish(struct waitq *wq, struct waiter *w);

/* Wakes one / all waiters; callable from interrupt handlers. Return how
 * many tasks were woken. */
unsigned waitq_wake_one(struct waitq *wq);
unsigned waitq_wake_all(struct waitq *wq);

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
void wait_for_completion(struct completion *c);
/* 0 when completed, -ETIMEDOUT when the deadline passed first. */
int wait_for_completion_until(struct completion *c, uint64_t deadline_ns);

#endif
