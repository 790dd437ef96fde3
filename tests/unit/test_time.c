/*
 * Unit tests of core/time's real-time clock on the hosted build: boot
 * takes the host's CLOCK_REALTIME (so real time is within a second of the
 * host's), real time advances with the monotonic clock, and
 * time_set_realtime_ns moves real time only, refusing bad values without
 * changing anything.
 */
#include "unit.h"

#include <errno.h>
#include <time.h>

#include <hal/hal.h>
#include <keel/time.h>

#include "time/time.h"

static uint64_t host_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void setup(void)
{
	time_init(); /* reads the wall clock, as boot does */
}

START_TEST(hal_wall_clock_is_the_hosts)
{
	uint64_t before = host_realtime_ns() / NSEC_PER_SEC;
	uint64_t wall = hal_wall_clock_ns() / NSEC_PER_SEC;
	uint64_t after = host_realtime_ns() / NSEC_PER_SEC;

	ck_assert_uint_le(before, wall);
	ck_assert_uint_le(wall, after);
}
END_TEST

START_TEST(realtime_within_a_second_of_host)
{
	uint64_t host = host_realtime_ns(), ours = time_realtime_ns();
	uint64_t diff = ours > host ? ours - host : host - ours;

	ck_assert_uint_lt(diff, NSEC_PER_SEC);
}
END_TEST

START_TEST(realtime_moves_with_monotonic)
{
	uint64_t r1 = time_realtime_ns(), m1 = time_now_ns();
	struct timespec pause = { 0, 1000000 };
	uint64_t m2, r2;

	nanosleep(&pause, NULL);
	m2 = time_now_ns();
	r2 = time_realtime_ns();
	ck_assert_uint_gt(m2, m1);
	ck_assert_uint_ge(r2 - r1, m2 - m1);
}
END_TEST

START_TEST(settime_moves_realtime_only)
{
	uint64_t m0 = time_now_ns(), r0 = time_realtime_ns();
	uint64_t target = r0 + 3600 * NSEC_PER_SEC, m1;

	ck_assert_int_eq(time_set_realtime_ns(target), 0);
	ck_assert_uint_ge(time_realtime_ns(), target);
	m1 = time_now_ns();
	ck_assert_uint_ge(m1, m0);
	ck_assert_uint_lt(m1 - m0, 3600 * NSEC_PER_SEC);
	/* Back to the host's time: real time follows. */
	ck_assert_int_eq(time_set_realtime_ns(host_realtime_ns()), 0);
	ck_assert_uint_lt(time_realtime_ns(), target);
}
END_TEST

START_TEST(settime_rejects_below_monotonic_and_overflow)
{
	uint64_t before = time_realtime_ns();

	ck_assert_int_eq(time_set_realtime_ns(0), -EINVAL);
	ck_assert_int_eq(time_set_realtime_ns(time_now_ns() / 2), -EINVAL);
	ck_assert_int_eq(time_set_realtime_ns((uint64_t)INT64_MAX + 1),
			 -EINVAL);
	ck_assert_uint_ge(time_realtime_ns(), before);
	ck_assert_uint_lt(time_realtime_ns() - before, 3600 * NSEC_PER_SEC);
}
END_TEST

START_TEST(settime_just_above_the_monotonic_clock_is_allowed)
{
	uint64_t m = time_now_ns() + NSEC_PER_SEC;

	ck_assert_int_eq(time_set_realtime_ns(m), 0);
	ck_assert_uint_ge(time_realtime_ns(), m);
	ck_assert_uint_lt(time_realtime_ns(), m + 3600 * NSEC_PER_SEC);
	time_init(); /* back to the host's time */
}
END_TEST

static Suite *time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase_create("realtime");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, hal_wall_clock_is_the_hosts);
	tcase_add_test(tc, realtime_within_a_second_of_host);
	tcase_add_test(tc, realtime_moves_with_monotonic);
	tcase_add_test(tc, settime_moves_realtime_only);
	tcase_add_test(tc, settime_rejects_below_monotonic_and_overflow);
	tcase_add_test(tc, settime_just_above_the_monotonic_clock_is_allowed);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(time_suite);
