/* nanosleep(2) and clock_nanosleep(2): relative and absolute sleeps on
 * each clock that can be slept on (whether at least the time passed),
 * interruption by a signal (EINTR, the remaining time for a relative
 * sleep, rem untouched for an absolute one, EINTR even with SA_RESTART),
 * and the rejected cases: bad pointers, invalid timespecs, clocks that
 * cannot be slept on or do not exist. A periodic ITIMER_REAL interrupts
 * the sleeps, so a signal that comes early cannot make a sleep finish. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_time.h"

static volatile sig_atomic_t hits;

static void on_alarm(int sig)
{
	(void)sig;
	hits++;
}

static long sys_nanosleep(const struct timespec *req, struct timespec *rem)
{
	return syscall(SYS_nanosleep, req, rem);
}

static long sys_clock_nanosleep(clockid_t id, int flags,
				const struct timespec *req,
				struct timespec *rem)
{
	return syscall(SYS_clock_nanosleep, id, flags, req, rem);
}

static void plain_sleeps(void)
{
	struct timespec t = { 0, 2000000 }, abs;
	long long start = abi_now_ns(CLOCK_MONOTONIC);

	SHOW("nanosleep 2ms", sys_nanosleep(&t, NULL));
	abi_yes("  at least 2ms passed", abi_now_ns(CLOCK_MONOTONIC) - start >=
						  2000000);
	t = (struct timespec){ 0, 0 };
	SHOW("nanosleep 0", sys_nanosleep(&t, NULL));
	t = (struct timespec){ 0, 2000000 };
	start = abi_now_ns(CLOCK_MONOTONIC);
	SHOW("clock_nanosleep MONOTONIC 2ms",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &t, NULL));
	abi_yes("  at least 2ms passed", abi_now_ns(CLOCK_MONOTONIC) - start >=
						  2000000);
	SHOW("clock_nanosleep BOOTTIME 2ms",
	     sys_clock_nanosleep(CLOCK_BOOTTIME, 0, &t, NULL));
	SHOW("clock_nanosleep TAI 2ms",
	     sys_clock_nanosleep(CLOCK_TAI, 0, &t, NULL));
	SHOW("clock_nanosleep unknown flag 2",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, 2, &t, NULL));
	start = abi_now_ns(CLOCK_REALTIME);
	abs.tv_sec = (start + 3000000) / 1000000000ll;
	abs.tv_nsec = (start + 3000000) % 1000000000ll;
	SHOW("clock_nanosleep REALTIME absolute +3ms",
	     sys_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL));
	abi_yes("  the time was reached",
		abi_now_ns(CLOCK_REALTIME) >= start + 3000000);
	start = abi_now_ns(CLOCK_MONOTONIC);
	abs.tv_sec = (start + 3000000) / 1000000000ll;
	abs.tv_nsec = (start + 3000000) % 1000000000ll;
	SHOW("clock_nanosleep MONOTONIC absolute +3ms",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	abi_yes("  the time was reached",
		abi_now_ns(CLOCK_MONOTONIC) >= start + 3000000);
	abs = (struct timespec){ 0, 1 };
	SHOW("clock_nanosleep MONOTONIC absolute in the past",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	SHOW("clock_nanosleep PROCESS_CPUTIME_ID absolute in the past",
	     sys_clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &abs,
				 NULL));
}

static void interrupted(void)
{
	struct timespec t = { 30, 0 }, rem = { 0, 0 };

	abi_ticker(1, 0, on_alarm);
	hits = 0;
	SHOW("nanosleep 30s, interrupted", sys_nanosleep(&t, &rem));
	abi_yes("  the handler ran", hits > 0);
	abi_yes("  0 < remaining < 30s",
		(rem.tv_sec || rem.tv_nsec) && rem.tv_sec < 30 &&
			rem.tv_nsec >= 0 && rem.tv_nsec < 1000000000);
	SHOW("nanosleep 30s, interrupted, bad rem",
	     sys_nanosleep(&t, (void *)8));
	SHOW("nanosleep 30s, interrupted, rem NULL", sys_nanosleep(&t, NULL));
	rem = (struct timespec){ 0, 0 };
	SHOW("clock_nanosleep MONOTONIC 30s, interrupted",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, 0, &t, &rem));
	abi_yes("  0 < remaining < 30s",
		(rem.tv_sec || rem.tv_nsec) && rem.tv_sec < 30);
	t.tv_sec = abi_now_ns(CLOCK_MONOTONIC) / 1000000000ll + 30;
	rem = (struct timespec){ 7, 7 };
	SHOW("clock_nanosleep absolute, interrupted",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, &rem));
	abi_yes("  rem untouched", rem.tv_sec == 7 && rem.tv_nsec == 7);
	abi_ticker(1, 1, on_alarm);
	t = (struct timespec){ 30, 0 };
	SHOW("nanosleep with SA_RESTART, interrupted", sys_nanosleep(&t, NULL));
	SHOW("clock_nanosleep absolute with SA_RESTART, interrupted",
	     sys_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME,
				 &(struct timespec){ abi_now_ns(CLOCK_REALTIME) /
								 1000000000ll +
							 30,
						 0 },
				 NULL));
	abi_ticker(0, 0, on_alarm);
}

static void rejected(void)
{
	struct timespec t = { 0, 1000000000 };

	SHOW("nanosleep nsec 1e9", sys_nanosleep(&t, NULL));
	t = (struct timespec){ 0, -1 };
	SHOW("nanosleep nsec -1", sys_nanosleep(&t, NULL));
	t = (struct timespec){ -1, 0 };
	SHOW("nanosleep sec -1", sys_nanosleep(&t, NULL));
	SHOW("nanosleep bad pointer", sys_nanosleep((void *)8, NULL));
	SHOW("clock_nanosleep bad pointer",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)8, NULL));
	SHOW("clock_nanosleep absolute sec -1",
	     sys_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL));
	t = (struct timespec){ 0, 1000 };
	SHOW("clock_nanosleep THREAD_CPUTIME_ID",
	     sys_clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &t, NULL));
	SHOW("clock_nanosleep MONOTONIC_RAW",
	     sys_clock_nanosleep(CLOCK_MONOTONIC_RAW, 0, &t, NULL));
	SHOW("clock_nanosleep MONOTONIC_COARSE",
	     sys_clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0, &t, NULL));
	SHOW("clock_nanosleep clock 99",
	     sys_clock_nanosleep(99, 0, &t, NULL));
	SHOW("clock_nanosleep clock 99, bad pointer",
	     sys_clock_nanosleep(99, 0, (void *)8, NULL));
	SHOW("clock_nanosleep RAW, bad pointer",
	     sys_clock_nanosleep(CLOCK_MONOTONIC_RAW, 0, (void *)8, NULL));
}

int main(void)
{
	plain_sleeps();
	interrupted();
	rejected();
	return 0;
}
