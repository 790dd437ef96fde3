/*
 * futex_waitv(2): one wait on up to FUTEX_WAITV_MAX futex words at once
 * (32-bit words only, each private or shared by its own flag), with an
 * absolute timeout on CLOCK_MONOTONIC or CLOCK_REALTIME. Every word is
 * checked and queued under its bucket lock in turn, all with one sleeper,
 * so a wake-up of any of them ends the wait; the result is the index of a
 * word that was woken (the highest, as Linux's futex_unqueue_multiple),
 * -EAGAIN when a word did not hold its value, -ETIMEDOUT, or -ERESTARTSYS
 * for a signal (Linux restarts futex_waitv as an ordinary call).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/vm.h>
#include <svc/clock.h>
#include <svc/syscall.h>
#include <uapi/futex.h>
#include <uapi/time.h>

#include "futex_internal.h"

struct waitv_entry {
	struct linux_futex_waitv w;
	struct futex_q q;
};

/* Reads and checks the n entries at uaddr (-EFAULT, -EINVAL) and their
 * keys (-EINVAL misaligned, -EFAULT). */
static int parse_entries(struct waitv_entry *v, unsigned n, uptr_t uaddr,
			 struct futex_sleeper *s)
{
	for (unsigned i = 0; i < n; i++) {
		struct linux_futex_waitv *w = &v[i].w;
		struct vm_futex_key key;
		uptr_t word;
		uint32_t val;
		int err;

		if (copy_from_user(w, uptr_add(uaddr, i * sizeof(*w)),
				   sizeof(*w)))
			return -EFAULT;
		if ((w->flags & ~(uint32_t)(FUTEX_32 | FUTEX_PRIVATE_FLAG)) ||
		    !(w->flags & FUTEX_32) || w->__reserved || w->val >> 32)
			return -EINVAL;
		word = uptr((uintptr_t)w->uaddr);
		if (word.addr & 3)
			return -EINVAL;
		if (!(w->flags & FUTEX_PRIVATE_FLAG) && get_user_u32(&val, word))
			return -EFAULT;
		err = vm_futex_key(task_vm(task_current()), word.addr,
				   !(w->flags & FUTEX_PRIVATE_FLAG), &key);
		if (err)
			return err;
		futex_q_init(&v[i].q, &key, FUTEX_BITSET_MATCH_ANY, s, (int)i);
	}
	return 0;
}

/* Takes the first n entries off their queues; the highest index a waker
 * took, or -1. */
static int unqueue_all(struct waitv_entry *v, unsigned n)
{
	int woken = -1;

	for (unsigned i = 0; i < n; i++)
		if (!futex_unqueue(&v[i].q))
			woken = (int)i;
	return woken;
}

#define QUEUE_RETRY 1

/* Queues e if its word holds its value: 0 when queued, -EAGAIN when it
 * does not, -EFAULT, or QUEUE_RETRY when the page had to be faulted in
 * (its value is then checked again from the start). */
static int queue_one(struct waitv_entry *e)
{
	uptr_t word = uptr((uintptr_t)e->w.uaddr);
	struct futex_bucket *b = futex_bucket_of(&e->q.key);
	uint32_t cur;
	int err;

	spin_lock(&b->lock);
	err = get_user_u32_nofault(&cur, word);
	if (err == 0 && cur == e->w.val)
		futex_enqueue_locked(b, &e->q);
	spin_unlock(&b->lock);
	if (err)
		return get_user_u32(&cur, word) ? -EFAULT : QUEUE_RETRY;
	return cur == e->w.val ? 0 : -EAGAIN;
}

/* Queues every entry: 0 when all are, else (nothing left queued) 1 + the
 * index of an entry woken meanwhile, -EAGAIN or -EFAULT. */
static int queue_all(struct waitv_entry *v, unsigned n)
{
	for (;;) {
		unsigned i = 0;
		int err, woken;

		while (i < n && (err = queue_one(&v[i])) == 0)
			i++;
		if (i == n)
			return 0;
		woken = unqueue_all(v, i);
		if (woken >= 0)
			return woken + 1;
		if (err != QUEUE_RETRY)
			return err;
	}
}

/* futex_waitv(waiters, nr_futexes, flags, timeout, clockid). */
SYSCALL_DEFINE5(futex_waitv, uptr_t, waiters, unsigned int, nr_futexes,
		unsigned int, flags, uptr_t, timeout, int, clockid)
{
	struct futex_sleeper s;
	struct waitv_entry *v;
	uint64_t deadline = WAIT_FOREVER, ns;
	int err, woken;

	if (flags || !nr_futexes || nr_futexes > FUTEX_WAITV_MAX ||
	    !waiters.addr)
		return -EINVAL;
	if (timeout.addr) {
		if (clockid != CLOCK_REALTIME && clockid != CLOCK_MONOTONIC)
			return -EINVAL;
		err = clock_timespec_from_user(timeout, &ns);
		if (err)
			return err;
		deadline = clock_abs_deadline(clockid, ns);
	}
	v = kzalloc(nr_futexes * sizeof(*v));
	if (!v)
		return -ENOMEM;
	futex_sleeper_init(&s);
	err = parse_entries(v, nr_futexes, waiters, &s);
	if (!err)
		err = queue_all(v, nr_futexes);
	if (err) {
		kfree(v);
		return err > 0 ? err - 1 : err;
	}
	err = futex_sleep(&s, deadline);
	woken = unqueue_all(v, nr_futexes);
	kfree(v);
	if (woken >= 0)
		return woken;
	return err == -ETIMEDOUT ? -ETIMEDOUT : -ERESTARTSYS;
}
