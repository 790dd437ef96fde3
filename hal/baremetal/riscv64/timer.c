/*
 * Time on riscv64: the time CSR (rdtime) counts at the device tree's
 * timebase-frequency (10 MHz on QEMU virt) on every hart alike; the
 * one-shot timer is the SBI set_timer call (TIME extension, else legacy),
 * one per hart. The wall clock is the virt machine's Goldfish RTC, found
 * in the device tree ("google,goldfish-rtc"): a 64-bit count of
 * nanoseconds since the Unix epoch in two 32-bit registers; reading
 * TIME_LOW latches TIME_HIGH, so low must be read first.
 *
 * The clock is rdtime converted by a 32.32 multiplier (rounded up, so the
 * clock never runs slow and a timer armed in ticks never fires before
 * its deadline in ns); the vDSO reads rdtime in user mode (scounteren.TM,
 * set in rv_timer_init) and converts with the same multiplier.
 */
#include "riscv.h"

#define NSEC_PER_SEC 1000000000ull

static uint64_t boot_ticks;
/* Ticks per second; the conversions assume it is at most 1 GHz. */
static uint64_t hz;
static struct hal_clock_desc clock; /* rdtime -> ns since boot */
static bool clock_published;

static uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

void rv_timer_init(void)
{
	hz = rv_machine.timebase_hz;
	boot_ticks = rdtime();
	clock = (struct hal_clock_desc){
		.counter = HAL_CLOCK_COUNTER_CPU,
		.shift = 32,
		.mult = ((NSEC_PER_SEC << 32) + hz - 1) / hz,
		.base_ticks = boot_ticks,
		.base_ns = 0,
	};
	rv_timer_cpu_init();
}

void rv_timer_cpu_init(void)
{
	/* User mode may read the time CSR (the vDSO's clock). */
	csr_set(scounteren, SCOUNTEREN_TM);
	rv_sbi_set_timer(UINT64_MAX);
}

/* Ticks until ns have passed, rounded up (so the timer never fires
 * early), saturating. */
static uint64_t ns_to_ticks(uint64_t ns)
{
	uint64_t secs = ns / NSEC_PER_SEC;
	uint64_t rest = ns % NSEC_PER_SEC;

	if (secs > UINT64_MAX / hz - 1)
		return UINT64_MAX;
	return secs * hz + (rest * hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
}

uint64_t hal_clock_ns(void)
{
	if (!hz)
		return 0;
	return hal_clock_desc_ns(&clock, rdtime());
}

/* A fixed description: true the first time only. */
bool hal_clock_sync(struct hal_clock_desc *out)
{
	bool changed = !clock_published && hz;

	clock_published = hz != 0;
	*out = hz ? clock : (struct hal_clock_desc){ 0 };
	return changed;
}

void hal_timer_arm(uint64_t deadline_ns)
{
	uint64_t ticks;

	if (deadline_ns == HAL_TIMER_OFF) {
		rv_sbi_set_timer(UINT64_MAX);
		return;
	}
	ticks = ns_to_ticks(deadline_ns);
	if (ticks > UINT64_MAX - boot_ticks)
		ticks = UINT64_MAX;
	else
		ticks += boot_ticks;
	rv_sbi_set_timer(ticks);
}

void rv_timer_ack(void)
{
	rv_sbi_set_timer(UINT64_MAX);
}

#define GOLDFISH_TIME_LOW 0x00
#define GOLDFISH_TIME_HIGH 0x04

uint64_t hal_wall_clock_ns(void)
{
	const struct rv_mmio *rtc = &rv_machine.rtc;
	volatile uint32_t *regs;
	uint64_t lo, hi;

	if (rtc->size == 0 || rtc->base >= DMAP_SIZE)
		return 0;
	regs = hal_phys_to_virt(rtc->base);
	lo = regs[GOLDFISH_TIME_LOW / 4];
	hi = regs[GOLDFISH_TIME_HIGH / 4];
	return hi << 32 | lo;
}
