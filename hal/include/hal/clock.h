/*
 * The HAL's clock description, apart from <hal/hal.h> because the vDSO
 * (user code, core/vdso/user/) computes the clock from it too and must
 * not see the rest of the HAL. Freestanding: <stdint.h> only.
 */
#ifndef HAL_CLOCK_H
#define HAL_CLOCK_H

#include <stdint.h>

/*
 * The clock as user mode can read it (for the vDSO). When counter is
 * HAL_CLOCK_COUNTER_CPU, hal_clock_ns() is exactly hal_clock_desc_ns(d,
 * the CPU's user-readable counter): x86-64 `lfence; rdtsc`, riscv64
 * `rdtime`, the same value on every CPU. HAL_CLOCK_COUNTER_NONE: the
 * clock cannot be read from user mode (or not yet: a backend may need to
 * calibrate first), so user mode must ask the kernel.
 */
#define HAL_CLOCK_COUNTER_NONE 0u
#define HAL_CLOCK_COUNTER_CPU 1u
struct hal_clock_desc {
	uint32_t counter; /* HAL_CLOCK_COUNTER_* */
	uint32_t shift;
	uint64_t mult;       /* ns per tick, fixed point: shift bits */
	uint64_t base_ticks; /* counter value at base_ns */
	uint64_t base_ns;
};

/* The nanoseconds d gives for counter value ticks (a counter behind the
 * base, which cannot happen on one clock, reads as the base). The
 * product is 128 bits wide, so any span of ticks converts exactly. */
static inline uint64_t hal_clock_desc_ns(const struct hal_clock_desc *d,
					 uint64_t ticks)
{
	uint64_t delta = ticks > d->base_ticks ? ticks - d->base_ticks : 0;

	return d->base_ns +
	       (uint64_t)(((unsigned __int128)delta * d->mult) >> d->shift);
}

/* Copies a description field by field with relaxed atomic accesses: how
 * sequence-counted readers and writers (hal/shared/tsc_clock.c, the vvar
 * page and the vDSO) move one without a data race. */
static inline void hal_clock_desc_load(const struct hal_clock_desc *src,
				       struct hal_clock_desc *dst)
{
	dst->counter = __atomic_load_n(&src->counter, __ATOMIC_RELAXED);
	dst->shift = __atomic_load_n(&src->shift, __ATOMIC_RELAXED);
	dst->mult = __atomic_load_n(&src->mult, __ATOMIC_RELAXED);
	dst->base_ticks = __atomic_load_n(&src->base_ticks, __ATOMIC_RELAXED);
	dst->base_ns = __atomic_load_n(&src->base_ns, __ATOMIC_RELAXED);
}

static inline void hal_clock_desc_store(struct hal_clock_desc *dst,
					const struct hal_clock_desc *src)
{
	__atomic_store_n(&dst->counter, src->counter, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->shift, src->shift, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->mult, src->mult, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->base_ticks, src->base_ticks, __ATOMIC_RELAXED);
	__atomic_store_n(&dst->base_ns, src->base_ns, __ATOMIC_RELAXED);
}

#endif
