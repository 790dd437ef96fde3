/*
 * Unit tests of the process table (services/proc/pid.c, pid_alloc.c):
 * pid allocation in order, skipping numbers in use, wrapping at pid_max
 * to RESERVED_PIDS (to 1 before the cursor passed it), -EAGAIN when every
 * number is taken; lookups of processes and threads; the choice of the
 * thread that takes a process-directed signal (one that does not block
 * it), and signals to a process that has no thread left being dropped.
 */
#include "unit.h"
#include "proc_fixtures.h"

#include <keel/errno.h>
#include <svc/signal.h>

#include "../../services/proc/proc_internal.h"

static bool busy_set[64];

static bool busy_in_set(int nr, void *arg)
{
	(void)arg;
	return nr < 64 && busy_set[nr];
}

static bool all_busy(int nr, void *arg)
{
	(void)nr;
	(void)arg;
	return true;
}

START_TEST(pids_are_given_in_order_skipping_busy_ones)
{
	struct pid_cursor c = { .next = 1, .max = 40 };

	memset(busy_set, 0, sizeof(busy_set));
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 1);
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 2);
	busy_set[3] = busy_set[4] = true;
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 5);
	/* A freed number is not reused before the wrap. */
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 6);
}
END_TEST

START_TEST(the_wrap_goes_back_to_one_before_the_reserved_range)
{
	struct pid_cursor c = { .next = 38, .max = 40 };

	memset(busy_set, 0, sizeof(busy_set));
	busy_set[1] = true;
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 38);
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 39);
	/* max is exclusive; below RESERVED_PIDS the search restarts at 1. */
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), 2);
}
END_TEST

START_TEST(past_the_reserved_range_the_wrap_starts_there)
{
	struct pid_cursor c = { .next = PID_MAX_DEFAULT - 1,
				.max = PID_MAX_DEFAULT };

	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL),
			 PID_MAX_DEFAULT - 1);
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), PID_RESERVED);
	ck_assert_int_eq(pid_next(&c, busy_in_set, NULL), PID_RESERVED + 1);
}
END_TEST

START_TEST(a_full_table_is_eagain)
{
	struct pid_cursor c = { .next = 5, .max = 40 };

	ck_assert_int_eq(pid_next(&c, all_busy, NULL), -EAGAIN);
	ck_assert_int_eq(c.next, 5);
}
END_TEST

START_TEST(lookups_find_processes_and_threads)
{
	static struct proc p;
	static struct thread t, t2;

	unit_boot_mm();
	fixture_proc(&p, &t, 77);
	proc_lock();
	ck_assert_ptr_eq(proc_find(77), &p);
	ck_assert_ptr_null(proc_find(78));
	ck_assert_ptr_null(proc_find(0));
	ck_assert_ptr_null(proc_find(-77));
	ck_assert_ptr_eq(thread_find(77), &t);
	t2.proc = &p;
	signal_thread_init(&t2, &t, false);
	thread_attach_locked(&t2, 78);
	ck_assert_ptr_eq(thread_find(78), &t2);
	ck_assert_ptr_null(proc_find(78)); /* a tid is not a pid */
	ck_assert_int_eq(p.nr_threads, 2);
	ck_assert_int_eq(proc_count_tasks_locked(0) >= 2, 1);
	/* Counted per real uid: this process's threads are root's. */
	p.cred.uid.real = 4242;
	ck_assert_int_eq(proc_count_tasks_locked(4242), 2);
	p.cred.uid.real = 0;
	proc_unlock();
	fixture_proc_done(&p);
	proc_lock();
	ck_assert_ptr_null(proc_find(77));
	ck_assert_ptr_null(thread_find(78));
	proc_unlock();
}
END_TEST

START_TEST(a_process_signal_goes_to_a_thread_that_takes_it)
{
	static struct proc p;
	static struct thread t, t2;
	struct linux_siginfo info = { 0 };

	unit_boot_mm();
	fixture_proc(&p, &t, 90);
	t2.proc = &p;
	signal_thread_init(&t2, NULL, false);
	proc_lock();
	thread_attach_locked(&t2, 91);
	t.sig.blocked = SIG_BIT(SIGUSR1);
	ck_assert_ptr_eq(proc_signal_target(&p, SIGUSR1), &t2);
	ck_assert_ptr_eq(proc_signal_target(&p, SIGUSR2), &t);
	t2.sig.blocked = SIG_BIT(SIGUSR1);
	/* Blocked everywhere: the first thread keeps it pending. */
	ck_assert_ptr_eq(proc_signal_target(&p, SIGUSR1), &t);
	proc_unlock();
	ck_assert_int_eq(signal_send(&p, SIGUSR1, &info), 0);
	ck_assert_uint_eq(p.shared_pending.set, SIG_BIT(SIGUSR1));
	ck_assert(!signal_deliverable(&t));
	ck_assert_int_eq(signal_send_thread(&t2, SIGUSR2, &info), 0);
	ck_assert_uint_eq(t2.sig.pending.set, SIG_BIT(SIGUSR2));
	ck_assert(signal_deliverable(&t2));
	ck_assert(!signal_deliverable(&t));
	/* With no thread left, nothing is queued. */
	p.nr_threads = 0;
	ck_assert_int_eq(signal_send(&p, SIGUSR2, &info), 0);
	ck_assert_uint_eq(p.shared_pending.set, SIG_BIT(SIGUSR1));
	ck_assert_int_eq(signal_send(&p, 0, &info), -EINVAL);
	fixture_proc_done(&p);
}
END_TEST

/* Linux's kill_ok_by_cred: the sender's real or effective uid against
 * the target's real or saved one (never its effective), or root. */
START_TEST(the_kill_rule_compares_real_and_saved_uids)
{
	static struct proc a, b;

	ck_assert(proc_may_signal(&a, &b)); /* root */
	a.cred.uid = (struct cred_ids){ 1000, 1000, 1000, 1000 };
	b.cred.uid = (struct cred_ids){ 1001, 1000, 1001, 1000 };
	ck_assert(!proc_may_signal(&a, &b)); /* b's euid does not count */
	ck_assert(proc_may_signal(&b, &a));  /* b's euid is a's uid */
	b.cred.uid.saved = 1000;
	ck_assert(proc_may_signal(&a, &b));
	b.cred.uid = (struct cred_ids){ 1000, 1001, 1001, 1001 };
	ck_assert(proc_may_signal(&a, &b)); /* same real uid */
	a.cred.uid = (struct cred_ids){ 1002, 0, 1002, 0 };
	ck_assert(proc_may_signal(&a, &b)); /* effective root */
	b.cred.uid = (struct cred_ids){ 0, 0, 0, 0 };
	a.cred.uid = (struct cred_ids){ 1002, 1002, 0, 1002 };
	ck_assert(!proc_may_signal(&a, &b)); /* a's saved root does not */
}
END_TEST

static Suite *proc_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, pids_are_given_in_order_skipping_busy_ones);
	tcase_add_test(tc, the_wrap_goes_back_to_one_before_the_reserved_range);
	tcase_add_test(tc, past_the_reserved_range_the_wrap_starts_there);
	tcase_add_test(tc, a_full_table_is_eagain);
	tcase_add_test(tc, lookups_find_processes_and_threads);
	tcase_add_test(tc, a_process_signal_goes_to_a_thread_that_takes_it);
	tcase_add_test(tc, the_kill_rule_compares_real_and_saved_uids);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(proc_suite);
