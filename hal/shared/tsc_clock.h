/*
 * A monotonic clock read from the x86-64 time-stamp counter and
 * disciplined by a slower reference clock (hosted: the host's
 * CLOCK_MONOTONIC; bare metal: the HPET or PIT-calibrated clock). Shared
 * by the hosted and bare-metal x86_64 backends, so that the kernel's
 * hal_clock_ns and the vDSO (which reads the TSC in user mode) compute
 * the very same function of the counter.
 *
 * Until the reference has run for TSC_CLOCK_CAL_NS the clock is the
 * reference itself and the description says HAL_CLOCK_COUNTER_NONE; the
 * first sync after that switches to the TSC at the measured rate. Each
 * later sync re-bases at the current point (continuity) and sets the rate
 * to the long-term measured one, slewed by at most TSC_CLOCK_SLEW_PPM
 * to bring the error to the reference down over TSC_CLOCK_SLEW_NS; a
 * clock that fell more than TSC_CLOCK_STEP_NS behind steps forward. So
 * the clock is continuous, never goes backwards, and does not drift.
 *
 * Readers and the (single) writer meet through a sequence count; the
 * writer samples the counter only after marking the sequence odd, so a
 * reader that used the old description read the counter before the new
 * base: what it got is at most what any later reader gets.
 */
#ifndef HAL_SHARED_TSC_CLOCK_H
#define HAL_SHARED_TSC_CLOCK_H

#ifndef KEEL_CORE
#error "HAL-internal header"
#endif

#include <hal/hal.h>

#define TSC_CLOCK_CAL_NS 20000000ull   /* 20 ms of reference first */
#define TSC_CLOCK_SLEW_NS 100000000ull /* errors go over 100 ms */
#define TSC_CLOCK_SLEW_PPM 1000        /* at most 0.1% faster or slower */
#define TSC_CLOCK_STEP_NS 10000000ull  /* behind by more: step forward */

struct tsc_clock {
	uint32_t seq;   /* odd while sync writes */
	bool tsc_mode;  /* reads the TSC through desc */
	bool usable;    /* may ever switch to the TSC */
	uint64_t (*ref_ns)(void);
	uint64_t (*read_tsc)(void); /* ordered counter read */
	uint64_t ref0, tsc0;        /* where rate measurement starts */
	struct hal_clock_desc desc; /* what readers use in tsc_mode */
};

/* Starts c on the reference clock ref_ns; usable false keeps it there
 * for good (a TSC that is not synchronized or not constant). */
void tsc_clock_init(struct tsc_clock *c, uint64_t (*ref_ns)(void),
		    uint64_t (*read_tsc)(void), bool usable);

/* The clock's present value: monotonic; any context, any CPU (not from
 * a signal handler interrupting tsc_clock_sync on the same thread). */
uint64_t tsc_clock_ns(struct tsc_clock *c);

/* hal_clock_sync for c: calibrates, re-bases, describes; callers
 * serialize. */
bool tsc_clock_sync(struct tsc_clock *c, struct hal_clock_desc *out);

/* The TSC, ordered after earlier loads (lfence; rdtsc), as the vDSO
 * reads it. */
static inline uint64_t tsc_read_ordered(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

#endif
