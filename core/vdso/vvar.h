/*
 * The vvar page: the data the kernel publishes to the vDSO, one page
 * mapped read-only into every process right below the vDSO's text (the
 * vDSO finds it at a fixed distance from its own code). Written by the
 * core only (core/vdso/vvar.c) under a sequence count, read by the vDSO
 * (core/vdso/user/) and nobody else: this layout is private to the two
 * and may change with any kernel.
 *
 * The clock is the HAL's own description of hal_clock_ns
 * (struct hal_clock_desc), so the vDSO computes exactly what the
 * kernel's clock_gettime does; counter HAL_CLOCK_COUNTER_NONE sends the
 * vDSO to the system call.
 */
#ifndef CORE_VDSO_VVAR_H
#define CORE_VDSO_VVAR_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/clock.h>

#define VVAR_SIZE 4096ul /* one page on both architectures */

struct vvar_data {
	uint32_t seq; /* odd while the kernel writes */
	uint32_t reserved;
	struct hal_clock_desc clock; /* monotonic ns since boot */
	uint64_t realtime_offset_ns; /* REALTIME - MONOTONIC */
	uint64_t boottime_offset_ns; /* BOOTTIME - MONOTONIC (Keel: 0) */
};

_Static_assert(sizeof(struct vvar_data) <= VVAR_SIZE, "fits its page");

#endif
