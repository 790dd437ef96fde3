/*
 * Unit tests of the CPU-time arithmetic (core/time/cputime.h) with chosen
 * clock values: on-CPU and user intervals add up into user and system
 * time, repeated state changes are idempotent, an earlier "now" never
 * underflows, and the next expiry of a task's CPU timers is where its
 * clocks would reach them (never for a task off the CPU, never for user
 * time while it is in the kernel); a CPU's time splits by mode at its
 * stamps, nothing before the first, never underflowing.
 */
#include "unit.h"

#include <hal/hal.h>
#include <keel/list.h>

#include "time/cputime.h"

static struct task_cputime c;

static void setup(void)
{
	cputime_clear(&c);
}

static void read_at(uint64_t now, uint64_t *user, uint64_t *sys)
{
	cputime_read(&c, now, user, sys);
}

START_TEST(fresh_task_has_no_time)
{
	uint64_t user = 1, sys = 1;

	read_at(1000, &user, &sys);
	ck_assert_uint_eq(user, 0);
	ck_assert_uint_eq(sys, 0);
}
END_TEST

START_TEST(kernel_interval_is_system_time)
{
	uint64_t user, sys;

	cputime_set_on_cpu(&c, true, 100);
	read_at(150, &user, &sys); /* running: the open interval counts */
	ck_assert_uint_eq(sys, 50);
	cputime_set_on_cpu(&c, false, 300);
	read_at(10000, &user, &sys); /* off the CPU: frozen */
	ck_assert_uint_eq(user, 0);
	ck_assert_uint_eq(sys, 200);
}
END_TEST

START_TEST(user_interval_is_user_time)
{
	uint64_t user, sys;

	cputime_set_on_cpu(&c, true, 0);
	cputime_set_in_user(&c, true, 10);
	read_at(40, &user, &sys);
	ck_assert_uint_eq(user, 30);
	ck_assert_uint_eq(sys, 10);
	cputime_set_in_user(&c, false, 70);
	cputime_set_on_cpu(&c, false, 100);
	cputime_set_on_cpu(&c, true, 1000);
	cputime_set_in_user(&c, true, 1000);
	cputime_set_in_user(&c, false, 1005);
	cputime_set_on_cpu(&c, false, 1010);
	read_at(5000, &user, &sys);
	ck_assert_uint_eq(user, 65);
	ck_assert_uint_eq(sys, 45);
}
END_TEST

START_TEST(repeated_changes_are_idempotent)
{
	uint64_t user, sys;

	cputime_set_on_cpu(&c, true, 10);
	cputime_set_on_cpu(&c, true, 50); /* already on: keeps 10 */
	cputime_set_on_cpu(&c, false, 60);
	cputime_set_on_cpu(&c, false, 90); /* already off: adds nothing */
	read_at(100, &user, &sys);
	ck_assert_uint_eq(sys, 50);
}
END_TEST

START_TEST(earlier_now_never_underflows)
{
	uint64_t user, sys;

	cputime_set_on_cpu(&c, true, 100);
	cputime_set_in_user(&c, true, 100);
	read_at(50, &user, &sys);
	ck_assert_uint_eq(user, 0);
	ck_assert_uint_eq(sys, 0);
	cputime_set_in_user(&c, false, 20);
	cputime_set_on_cpu(&c, false, 20);
	read_at(50, &user, &sys);
	ck_assert_uint_eq(user, 0);
	ck_assert_uint_eq(sys, 0);
}
END_TEST

static struct cputimer timer_a, timer_b;

static void add_timer(struct cputimer *ct, enum cputimer_clock clock,
		      uint64_t expires)
{
	cputimer_init(ct, NULL, NULL);
	ct->clock = clock;
	ct->expires_ns = expires;
	ct->armed = true;
	list_add_tail(&ct->link, &c.timers);
}

START_TEST(no_expiry_off_cpu_or_without_timers)
{
	ck_assert_uint_eq(cputime_next_expiry(&c, 5), HAL_TIMER_OFF);
	cputime_set_on_cpu(&c, true, 0);
	ck_assert_uint_eq(cputime_next_expiry(&c, 5), HAL_TIMER_OFF);
	add_timer(&timer_a, CPUTIMER_PROF, 100);
	cputime_set_on_cpu(&c, false, 10);
	ck_assert_uint_eq(cputime_next_expiry(&c, 50), HAL_TIMER_OFF);
}
END_TEST

START_TEST(prof_expiry_is_when_total_reaches_it)
{
	cputime_set_on_cpu(&c, true, 1000);
	add_timer(&timer_a, CPUTIMER_PROF, 300);
	add_timer(&timer_b, CPUTIMER_PROF, 200);
	/* At 1050 the task has 50 ns: 150 more for the earlier timer. */
	ck_assert_uint_eq(cputime_next_expiry(&c, 1050), 1200);
	/* Past it: due now. */
	ck_assert_uint_eq(cputime_next_expiry(&c, 1250), 1250);
}
END_TEST

START_TEST(user_expiry_only_counts_in_user_mode)
{
	cputime_set_on_cpu(&c, true, 0);
	add_timer(&timer_a, CPUTIMER_USER, 40);
	ck_assert_uint_eq(cputime_next_expiry(&c, 10), HAL_TIMER_OFF);
	cputime_set_in_user(&c, true, 100);
	ck_assert_uint_eq(cputime_next_expiry(&c, 110), 140);
	cputime_set_in_user(&c, false, 120); /* 20 ns of user time so far */
	ck_assert_uint_eq(cputime_next_expiry(&c, 200), HAL_TIMER_OFF);
	add_timer(&timer_b, CPUTIMER_PROF, 1000);
	ck_assert_uint_eq(cputime_next_expiry(&c, 200), 1000);
	ck_assert_uint_eq(cputime_clock_value(&c, CPUTIMER_USER, 200), 20);
	ck_assert_uint_eq(cputime_clock_value(&c, CPUTIMER_PROF, 200), 200);
}
END_TEST

START_TEST(far_expiry_saturates_but_is_not_never)
{
	/* 10 ns burnt, 90 to go, but the clock is 10 ns from wrapping. */
	cputime_set_on_cpu(&c, true, UINT64_MAX - 20);
	add_timer(&timer_a, CPUTIMER_PROF, 100);
	ck_assert_uint_eq(cputime_next_expiry(&c, UINT64_MAX - 10),
			  HAL_TIMER_OFF - 1);
}
END_TEST

/* ---- Per-CPU times ---------------------------------------------------- */

START_TEST(cpu_times_count_nothing_before_the_first_stamp)
{
	struct cpu_times ct = { .since = 0 };
	uint64_t out[CPU_MODES];

	cpu_times_read(&ct, 1000, out);
	ck_assert_uint_eq(out[CPU_MODE_IDLE] + out[CPU_MODE_SYSTEM] +
				  out[CPU_MODE_USER],
			  0);
	cpu_times_enter(&ct, CPU_MODE_IDLE, 500);
	cpu_times_read(&ct, 1000, out);
	ck_assert_uint_eq(out[CPU_MODE_IDLE], 500);
}
END_TEST

START_TEST(cpu_times_split_by_mode)
{
	struct cpu_times ct = { .since = 0 };
	uint64_t out[CPU_MODES];

	cpu_times_enter(&ct, CPU_MODE_SYSTEM, 100);
	cpu_times_enter(&ct, CPU_MODE_USER, 150);   /* 50 system */
	cpu_times_enter(&ct, CPU_MODE_SYSTEM, 450); /* 300 user */
	cpu_times_enter(&ct, CPU_MODE_IDLE, 460);   /* 10 system */
	cpu_times_read(&ct, 1460, out);             /* 1000 idle, open */
	ck_assert_uint_eq(out[CPU_MODE_SYSTEM], 60);
	ck_assert_uint_eq(out[CPU_MODE_USER], 300);
	ck_assert_uint_eq(out[CPU_MODE_IDLE], 1000);
}
END_TEST

START_TEST(cpu_times_earlier_now_never_underflows)
{
	struct cpu_times ct = { .since = 0 };
	uint64_t out[CPU_MODES];

	cpu_times_enter(&ct, CPU_MODE_USER, 1000);
	cpu_times_read(&ct, 900, out);
	ck_assert_uint_eq(out[CPU_MODE_USER], 0);
	/* A stamp from a clock a little behind adds nothing and keeps the
	 * later start, so that time is not counted twice. */
	cpu_times_enter(&ct, CPU_MODE_SYSTEM, 990);
	ck_assert_uint_eq(ct.since, 1000);
	cpu_times_read(&ct, 1100, out);
	ck_assert_uint_eq(out[CPU_MODE_SYSTEM], 100);
	ck_assert_uint_eq(out[CPU_MODE_USER], 0);
}
END_TEST

static Suite *cputime_suite(void)
{
	Suite *s = suite_create("cputime");
	TCase *tc = tcase_create("arithmetic");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, fresh_task_has_no_time);
	tcase_add_test(tc, kernel_interval_is_system_time);
	tcase_add_test(tc, user_interval_is_user_time);
	tcase_add_test(tc, repeated_changes_are_idempotent);
	tcase_add_test(tc, earlier_now_never_underflows);
	tcase_add_test(tc, no_expiry_off_cpu_or_without_timers);
	tcase_add_test(tc, prof_expiry_is_when_total_reaches_it);
	tcase_add_test(tc, user_expiry_only_counts_in_user_mode);
	tcase_add_test(tc, far_expiry_saturates_but_is_not_never);
	tcase_add_test(tc, cpu_times_count_nothing_before_the_first_stamp);
	tcase_add_test(tc, cpu_times_split_by_mode);
	tcase_add_test(tc, cpu_times_earlier_now_never_underflows);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(cputime_suite);
