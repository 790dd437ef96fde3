/*
 * Time: the monotonic clock and the one-shot timer.
 *
 * The reference clock is the HPET main counter, whose period the hardware
 * states (QEMU: 10 ns), so it needs no calibration. Without an HPET it
 * falls back to the TSC, calibrated against PIT channel 2 over 10 ms.
 * hal_clock_ns is the TSC disciplined by that reference
 * (hal/shared/tsc_clock.h), so that the vDSO can read the same clock in
 * user mode with rdtsc (the HPET is MMIO). Under QEMU the TSC is the
 * host's, shared by every vCPU.
 *
 * The timer is the local APIC timer in one-shot mode, whose rate is
 * measured against the clock over 1 ms at boot. Because a measured rate
 * can be a little fast, the interrupt handler checks the deadline against
 * the clock and re-arms for the rest if it came early: core_irq only ever
 * sees the timer once the clock has reached the deadline.
 *
 * Each CPU has its own local APIC timer and its own deadline (indexed by
 * hal_cpu_id()); the rate measured on the boot CPU holds for all, since
 * they share the bus clock. The HPET clock is global.
 */
#include "x86.h"

#include "../common/bm.h"
#include "../../shared/tsc_clock.h"

#define HPET_PHYS 0xfed00000ul
#define HPET_CAP 0x000
#define HPET_CONFIG 0x010
#define HPET_COUNTER 0x0f0
#define HPET_ENABLE 1ul
#define FS_PER_NS 1000000ul

#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define PIT_HZ 1193182ul
#define PIT_CAL_NS 10000000ul
#define TSC_MIN_CAL_TICKS 100000ul /* 10 MHz over PIT_CAL_NS */

static uintptr_t hpet;
static uint64_t (*clock_ticks)(void);
static uint64_t clock_base;     /* ticks at boot */
static uint64_t clock_mult;     /* ns per tick, 32.32 fixed point */
static uint64_t lapic_mult;     /* APIC timer ticks per ns, 32.32 */
static struct tsc_clock clock;  /* what hal_clock_ns reads */
/* Each CPU's deadline, HAL_TIMER_OFF when disarmed; only that CPU
 * touches its slot, interrupts off. */
static uint64_t timer_deadline[HAL_MAX_CPUS] = {
	[0 ... HAL_MAX_CPUS - 1] = HAL_TIMER_OFF
};

static uint64_t mul_shift32(uint64_t a, uint64_t b)
{
	return (uint64_t)(((unsigned __int128)a * b) >> 32);
}

static uint64_t hpet_ticks(void)
{
	return mmio_read64(hpet + HPET_COUNTER);
}

static uint64_t tsc_ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Uses the HPET if one answers at its usual address. */
static bool hpet_init(void)
{
	uint64_t cap, period_fs;

	hpet = mmio_va(HPET_PHYS);
	cap = mmio_read64(hpet + HPET_CAP);
	period_fs = cap >> 32;
	if (cap == 0 || cap == ~0ull || period_fs == 0 ||
	    period_fs > 100000000ul)
		return false;
	mmio_write64(hpet + HPET_CONFIG,
		     mmio_read64(hpet + HPET_CONFIG) | HPET_ENABLE);
	clock_ticks = hpet_ticks;
	clock_mult = (period_fs << 32) / FS_PER_NS;
	return true;
}

/* Counts TSC ticks while PIT channel 2 counts down 10 ms. */
static void tsc_init(void)
{
	uint64_t latch = PIT_HZ * PIT_CAL_NS / 1000000000ul, t0, t1;

	outb(PIT_GATE, (uint8_t)((inb(PIT_GATE) & ~0x02) | 0x01));
	outb(PIT_CMD, 0xb0); /* channel 2, lo/hi byte, mode 0 */
	outb(PIT_CH2, (uint8_t)latch);
	outb(PIT_CH2, (uint8_t)(latch >> 8));
	t0 = tsc_ticks();
	while (!(inb(PIT_GATE) & 0x20))
		;
	t1 = tsc_ticks();
	/* No PIT behind port 0x61 (QEMU microvm) ends the wait at once:
	 * assume a 1 GHz TSC rather than a clock racing ahead. */
	if (t1 - t0 < TSC_MIN_CAL_TICKS) {
		bm_printf("keel: no PIT either: assuming a 1 GHz TSC\n");
		t1 = t0 + PIT_CAL_NS;
	}
	clock_ticks = tsc_ticks;
	clock_mult = (PIT_CAL_NS << 32) / (t1 - t0);
}

/* The reference: HPET (or PIT-calibrated TSC) nanoseconds since boot. */
static uint64_t ref_clock_ns(void)
{
	return mul_shift32(clock_ticks() - clock_base, clock_mult);
}

uint64_t hal_clock_ns(void)
{
	return tsc_clock_ns(&clock);
}

bool hal_clock_sync(struct hal_clock_desc *out)
{
	return tsc_clock_sync(&clock, out);
}

/*
 * Measures the APIC timer's rate against the clock over 2 ms. Each end
 * reads the counter right next to the clock, so the reads' latency (large
 * under TCG while the code is first translated) cancels out; a warm-up
 * round runs the same code once before the measured one.
 */
static void lapic_calibrate(void)
{
	uint64_t t0, t1, ticks = 0, ns = 1;
	uint32_t c0, c1;
	int round;

	for (round = 0; round < 2; round++) {
		x86_apic_timer_start(0xffffffffu);
		c0 = x86_apic_timer_current();
		t0 = hal_clock_ns();
		do {
			t1 = hal_clock_ns();
		} while (t1 - t0 < (round ? 2000000u : 100000u));
		c1 = x86_apic_timer_current();
		ticks = c0 - c1;
		ns = t1 - t0;
	}
	x86_apic_timer_start(0);
	lapic_mult = (ticks << 32) / ns;
	if (lapic_mult == 0)
		lapic_mult = 1;
}

void x86_time_init(void)
{
	if (!hpet_init()) {
		bm_printf("keel: no HPET: TSC clock, calibrated by the PIT\n");
		tsc_init();
	}
	clock_base = clock_ticks();
	tsc_clock_init(&clock, ref_clock_ns, tsc_read_ordered, true);
	lapic_calibrate();
}

/* Programs the APIC for the current deadline. Interrupts off. */
static void timer_program(uint64_t deadline, uint64_t now)
{
	uint64_t delta, count;

	if (deadline == HAL_TIMER_OFF) {
		x86_apic_timer_start(0);
		return;
	}
	delta = deadline > now ? deadline - now : 0;
	count = mul_shift32(delta, lapic_mult) + 1;
	if (count > 0xffffffffu)
		count = 0xffffffffu; /* fires early and re-arms */
	x86_apic_timer_start((uint32_t)count);
}

void hal_timer_arm(uint64_t deadline_ns)
{
	unsigned long flags = hal_irq_save();

	timer_deadline[hal_cpu_id()] = deadline_ns;
	timer_program(deadline_ns, hal_clock_ns());
	hal_irq_restore(flags);
}

void x86_timer_irq(void)
{
	uint64_t now = hal_clock_ns(), *deadline = &timer_deadline[hal_cpu_id()];

	if (*deadline == HAL_TIMER_OFF)
		return;
	if (now < *deadline) {
		timer_program(*deadline, now);
		return;
	}
	*deadline = HAL_TIMER_OFF;
	core_irq(HAL_IRQ_TIMER);
}
