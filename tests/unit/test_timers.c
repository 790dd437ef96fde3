/*
 * Unit tests of the time service's pieces that need no running timer
 * (services/time/, services/signal/): timespecs checked and converted as
 * Linux does (saturating), wall-clock deadlines moved to the monotonic
 * clock, a POSIX timer's signal counting overruns while it is pending
 * (and only for the same timer), and the checks nanosleep,
 * clock_nanosleep, setitimer, getitimer, the timer_* calls,
 * rt_sigsuspend and rt_sigtimedwait make before they touch user memory
 * or sleep (x86-64 numbers, the hosted ABI). The timers themselves fire
 * in tests/abi (itimer.c, posix_timer.c, nanosleep.c, sigwait.c).
 */
#include "unit.h"
#include "proc_fixtures.h"

#include "syscall_fixture.h"

#include <string.h>

#include <keel/errno.h>
#include <keel/time.h>
#include <svc/clock.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/signal.h>
#include <svc/syscall.h>
#include <uapi/time.h>

static struct proc proc;
static struct thread thr;

static void fresh_proc(void)
{
	unit_boot_mm();
	fixture_proc(&proc, &thr, 9);
	ck_assert_ptr_nonnull(proc.timers);
}

static long call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		 uint64_t a3)
{
	const uint64_t args[6] = { a0, a1, a2, a3, 0, 0 };

	return unit_syscall(&proc, nr, args);
}

START_TEST(timespecs_are_checked_as_linux_does)
{
	uint64_t ns = 1;

	ck_assert_int_eq(clock_timespec_to_ns(
				 &(struct linux_timespec){ 2, 5 }, &ns), 0);
	ck_assert_uint_eq(ns, 2 * NSEC_PER_SEC + 5);
	ck_assert_int_eq(clock_timespec_to_ns(
				 &(struct linux_timespec){ 0, 999999999 },
				 &ns), 0);
	ck_assert_int_eq(clock_timespec_to_ns(
				 &(struct linux_timespec){ 0, 1000000000 },
				 &ns), -EINVAL);
	ck_assert_int_eq(clock_timespec_to_ns(
				 &(struct linux_timespec){ 0, -1 }, &ns),
			 -EINVAL);
	ck_assert_int_eq(clock_timespec_to_ns(
				 &(struct linux_timespec){ -1, 0 }, &ns),
			 -EINVAL);
	ck_assert_int_eq(clock_timespec_to_ns(
				 &(struct linux_timespec){ INT64_MAX, 0 }, &ns),
			 0);
	ck_assert_uint_eq(ns, UINT64_MAX); /* saturated: a wait forever */
	ck_assert_uint_eq(clock_deadline_after(UINT64_MAX - 1), UINT64_MAX);
}
END_TEST

START_TEST(wall_clock_deadlines_move_to_the_monotonic_clock)
{
	uint64_t mono = time_now_ns(), real = time_realtime_ns();
	uint64_t d = clock_abs_deadline(CLOCK_REALTIME, real + NSEC_PER_SEC);

	ck_assert_uint_eq(clock_abs_deadline(CLOCK_MONOTONIC, 12345), 12345);
	ck_assert_uint_eq(clock_abs_deadline(CLOCK_BOOTTIME, 7), 7);
	/* A second after the reads, seen on the monotonic clock. */
	ck_assert_uint_gt(d, mono);
	ck_assert_uint_le(d, time_now_ns() + NSEC_PER_SEC);
	ck_assert_uint_eq(clock_abs_deadline(CLOCK_REALTIME, 1), 0); /* past */
	ck_assert_uint_eq(clock_abs_deadline(CLOCK_TAI, UINT64_MAX),
			  UINT64_MAX);
}
END_TEST

static struct linux_siginfo timer_info(int id, int missed)
{
	struct linux_siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_code = SI_TIMER;
	info.fields.timer.si_tid = id;
	info.fields.timer.si_overrun = missed;
	return info;
}

START_TEST(a_pending_timer_signal_counts_overruns)
{
	struct linux_siginfo info = timer_info(3, 0), got;

	fresh_proc();
	thr.sig.blocked = SIG_BIT(SIGUSR1);
	ck_assert_int_eq(signal_send_timer(&proc, SIGUSR1, &info), 0);
	ck_assert_int_eq(signal_send_timer(&proc, SIGUSR1, &info), 0);
	info = timer_info(3, 4); /* 4 periods missed before this one */
	ck_assert_int_eq(signal_send_timer(&proc, SIGUSR1, &info), 0);
	info = timer_info(5, 0); /* another timer: not counted here */
	ck_assert_int_eq(signal_send_timer(&proc, SIGUSR1, &info), 0);
	ck_assert_int_eq(signal_dequeue(&thr, SIG_BIT(SIGUSR1), &got),
			 SIGUSR1);
	ck_assert_int_eq(got.fields.timer.si_tid, 3);
	ck_assert_int_eq(got.fields.timer.si_overrun, 1 + 5);
	ck_assert_int_eq(signal_dequeue(&thr, SIG_BIT(SIGUSR1), &got), 0);

	info = timer_info(3, INT32_MAX);
	signal_send_timer(&proc, SIGUSR1, &info);
	signal_send_timer(&proc, SIGUSR1, &info); /* saturates */
	ck_assert_int_eq(signal_dequeue(&thr, SIG_BIT(SIGUSR1), &got),
			 SIGUSR1);
	ck_assert_int_eq(got.fields.timer.si_overrun, INT32_MAX);
	ck_assert_int_eq(signal_send_timer(&proc, 0, &info), -EINVAL);
	fixture_proc_done(&proc);
}
END_TEST

#define NR_NANOSLEEP 35
#define NR_GETITIMER 36
#define NR_SETITIMER 38
#define NR_RT_SIGTIMEDWAIT 128
#define NR_RT_SIGSUSPEND 130
#define NR_TIMER_CREATE 222
#define NR_TIMER_SETTIME 223
#define NR_TIMER_GETTIME 224
#define NR_TIMER_GETOVERRUN 225
#define NR_TIMER_DELETE 226
#define NR_CLOCK_NANOSLEEP 230

START_TEST(system_call_checks_before_user_access)
{
	fresh_proc();
	/* A NULL new value is a zero one: then which is checked. */
	ck_assert_int_eq(call(NR_SETITIMER, 5, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_SETITIMER, (uint64_t)-1, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_SETITIMER, ITIMER_REAL, 0, 0, 0), 0);
	ck_assert_int_eq(call(NR_GETITIMER, 3, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_CLOCK_NANOSLEEP, 99, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_CLOCK_NANOSLEEP, CLOCK_THREAD_CPUTIME_ID, 0,
			      0, 0),
			 -EOPNOTSUPP);
	ck_assert_int_eq(call(NR_CLOCK_NANOSLEEP, CLOCK_REALTIME_ALARM, 0, 0,
			      0),
			 -EOPNOTSUPP);
	ck_assert_int_eq(call(NR_TIMER_CREATE, 99, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_TIMER_CREATE, CLOCK_MONOTONIC_RAW, 0, 0, 0),
			 -EOPNOTSUPP);
	ck_assert_int_eq(call(NR_TIMER_SETTIME, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_TIMER_GETTIME, 4000, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_TIMER_GETTIME, 0, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_TIMER_GETOVERRUN, (uint64_t)-1, 0, 0, 0),
			 -EINVAL);
	ck_assert_int_eq(call(NR_TIMER_DELETE, 64, 0, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_RT_SIGSUSPEND, 0, 4, 0, 0), -EINVAL);
	ck_assert_int_eq(call(NR_RT_SIGTIMEDWAIT, 0, 0, 0, 16), -EINVAL);
	ck_assert_int_eq(call(NR_NANOSLEEP, 8, 0, 0, 0), -EFAULT);
	fixture_proc_done(&proc);
	ck_assert_ptr_null(proc.timers);
}
END_TEST

static Suite *timers_suite(void)
{
	Suite *s = suite_create("timers");
	TCase *tc = tcase_create("time service");

	tcase_add_test(tc, timespecs_are_checked_as_linux_does);
	tcase_add_test(tc, wall_clock_deadlines_move_to_the_monotonic_clock);
	tcase_add_test(tc, a_pending_timer_signal_counts_overruns);
	tcase_add_test(tc, system_call_checks_before_user_access);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(timers_suite);
