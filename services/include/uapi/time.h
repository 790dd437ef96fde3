/*
 * Linux time structures of the system call ABI (64-bit: every field is
 * 64 bits wide) and the clock and timer ids of clock_gettime(2),
 * setitimer(2) and timer_create(2). Checked against the toolchain's
 * <linux/time.h> and <linux/time_types.h> (scripts/check-uapi).
 */
#ifndef UAPI_TIME_H
#define UAPI_TIME_H

#include <stdint.h>

struct linux_timespec { /* __kernel_timespec */
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct linux_timeval { /* __kernel_old_timeval */
	int64_t tv_sec;
	int64_t tv_usec;
};

struct linux_itimerval {
	struct linux_timeval it_interval;
	struct linux_timeval it_value;
};

struct linux_itimerspec { /* __kernel_itimerspec */
	struct linux_timespec it_interval;
	struct linux_timespec it_value;
};

struct linux_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
};

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11

/* clock_nanosleep(2), timer_settime(2) flags. */
#define TIMER_ABSTIME 0x01

/* setitimer(2) which. */
#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2

#endif
