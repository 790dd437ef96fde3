/*
 * The futex queues (services/futex/queue.c), shared by the futex
 * operations (futex.c, waitv.c) and the unit tests. As in Linux, every
 * waiter is a struct futex_q on the caller's stack, hashed by its key
 * (<keel/vm.h> vm_futex_key) into one of FUTEX_BUCKETS buckets, each a
 * spinlock and a FIFO list. A waiter's task sleeps on its futex_sleeper;
 * a waker takes the futex_q off its bucket, records which one woke and
 * wakes the sleeper, all under the bucket lock, so that the waiter, which
 * takes the same lock to leave (futex_unqueue), never returns while the
 * waker still touches its stack. Requeue moves futex_qs between buckets
 * under both locks and changes their key; q->bucket, read without a lock,
 * is re-checked once locked (futex_q_lock), as Linux's lock_ptr is.
 *
 * One sleeper may own several futex_qs (futex_waitv): the first wake-up
 * sets its woken index, later ones find it set and only dequeue.
 */
#ifndef FUTEX_INTERNAL_H
#define FUTEX_INTERNAL_H

#include <keel/list.h>
#include <keel/sync.h>
#include <keel/types.h>
#include <keel/vm.h>

#define FUTEX_BUCKETS 256 /* a power of two */

struct futex_bucket {
	struct spinlock lock;
	struct list_head queue; /* struct futex_q.link, oldest first */
};

/* The sleeping side of one futex wait (one task). */
struct futex_sleeper {
	struct waitq wq;
	int woken; /* index of the futex_q woken first, -1 while none */
};

/* One futex word waited on. */
struct futex_q {
	struct list_head link;        /* on bucket->queue while queued */
	struct futex_bucket *bucket;  /* its bucket: atomic */
	struct vm_futex_key key;
	uint32_t bitset;              /* FUTEX_WAIT_BITSET's; ~0 for all */
	struct futex_sleeper *sleeper;
	int index;                    /* what the sleeper's woken reports */
};

void futex_sleeper_init(struct futex_sleeper *s);

/* A queue entry for key with bitset, owned by s with index (not queued). */
void futex_q_init(struct futex_q *q, const struct vm_futex_key *key,
		  uint32_t bitset, struct futex_sleeper *s, int index);

/* The bucket key hashes to. */
struct futex_bucket *futex_bucket_of(const struct vm_futex_key *key);

/* Locks two buckets (the same one once), in address order; unlocks. */
void futex_lock_pair(struct futex_bucket *a, struct futex_bucket *b);
void futex_unlock_pair(struct futex_bucket *a, struct futex_bucket *b);

/* Queues q at the tail of b, q's key's bucket; b's lock held. */
void futex_enqueue_locked(struct futex_bucket *b, struct futex_q *q);

/*
 * Takes q off its bucket if it is still queued and returns true; false
 * when a waker took it first (a wake-up was spent on it). Either way no
 * waker touches q once this returns. Takes q's bucket lock.
 */
bool futex_unqueue(struct futex_q *q);

/*
 * Wakes up to nr_wake waiters of key in b whose bitset shares a bit with
 * bitset (oldest first), then moves up to nr_move further waiters of key
 * (any bitset) to key2 in b2, behind its waiters; nr_move 0 with b2 NULL
 * only wakes. Returns the number woken; *moved (if not NULL) the number
 * moved. The locks of b (and b2) are held.
 */
int futex_wake_locked(struct futex_bucket *b, const struct vm_futex_key *key,
		      int nr_wake, uint32_t bitset, struct futex_bucket *b2,
		      const struct vm_futex_key *key2, int nr_move,
		      int *moved);

/*
 * Sleeps until s is woken (0), the monotonic deadline_ns passes
 * (-ETIMEDOUT; WAIT_FOREVER: never) or the task is notified (-EINTR).
 * The caller then futex_unqueues its entries: a wake-up wins over either
 * error.
 */
int futex_sleep(struct futex_sleeper *s, uint64_t deadline_ns);

#endif
