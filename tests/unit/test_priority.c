/*
 * Unit tests of getpriority(2) and setpriority(2)
 * (services/sys/sys_priority.c) on processes of the test's own: the raw
 * 20 - nice return, clamping, the thread's value kept, PRIO_PGRP and
 * PRIO_USER over the matching processes (the highest priority wins),
 * and the refusals: EINVAL (which), ESRCH (nothing matches), EACCES
 * (lowering without root and RLIMIT_NICE 0), EPERM (another user's
 * process). The behaviour against Linux runs in tests/abi/priority.c.
 */
#include "unit.h"
#include "proc_fixtures.h"
#include "syscall_fixture.h"

#include <keel/errno.h>
#include <svc/fs.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/resource.h>

static struct proc a, b;
static struct thread ta, tb;

static long get(struct proc *p, int which, int who)
{
	const uint64_t args[6] = { (uint64_t)which, (uint64_t)(int64_t)who };

	return unit_syscall(p, SYSNR_getpriority, args);
}

static long set(struct proc *p, int which, int who, int nice)
{
	const uint64_t args[6] = { (uint64_t)which, (uint64_t)(int64_t)who,
				   (uint64_t)(int64_t)nice };

	return unit_syscall(p, SYSNR_setpriority, args);
}

/* Two processes, pids 61 and 62, root's, in group 61. */
static void two_procs(void)
{
	unit_boot_mm();
	ck_assert_int_eq(vfs_boot(), 0);
	fixture_proc(&a, &ta, 61);
	fixture_proc(&b, &tb, 62);
	b.pgid = 61;
}

static void done(void)
{
	fixture_proc_done(&a);
	fixture_proc_done(&b);
}

START_TEST(own_value_round_trips_and_clamps)
{
	two_procs();
	ck_assert_int_eq(get(&a, PRIO_PROCESS, 0), 20);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 0, 5), 0);
	ck_assert_int_eq(ta.nice, 5);
	ck_assert_int_eq(get(&a, PRIO_PROCESS, 61), 15);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 0, 100), 0);
	ck_assert_int_eq(ta.nice, 19);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 62, -100), 0);
	ck_assert_int_eq(tb.nice, -20);
	ck_assert_int_eq(get(&a, PRIO_PROCESS, 62), 40);
	done();
}
END_TEST

START_TEST(groups_and_users_take_the_highest_priority)
{
	two_procs();
	ta.nice = 8;
	tb.nice = 3;
	ck_assert_int_eq(get(&a, PRIO_PGRP, 0), 17);
	ck_assert_int_eq(get(&a, PRIO_USER, 0), 17);
	ck_assert_int_eq(set(&b, PRIO_PGRP, 61, 10), 0);
	ck_assert_int_eq(ta.nice, 10);
	ck_assert_int_eq(tb.nice, 10);
	ck_assert_int_eq(get(&a, PRIO_PGRP, 999), -ESRCH);
	ck_assert_int_eq(get(&a, PRIO_PGRP, -1), -ESRCH);
	ck_assert_int_eq(get(&a, PRIO_USER, 4321), -ESRCH);
	done();
}
END_TEST

START_TEST(refusals_are_linux_errnos)
{
	two_procs();
	ck_assert_int_eq(get(&a, 3, 0), -EINVAL);
	ck_assert_int_eq(set(&a, -1, 0, 0), -EINVAL);
	ck_assert_int_eq(get(&a, PRIO_PROCESS, 999), -ESRCH);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, -1, 0), -ESRCH);
	/* a is now user 1000 with RLIMIT_NICE 0; b stays root's */
	a.cred.uid.real = a.cred.uid.eff = 1000;
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 0, 4), 0);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 0, 3), -EACCES);
	ck_assert_int_eq(ta.nice, 4);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 62, 9), -EPERM);
	ck_assert_int_eq(tb.nice, 0);
	ck_assert_int_eq(get(&a, PRIO_PROCESS, 62), 20); /* reading is fine */
	/* RLIMIT_NICE 30 allows down to -10 */
	a.rlim[RLIMIT_NICE].rlim_cur = 30;
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 0, -10), 0);
	ck_assert_int_eq(set(&a, PRIO_PROCESS, 0, -11), -EACCES);
	ck_assert_int_eq(ta.nice, -10);
	done();
}
END_TEST

static Suite *priority_suite(void)
{
	Suite *s = suite_create("priority");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, own_value_round_trips_and_clamps);
	tcase_add_test(tc, groups_and_users_take_the_highest_priority);
	tcase_add_test(tc, refusals_are_linux_errnos);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(priority_suite);
