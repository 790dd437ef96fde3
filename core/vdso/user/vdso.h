/*
 * What the vDSO's files share: the user structures and clock ids of the
 * ABI (both architectures lay them out alike), the vvar page, and the
 * export marker (everything else is hidden: built -fvisibility=hidden,
 * so calls inside the vDSO need no PLT or GOT).
 */
#ifndef VDSO_H
#define VDSO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vdso/vvar.h"
#include "vdso_arch.h"

#define VDSO_EXPORT __attribute__((visibility("default")))

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_TAI 11

#define NSEC_PER_SEC 1000000000ull
#define NSEC_PER_USEC 1000ull

struct vdso_timespec {
	int64_t tv_sec;
	long tv_nsec;
};

struct vdso_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct vdso_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

/* Placed by the linker script one page below the vDSO's first byte. */
extern const struct vvar_data vvar_page __attribute__((visibility("hidden")));

/* Reads clockid into *ns from one consistent snapshot of the vvar
 * page; false when the system call must answer (the clock is not read
 * from the counter, or the counter is not usable from user mode). */
bool vdso_read_clock(int clockid, uint64_t *ns);

#endif
