/*
 * The clocks: clock_gettime(2), clock_getres(2), clock_settime(2),
 * gettimeofday(2) (and time(2) on x86-64, services/arch/x86_64/). The
 * core keeps one monotonic clock since boot and a settable wall clock
 * (<keel/time.h>), and per-task CPU time:
 *
 *   REALTIME, REALTIME_COARSE, TAI     the wall clock (TAI offset 0,
 *                                      as Linux before NTP sets one)
 *   MONOTONIC, _RAW, _COARSE, BOOTTIME the monotonic clock (Keel does
 *                                      not suspend: BOOTTIME = MONOTONIC)
 *   PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID   the task's user+system time
 *                                      (processes have one thread)
 *
 * The coarse clocks read the fine clock; their resolution is still
 * reported as one tick, as Linux's. The alarm clocks and the CPU clocks
 * of other processes (negative ids) are -EINVAL.
 */
#include <keel/errno.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/clock.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/time.h>

#define TICK_NS (NSEC_PER_SEC / 250) /* CONFIG_HZ=250, as Debian's */

/* clock_gettime(clockid, tp): 0, -EINVAL (clock), -EFAULT. */
SYSCALL_DEFINE2(clock_gettime, int, clockid, uptr_t, tp)
{
	struct linux_timespec ts;
	uint64_t ns;
	int err = clock_read_ns(proc, clockid, &ns);

	if (err)
		return err;
	ts = clock_ns_to_timespec(ns);
	return copy_to_user(tp, &ts, sizeof(ts));
}

/* clock_getres(clockid, res): a tick for the coarse clocks, 1 ns for the
 * others (high-resolution, as Linux's); res may be NULL. */
SYSCALL_DEFINE2(clock_getres, int, clockid, uptr_t, res)
{
	struct linux_timespec ts;
	uint64_t ns;
	int err = clock_read_ns(proc, clockid, &ns);

	if (err)
		return err;
	if (!res.addr)
		return 0;
	if (clockid == CLOCK_REALTIME_COARSE ||
	    clockid == CLOCK_MONOTONIC_COARSE)
		ts = clock_ns_to_timespec(TICK_NS);
	else
		ts = clock_ns_to_timespec(1);
	return copy_to_user(res, &ts, sizeof(ts));
}

/* clock_settime(clockid, tp), in Linux's order: -EINVAL for a clock that
 * cannot be set (all but CLOCK_REALTIME), -EFAULT, -EINVAL for tv_nsec
 * outside [0, 1e9) or a negative time, -EPERM unless the caller is root
 * (CAP_SYS_TIME). */
SYSCALL_DEFINE2(clock_settime, int, clockid, uptr_t, tp)
{
	struct linux_timespec ts;

	if (clockid != CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_user(&ts, tp, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
	    ts.tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!cred_proc_capable(proc))
		return -EPERM;
	return time_set_realtime_ns((uint64_t)ts.tv_sec * NSEC_PER_SEC +
				    (uint64_t)ts.tv_nsec);
}

/* gettimeofday(tv, tz): the wall clock in microseconds; the time zone
 * (obsolete) is UTC with no DST. Either pointer may be NULL. */
SYSCALL_DEFINE2(gettimeofday, uptr_t, tv, uptr_t, tz)
{
	uint64_t ns = time_realtime_ns();
	struct linux_timeval t = {
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC),
	};
	struct linux_timezone zone = { 0, 0 };

	if (tv.addr && copy_to_user(tv, &t, sizeof(t)))
		return -EFAULT;
	if (tz.addr && copy_to_user(tz, &zone, sizeof(zone)))
		return -EFAULT;
	return 0;
}
