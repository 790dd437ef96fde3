/*
 * The futex hash table and its queues (see futex_internal.h): hashing a
 * key to a bucket, queueing and dequeueing waiters, waking and requeueing
 * them, and the sleep a waiter does meanwhile. Nothing here touches user
 * memory; the operations in futex.c read the futex word under the bucket
 * lock before they queue, so a waker that changes the word and then wakes
 * (taking the same lock) cannot slip between the check and the queueing.
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>

#include "futex_internal.h"

static struct futex_bucket buckets[FUTEX_BUCKETS];
static bool buckets_ready; /* set once, under init_lock */
static struct spinlock init_lock = SPINLOCK_INIT("futex init");

/* Initialises the table on first use (no service init order to rely on:
 * the unit tests use it without booting the services). */
static void buckets_init(void)
{
	if (__atomic_load_n(&buckets_ready, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&init_lock);
	if (!buckets_ready) {
		for (unsigned i = 0; i < FUTEX_BUCKETS; i++) {
			spin_init(&buckets[i].lock, "futex bucket");
			list_init(&buckets[i].queue);
		}
		__atomic_store_n(&buckets_ready, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&init_lock);
}

/* A 64-bit mix (splitmix64's finaliser): nearby addresses spread out. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct futex_bucket *futex_bucket_of(const struct vm_futex_key *key)
{
	uint64_t h = mix(key->id ^ mix(key->off + key->kind));

	buckets_init();
	return &buckets[h & (FUTEX_BUCKETS - 1)];
}

void futex_lock_pair(struct futex_bucket *a, struct futex_bucket *b)
{
	spin_lock_pair(&a->lock, &b->lock);
}

/* In the reverse order of the locking, so that the interrupt state the
 * first lock saved is restored last (not while the other is held). */
void futex_unlock_pair(struct futex_bucket *a, struct futex_bucket *b)
{
	spin_unlock_pair(&a->lock, &b->lock);
}

void futex_sleeper_init(struct futex_sleeper *s)
{
	waitq_init(&s->wq, "futex");
	s->woken = -1;
}

void futex_q_init(struct futex_q *q, const struct vm_futex_key *key,
		  uint32_t bitset, struct futex_sleeper *s, int index)
{
	list_init(&q->link);
	q->bucket = NULL;
	q->key = *key;
	q->bitset = bitset;
	q->sleeper = s;
	q->index = index;
}

void futex_enqueue_locked(struct futex_bucket *b, struct futex_q *q)
{
	list_add_tail(&q->link, &b->queue);
	__atomic_store_n(&q->bucket, b, __ATOMIC_RELEASE);
}

/* Locks the bucket q is on now, which a requeue may change until its
 * lock is held; NULL if q was never queued. */
static struct futex_bucket *futex_q_lock(struct futex_q *q)
{
	for (;;) {
		struct futex_bucket *b =
			__atomic_load_n(&q->bucket, __ATOMIC_ACQUIRE);

		if (!b)
			return NULL;
		spin_lock(&b->lock);
		if (__atomic_load_n(&q->bucket, __ATOMIC_RELAXED) == b)
			return b;
		spin_unlock(&b->lock);
	}
}

bool futex_unqueue(struct futex_q *q)
{
	struct futex_bucket *b = futex_q_lock(q);
	bool was_queued;

	if (!b)
		return false;
	was_queued = !list_empty(&q->link);
	if (was_queued)
		list_del(&q->link);
	spin_unlock(&b->lock);
	return was_queued;
}

/* Wakes q's sleeper for q: dequeues q, records the first woken index and
 * wakes the task. q's bucket lock held. */
static void wake_q(struct futex_q *q)
{
	struct futex_sleeper *s = q->sleeper;

	list_del(&q->link);
	if (__atomic_load_n(&s->woken, __ATOMIC_RELAXED) < 0)
		__atomic_store_n(&s->woken, q->index, __ATOMIC_RELEASE);
	waitq_wake_all(&s->wq);
}

/* Moves q to key2 in b2 (both locks held). Within one bucket only the
 * key changes, as in Linux, so that the walk does not meet q again. */
static void move_q(struct futex_q *q, struct futex_bucket *b2,
		   const struct vm_futex_key *key2)
{
	q->key = *key2;
	if (__atomic_load_n(&q->bucket, __ATOMIC_RELAXED) == b2)
		return;
	list_del(&q->link);
	list_add_tail(&q->link, &b2->queue);
	__atomic_store_n(&q->bucket, b2, __ATOMIC_RELEASE);
}

int futex_wake_locked(struct futex_bucket *b, const struct vm_futex_key *key,
		      int nr_wake, uint32_t bitset, struct futex_bucket *b2,
		      const struct vm_futex_key *key2, int nr_move,
		      int *moved)
{
	struct list_head *pos, *tmp;
	int woken = 0, n = 0;

	list_for_each_safe(pos, tmp, &b->queue) {
		struct futex_q *q = list_entry(pos, struct futex_q, link);

		if (!vm_futex_key_equal(&q->key, key))
			continue;
		if (woken < nr_wake) {
			if (q->bitset & bitset) {
				wake_q(q);
				woken++;
			}
		} else if (b2 && n < nr_move) {
			move_q(q, b2, key2);
			n++;
		} else {
			break;
		}
	}
	if (moved)
		*moved = n;
	return woken;
}

/* Has s been woken? (Read by the sleeper in its wait condition.) */
static bool sleeper_woken(struct futex_sleeper *s)
{
	return __atomic_load_n(&s->woken, __ATOMIC_ACQUIRE) >= 0;
}

int futex_sleep(struct futex_sleeper *s, uint64_t deadline_ns)
{
	if (sleeper_woken(s))
		return 0; /* woken before it slept: no need to queue */
	return WAITQ_WAIT_EVENT_UNTIL(&s->wq, sleeper_woken(s),
				      WAIT_INTERRUPTIBLE, deadline_ns);
}
