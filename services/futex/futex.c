/*
 * The futex operations on user words (<svc/futex.h>): keys, the value
 * checks under the bucket lock and the atomic operation of FUTEX_WAKE_OP.
 * Under a bucket lock user memory is only read or changed with the
 * _nofault calls; a word not present yet makes the operation drop the
 * lock, fault it in as user code would and try again (Linux's
 * futex_get_value_locked pattern).
 */
#include <keel/errno.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/vm.h>
#include <svc/futex.h>
#include <uapi/futex.h>

#include "futex_internal.h"

/* The key of the word at uaddr. A shared key needs the page present (its
 * identity is the memory behind it): the word is read first, as Linux's
 * get_futex_key pins the page, so an unmapped word is -EFAULT. */
static int get_key(uptr_t uaddr, bool shared, struct vm_futex_key *key)
{
	uint32_t v;

	if (uaddr.addr & 3)
		return -EINVAL;
	if (shared && get_user_u32(&v, uaddr))
		return -EFAULT;
	return vm_futex_key(task_vm(task_current()), uaddr.addr, shared, key);
}

/* Reads the word at uaddr with b's lock held. 0 with the lock still
 * held; -EAGAIN after dropping it and faulting the page in (the caller
 * starts over); -EFAULT, lock dropped, when the word is unreadable. */
static int read_locked(struct futex_bucket *a, struct futex_bucket *b,
		       uptr_t uaddr, uint32_t *val)
{
	if (get_user_u32_nofault(val, uaddr) == 0)
		return 0;
	futex_unlock_pair(a, b);
	return get_user_u32(val, uaddr) ? -EFAULT : -EAGAIN;
}

long futex_wait(uptr_t uaddr, bool shared, uint32_t val,
		uint64_t deadline_ns, uint32_t bitset)
{
	struct vm_futex_key key;
	struct futex_sleeper s;
	struct futex_q q;
	struct futex_bucket *b;
	uint32_t cur;
	int err;

	if (!bitset)
		return -EINVAL;
	err = get_key(uaddr, shared, &key);
	if (err)
		return err;
	futex_sleeper_init(&s);
	futex_q_init(&q, &key, bitset, &s, 0);
	b = futex_bucket_of(&key);
	do {
		spin_lock(&b->lock);
		err = read_locked(b, b, uaddr, &cur);
	} while (err == -EAGAIN);
	if (err)
		return err;
	if (cur != val) {
		spin_unlock(&b->lock);
		return -EAGAIN;
	}
	futex_enqueue_locked(b, &q);
	spin_unlock(&b->lock);
	err = futex_sleep(&s, deadline_ns);
	/* A wake-up that took q off the queue wins over a timeout or a
	 * notification that came at the same time. */
	if (!futex_unqueue(&q))
		return 0;
	return err ? err : -EINTR;
}

long futex_wake(uptr_t uaddr, bool shared, int nr, uint32_t bitset)
{
	struct vm_futex_key key;
	struct futex_bucket *b;
	int err, n;

	if (!bitset)
		return -EINVAL;
	err = get_key(uaddr, shared, &key);
	if (err)
		return err;
	b = futex_bucket_of(&key);
	spin_lock(&b->lock);
	n = futex_wake_locked(b, &key, nr > 0 ? nr : 1, bitset, NULL, NULL, 0,
			      NULL);
	spin_unlock(&b->lock);
	return n;
}

/* The keys and buckets of two words. */
static int get_keys(uptr_t u1, uptr_t u2, bool shared,
		    struct vm_futex_key *k1, struct vm_futex_key *k2,
		    struct futex_bucket **b1, struct futex_bucket **b2)
{
	int err = get_key(u1, shared, k1);

	if (!err)
		err = get_key(u2, shared, k2);
	if (err)
		return err;
	*b1 = futex_bucket_of(k1);
	*b2 = futex_bucket_of(k2);
	return 0;
}

long futex_requeue(uptr_t uaddr, uptr_t uaddr2, bool shared, int nr_wake,
		   int nr_requeue, const uint32_t *cmpval)
{
	struct vm_futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	uint32_t cur;
	int err, woken, moved;

	if (nr_wake < 0 || nr_requeue < 0)
		return -EINVAL;
	err = get_keys(uaddr, uaddr2, shared, &k1, &k2, &b1, &b2);
	if (err)
		return err;
	for (;;) {
		futex_lock_pair(b1, b2);
		if (!cmpval)
			break;
		err = read_locked(b1, b2, uaddr, &cur);
		if (err == -EAGAIN)
			continue;
		if (err)
			return err;
		if (cur != *cmpval) {
			futex_unlock_pair(b1, b2);
			return -EAGAIN;
		}
		break;
	}
	woken = futex_wake_locked(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY, b2,
				  &k2, nr_requeue, &moved);
	futex_unlock_pair(b1, b2);
	return woken + moved;
}

/* A signed 12-bit field of the encoded operation. */
static int32_t field12(uint32_t v)
{
	v &= 0xfff;
	return (int32_t)(v ^ 0x800) - 0x800;
}

/* Whether cmp holds between old and arg: 1 or 0, -ENOSYS for an
 * unknown comparison. */
static int compare(unsigned cmp, int32_t old, int32_t arg)
{
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return old == arg;
	case FUTEX_OP_CMP_NE:
		return old != arg;
	case FUTEX_OP_CMP_LT:
		return old < arg;
	case FUTEX_OP_CMP_LE:
		return old <= arg;
	case FUTEX_OP_CMP_GT:
		return old > arg;
	case FUTEX_OP_CMP_GE:
		return old >= arg;
	default:
		return -ENOSYS;
	}
}

/* The atomic step of FUTEX_WAKE_OP on uaddr2 with both locks held:
 * whether the comparison held (1/0), -ENOSYS, or -EAGAIN after the locks
 * were dropped to fault the page in, -EFAULT (dropped) if that failed. */
static int wake_op_atomic(struct futex_bucket *b1, struct futex_bucket *b2,
			  uptr_t uaddr2, uint32_t encoded)
{
	unsigned op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int32_t oparg = field12(encoded >> 12), cmparg = field12(encoded);
	uint32_t old;
	int err;

	if (encoded & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
		oparg = (int32_t)(1u << (oparg & 31)); /* Linux masks too */
	if (op > FUTEX_OP_XOR) {
		futex_unlock_pair(b1, b2);
		return -ENOSYS;
	}
	err = user_atomic_op_u32_nofault(uaddr2, (enum user_atomic_op)op,
					 (uint32_t)oparg, &old);
	if (err) {
		futex_unlock_pair(b1, b2);
		return fault_in_user_writeable(uaddr2) ? -EFAULT : -EAGAIN;
	}
	err = compare(cmp, (int32_t)old, cmparg);
	if (err < 0)
		futex_unlock_pair(b1, b2);
	return err;
}

long futex_wake_op(uptr_t uaddr, uptr_t uaddr2, bool shared, int nr_wake,
		   int nr_wake2, uint32_t encoded_op)
{
	struct vm_futex_key k1, k2;
	struct futex_bucket *b1, *b2;
	int err, cond, woken;

	err = get_keys(uaddr, uaddr2, shared, &k1, &k2, &b1, &b2);
	if (err)
		return err;
	do {
		futex_lock_pair(b1, b2);
		cond = wake_op_atomic(b1, b2, uaddr2, encoded_op);
	} while (cond == -EAGAIN);
	if (cond < 0)
		return cond;
	/* Linux wakes at least one on each side it wakes. */
	woken = futex_wake_locked(b1, &k1, nr_wake > 0 ? nr_wake : 1,
				  FUTEX_BITSET_MATCH_ANY, NULL, NULL, 0, NULL);
	if (cond)
		woken += futex_wake_locked(b2, &k2, nr_wake2 > 0 ? nr_wake2 : 1,
					   FUTEX_BITSET_MATCH_ANY, NULL, NULL,
					   0, NULL);
	futex_unlock_pair(b1, b2);
	return woken;
}

void futex_clear_child_tid(uptr_t tidptr)
{
	/* A plain store, as Linux's put_user: an unaligned tidptr still
	 * gets its 0, and the wake then finds no futex there. */
	if (copy_u32_to_user(tidptr, 0) == 0)
		futex_wake(tidptr, true, 1, FUTEX_BITSET_MATCH_ANY);
}
