/*
 * Unit tests of the futex queues (services/futex/queue.c) without user
 * memory or sleeping tasks: keys hash to one bucket each time, keys that
 * share a bucket never see each other's wake-ups, wake-ups count up to
 * nr in queue order and skip waiters whose bitset does not match,
 * requeue moves the waiters behind the woken ones (across buckets and
 * within one), a waiter woken is not queued any more (futex_unqueue says
 * so) and one sleeper with several entries (futex_waitv) keeps the first
 * index woken. Then the checks futex(2) and futex_waitv(2) make before
 * any user access. The waits themselves run in tests/abi/futex.c.
 */
#include "unit.h"

#include "syscall_fixture.h"

#include <keel/errno.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/futex.h>

#include "../../services/futex/futex_internal.h"

static struct vm_futex_key key(uint64_t addr)
{
	return (struct vm_futex_key){ VM_FUTEX_KEY_PRIVATE, 7, addr };
}

/* n waiters on k, each with its own sleeper. */
struct waiters {
	struct futex_sleeper s[8];
	struct futex_q q[8];
};

static void queue_n(struct waiters *w, unsigned first, unsigned n,
		    struct vm_futex_key k, uint32_t bitset)
{
	struct futex_bucket *b = futex_bucket_of(&k);

	for (unsigned i = first; i < first + n; i++) {
		futex_sleeper_init(&w->s[i]);
		futex_q_init(&w->q[i], &k, bitset, &w->s[i], (int)i);
		spin_lock(&b->lock);
		futex_enqueue_locked(b, &w->q[i]);
		spin_unlock(&b->lock);
	}
}

static int wake(struct vm_futex_key k, int nr, uint32_t bitset)
{
	struct futex_bucket *b = futex_bucket_of(&k);
	int n;

	spin_lock(&b->lock);
	n = futex_wake_locked(b, &k, nr, bitset, NULL, NULL, 0, NULL);
	spin_unlock(&b->lock);
	return n;
}

static int requeue(struct vm_futex_key k1, struct vm_futex_key k2,
		   int nr_wake, int nr_move, int *moved)
{
	struct futex_bucket *b1 = futex_bucket_of(&k1);
	struct futex_bucket *b2 = futex_bucket_of(&k2);
	int n;

	futex_lock_pair(b1, b2);
	n = futex_wake_locked(b1, &k1, nr_wake, FUTEX_BITSET_MATCH_ANY, b2,
			      &k2, nr_move, moved);
	futex_unlock_pair(b1, b2);
	return n;
}

/* An address whose key shares k's bucket but is another futex. */
static struct vm_futex_key colliding(struct vm_futex_key k)
{
	for (uint64_t a = k.off + 4;; a += 4) {
		struct vm_futex_key c = key(a);

		if (futex_bucket_of(&c) == futex_bucket_of(&k))
			return c;
	}
}

START_TEST(keys_hash_stably_and_collisions_stay_apart)
{
	struct vm_futex_key a = key(0x1000), c = colliding(a);
	struct waiters w;

	ck_assert_ptr_eq(futex_bucket_of(&a), futex_bucket_of(&(struct vm_futex_key){
				     VM_FUTEX_KEY_PRIVATE, 7, 0x1000 }));
	queue_n(&w, 0, 1, a, FUTEX_BITSET_MATCH_ANY);
	queue_n(&w, 1, 1, c, FUTEX_BITSET_MATCH_ANY);
	ck_assert_int_eq(wake(c, 5, FUTEX_BITSET_MATCH_ANY), 1);
	ck_assert_int_eq(w.s[0].woken, -1);
	ck_assert_int_eq(w.s[1].woken, 1);
	ck_assert(futex_unqueue(&w.q[0])); /* still queued: not woken */
	ck_assert(!futex_unqueue(&w.q[1])); /* the waker took it */
	ck_assert_int_eq(wake(a, 1, FUTEX_BITSET_MATCH_ANY), 0);
}
END_TEST

START_TEST(wakeups_count_to_nr_in_order_and_match_bitsets)
{
	struct vm_futex_key a = key(0x2000);
	struct waiters w;

	queue_n(&w, 0, 3, a, FUTEX_BITSET_MATCH_ANY);
	ck_assert_int_eq(wake(a, 2, FUTEX_BITSET_MATCH_ANY), 2);
	ck_assert_int_eq(w.s[0].woken, 0);
	ck_assert_int_eq(w.s[1].woken, 1);
	ck_assert_int_eq(w.s[2].woken, -1);
	ck_assert(futex_unqueue(&w.q[2]));
	ck_assert_int_eq(wake(a, 2, FUTEX_BITSET_MATCH_ANY), 0);

	queue_n(&w, 3, 1, a, 1);
	queue_n(&w, 4, 1, a, 2);
	queue_n(&w, 5, 1, a, 6);
	ck_assert_int_eq(wake(a, 1, 2), 1); /* skips 3, which has only bit 0 */
	ck_assert_int_eq(w.s[3].woken, -1);
	ck_assert_int_eq(w.s[4].woken, 4);
	ck_assert_int_eq(wake(a, 8, 4), 1);
	ck_assert_int_eq(w.s[5].woken, 5);
	ck_assert_int_eq(wake(a, 8, 8), 0);
	ck_assert(futex_unqueue(&w.q[3]));
}
END_TEST

START_TEST(requeue_moves_the_waiters_behind_the_woken)
{
	struct vm_futex_key a = key(0x3000), b = key(0x3004);
	struct waiters w;
	int moved = -1;

	queue_n(&w, 0, 5, a, FUTEX_BITSET_MATCH_ANY);
	ck_assert_int_eq(requeue(a, b, 1, 2, &moved), 1);
	ck_assert_int_eq(moved, 2);
	ck_assert_int_eq(w.s[0].woken, 0);
	/* 1 and 2 are b's waiters now, 3 and 4 still a's. */
	ck_assert_int_eq(wake(b, 8, FUTEX_BITSET_MATCH_ANY), 2);
	ck_assert_int_eq(w.s[1].woken, 1);
	ck_assert_int_eq(w.s[2].woken, 2);
	ck_assert_int_eq(w.s[3].woken, -1);
	ck_assert_int_eq(requeue(a, b, 0, 8, &moved), 0);
	ck_assert_int_eq(moved, 2);
	ck_assert_int_eq(wake(a, 8, FUTEX_BITSET_MATCH_ANY), 0);
	ck_assert(futex_unqueue(&w.q[3])); /* found on b's bucket */
	ck_assert_int_eq(wake(b, 8, FUTEX_BITSET_MATCH_ANY), 1);
	ck_assert_int_eq(w.s[4].woken, 4);
}
END_TEST

START_TEST(requeue_within_one_bucket_changes_only_the_key)
{
	struct vm_futex_key a = key(0x4000), c = colliding(a);
	struct waiters w;
	int moved;

	queue_n(&w, 0, 3, a, FUTEX_BITSET_MATCH_ANY);
	ck_assert_int_eq(requeue(a, c, 0, 2, &moved), 0);
	ck_assert_int_eq(moved, 2);
	ck_assert_int_eq(wake(c, 8, FUTEX_BITSET_MATCH_ANY), 2);
	ck_assert_int_eq(wake(a, 8, FUTEX_BITSET_MATCH_ANY), 1);
	ck_assert_int_eq(w.s[2].woken, 2);
	/* The same futex on both sides only wakes. */
	queue_n(&w, 3, 2, a, FUTEX_BITSET_MATCH_ANY);
	ck_assert_int_eq(requeue(a, a, 1, 8, &moved), 1);
	ck_assert_int_eq(wake(a, 8, FUTEX_BITSET_MATCH_ANY), 1);
}
END_TEST

START_TEST(one_sleeper_keeps_the_first_index_woken)
{
	struct vm_futex_key a = key(0x5000), b = key(0x6000);
	struct futex_bucket *ba = futex_bucket_of(&a), *bb = futex_bucket_of(&b);
	struct futex_sleeper s;
	struct futex_q q[2];

	futex_sleeper_init(&s);
	futex_q_init(&q[0], &a, FUTEX_BITSET_MATCH_ANY, &s, 0);
	futex_q_init(&q[1], &b, FUTEX_BITSET_MATCH_ANY, &s, 1);
	ck_assert(!futex_unqueue(&q[0])); /* never queued */
	spin_lock(&ba->lock);
	futex_enqueue_locked(ba, &q[0]);
	spin_unlock(&ba->lock);
	spin_lock(&bb->lock);
	futex_enqueue_locked(bb, &q[1]);
	spin_unlock(&bb->lock);
	ck_assert_int_eq(wake(b, 1, FUTEX_BITSET_MATCH_ANY), 1);
	ck_assert_int_eq(s.woken, 1);
	ck_assert_int_eq(wake(a, 1, FUTEX_BITSET_MATCH_ANY), 1);
	ck_assert_int_eq(s.woken, 1);
	/* Already woken: the sleep returns at once. */
	ck_assert_int_eq(futex_sleep(&s, WAIT_FOREVER), 0);
}
END_TEST

static struct proc proc;

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		 uint64_t a3, uint64_t a4, uint64_t a5)
{
	const uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };

	return unit_syscall(&proc, nr, args);
}

START_TEST(system_call_checks_before_user_access)
{
	const uint64_t w = 0x10000;

	unit_boot_mm();
	proc = (struct proc){ .pid = 1, .name = "futex" };
	ck_assert_int_eq(call(SYSNR_futex, w, 99, 0, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(SYSNR_futex, w, FUTEX_FD, 0, 0, 0, 0), -ENOSYS);
	ck_assert_int_eq(call(SYSNR_futex, w, FUTEX_LOCK_PI, 0, 0, 0, 0),
			 -ENOSYS);
	ck_assert_int_eq(call(SYSNR_futex, w,
			      FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0),
			 -ENOSYS);
	ck_assert_int_eq(call(SYSNR_futex, w, FUTEX_WAKE_BITSET, 1, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex, w, FUTEX_WAIT_BITSET, 0, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex, w, FUTEX_REQUEUE, 1,
			      (uint64_t)-1, w, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex_waitv, w, 1, 1, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex_waitv, w, 0, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex_waitv, w, FUTEX_WAITV_MAX + 1, 0, 0,
			      0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex_waitv, 0, 1, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(SYSNR_futex_waitv, w, 1, 0, w, 5, 0), -EINVAL);
}
END_TEST

static Suite *futex_suite(void)
{
	Suite *s = suite_create("futex");
	TCase *tc = tcase_create("queues");

	tcase_add_test(tc, keys_hash_stably_and_collisions_stay_apart);
	tcase_add_test(tc, wakeups_count_to_nr_in_order_and_match_bitsets);
	tcase_add_test(tc, requeue_moves_the_waiters_behind_the_woken);
	tcase_add_test(tc, requeue_within_one_bucket_changes_only_the_key);
	tcase_add_test(tc, one_sleeper_keeps_the_first_index_woken);
	tcase_add_test(tc, system_call_checks_before_user_access);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(futex_suite);
