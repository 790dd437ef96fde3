/*
 * The vDSO's clocks: clock_gettime, gettimeofday, time and clock_getres
 * answered in user mode from the vvar page (core/vdso/vvar.h) and the
 * CPU's counter, and getcpu; everything they cannot answer goes to the
 * real system call. This file is user code: it is built into a small
 * position-independent shared object (core/vdso/user/<arch>/vdso.lds)
 * that the kernel embeds and maps into every process, so it uses nothing
 * but its own page, the vvar page and the counter: no libc, no
 * relocations, no writable data.
 *
 *   REALTIME, TAI                  monotonic + the realtime offset
 *   MONOTONIC, MONOTONIC_RAW       the clock itself
 *   BOOTTIME                       monotonic + the boottime offset
 *   REALTIME_COARSE, MONOTONIC_COARSE   as their fine clocks (Keel's
 *                                  system calls read the fine clock too,
 *                                  so the two never disagree)
 *   CPU-time clocks, unknown ids   the system call
 *
 * getcpu is always the system call: on riscv64 no register names the
 * hart to user mode, on hosted the vCPU is not the host CPU user code
 * runs on, and the QEMU x86-64 CPU Keel boots on has no RDTSCP/RDPID.
 */
#include "vdso.h"

/* Which offset clockid adds to the monotonic clock; false for the
 * clocks the vDSO does not answer. */
static bool clock_offset(const struct vvar_data *vd, int clockid,
			 uint64_t *off)
{
	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		*off = __atomic_load_n(&vd->realtime_offset_ns,
				       __ATOMIC_RELAXED);
		return true;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
		*off = 0;
		return true;
	case CLOCK_BOOTTIME:
		*off = __atomic_load_n(&vd->boottime_offset_ns,
				       __ATOMIC_RELAXED);
		return true;
	default:
		return false;
	}
}

bool vdso_read_clock(int clockid, uint64_t *ns)
{
	const struct vvar_data *vd = &vvar_page;

	for (;;) {
		uint32_t seq = __atomic_load_n(&vd->seq, __ATOMIC_ACQUIRE);
		struct hal_clock_desc d;
		uint64_t off;

		if (seq & 1) {
			vdso_relax();
			continue;
		}
		hal_clock_desc_load(&vd->clock, &d);
		if (d.counter != HAL_CLOCK_COUNTER_CPU ||
		    !clock_offset(vd, clockid, &off))
			return false;
		*ns = hal_clock_desc_ns(&d, vdso_counter()) + off;
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&vd->seq, __ATOMIC_RELAXED) == seq)
			return true;
	}
}

VDSO_EXPORT int __vdso_clock_gettime(int clockid, struct vdso_timespec *ts);
int __vdso_clock_gettime(int clockid, struct vdso_timespec *ts)
{
	uint64_t ns;

	if (!vdso_read_clock(clockid, &ns))
		return (int)vdso_syscall3(VDSO_NR_clock_gettime, clockid,
					  (long)ts, 0);
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (long)(ns % NSEC_PER_SEC);
	return 0;
}

VDSO_EXPORT int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	uint64_t ns;

	if (!vdso_read_clock(CLOCK_REALTIME, &ns))
		return (int)vdso_syscall3(VDSO_NR_gettimeofday, (long)tv,
					  (long)tz, 0);
	if (tv) {
		tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
		tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC);
	}
	if (tz) {
		tz->tz_minuteswest = 0; /* UTC, no DST: as the call */
		tz->tz_dsttime = 0;
	}
	return 0;
}

/* 1 ns for the clocks read from the counter (as the system call says);
 * the coarse clocks' tick and everything else from the call. */
VDSO_EXPORT int __vdso_clock_getres(int clockid, struct vdso_timespec *res);
int __vdso_clock_getres(int clockid, struct vdso_timespec *res)
{
	uint64_t ns;

	if (clockid == CLOCK_REALTIME_COARSE ||
	    clockid == CLOCK_MONOTONIC_COARSE || !vdso_read_clock(clockid, &ns))
		return (int)vdso_syscall3(VDSO_NR_clock_getres, clockid,
					  (long)res, 0);
	if (res) {
		res->tv_sec = 0;
		res->tv_nsec = 1;
	}
	return 0;
}

VDSO_EXPORT long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused);
long __vdso_getcpu(unsigned *cpu, unsigned *node, void *unused)
{
	return vdso_syscall3(VDSO_NR_getcpu, (long)cpu, (long)node,
			     (long)unused);
}

/* The plain names Linux's x86-64 vDSO exports beside the __vdso_ ones
 * (weak aliases; riscv64's version script keeps them local). */
VDSO_EXPORT int clock_gettime(int, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));
VDSO_EXPORT int gettimeofday(struct vdso_timeval *, struct vdso_timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));
VDSO_EXPORT int clock_getres(int, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_getres")));
VDSO_EXPORT long getcpu(unsigned *, unsigned *, void *)
	__attribute__((weak, alias("__vdso_getcpu")));
