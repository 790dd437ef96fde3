/*
 * The TSC clock disciplined by a reference (see tsc_clock.h): the
 * calibration, the slewed re-basing and the sequence-counted readers.
 */
#include "tsc_clock.h"

#define FIX_SHIFT 32

void tsc_clock_init(struct tsc_clock *c, uint64_t (*ref_ns)(void),
		    uint64_t (*read_tsc)(void), bool usable)
{
	c->seq = 0;
	c->tsc_mode = false;
	c->usable = usable;
	c->ref_ns = ref_ns;
	c->read_tsc = read_tsc;
	c->desc = (struct hal_clock_desc){ .counter = HAL_CLOCK_COUNTER_NONE };
	c->ref0 = ref_ns();
	c->tsc0 = read_tsc();
}

uint64_t tsc_clock_ns(struct tsc_clock *c)
{
	for (;;) {
		uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
		struct hal_clock_desc d;
		uint64_t ns;

		if (seq & 1) {
			__builtin_ia32_pause();
			continue;
		}
		hal_clock_desc_load(&c->desc, &d);
		if (d.counter == HAL_CLOCK_COUNTER_CPU)
			ns = hal_clock_desc_ns(&d, c->read_tsc());
		else
			ns = c->ref_ns();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&c->seq, __ATOMIC_RELAXED) == seq)
			return ns;
	}
}

/* ns per tick in 32.32 fixed point over dref ns and dtsc ticks; both
 * are halved until dref << 32 fits 64 bits (the ratio keeps its
 * precision: dref stays above 2^30 ns). 0 when no tick passed. */
static uint64_t measured_mult(uint64_t dref, uint64_t dtsc)
{
	while (dref >= (1ull << 31)) {
		dref >>= 1;
		dtsc >>= 1;
	}
	return dtsc ? (dref << FIX_SHIFT) / dtsc : 0;
}

/* The rate that takes the clock from now_ns to the reference within the
 * slew window: rate sped up or slowed by err_ns / window, at most
 * TSC_CLOCK_SLEW_PPM. */
static uint64_t slewed_mult(uint64_t rate, int64_t err_ns)
{
	const int64_t max = (int64_t)(TSC_CLOCK_SLEW_NS / 1000000 *
				      TSC_CLOCK_SLEW_PPM);

	if (err_ns > max)
		err_ns = max;
	if (err_ns < -max)
		err_ns = -max;
	return (uint64_t)((int64_t)rate +
			  (int64_t)rate / 1024 * err_ns /
				  (int64_t)(TSC_CLOCK_SLEW_NS / 1024));
}

/* The next description from the counter and reference read together;
 * false when there is none yet (still calibrating). */
static bool next_desc(struct tsc_clock *c, uint64_t tsc, uint64_t ref,
		      struct hal_clock_desc *d)
{
	uint64_t rate = 0, now;

	if (tsc > c->tsc0 && ref > c->ref0)
		rate = measured_mult(ref - c->ref0, tsc - c->tsc0);
	if (rate == 0)
		return false;
	if (!c->tsc_mode) {
		if (ref - c->ref0 < TSC_CLOCK_CAL_NS)
			return false;
		now = ref; /* every reading so far was at most ref */
	} else {
		now = hal_clock_desc_ns(d, tsc);
		if (ref > now && ref - now > TSC_CLOCK_STEP_NS)
			now = ref;
		rate = slewed_mult(rate, (int64_t)(ref - now));
	}
	d->counter = HAL_CLOCK_COUNTER_CPU;
	d->shift = FIX_SHIFT;
	d->mult = rate;
	d->base_ticks = tsc;
	d->base_ns = now;
	return true;
}

bool tsc_clock_sync(struct tsc_clock *c, struct hal_clock_desc *out)
{
	struct hal_clock_desc d = c->desc;
	bool changed = false;

	if (c->usable) {
		__atomic_store_n(&c->seq, c->seq + 1, __ATOMIC_RELAXED);
		/* Odd before the counter is sampled (see the header). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		changed = next_desc(c, c->read_tsc(), c->ref_ns(), &d);
		if (changed) {
			hal_clock_desc_store(&c->desc, &d);
			c->tsc_mode = true;
		}
		__atomic_store_n(&c->seq, c->seq + 1, __ATOMIC_RELEASE);
	}
	*out = c->desc;
	return changed;
}
