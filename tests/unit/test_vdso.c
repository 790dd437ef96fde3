/*
 * Unit tests of the vDSO's clock arithmetic and publication: the
 * counter-to-ns conversion (hal_clock_desc_ns: exact, 128-bit wide, a
 * counter behind the base reads as the base), the TSC clock's
 * calibration and slewing against a simulated TSC and reference
 * (hal/shared/tsc_clock.c: the reference until calibrated, then
 * continuous, monotonic, at most 0.1% off the measured rate, converging,
 * stepping forward only), the vvar page's sequence count and stores, and
 * the symbol lookup in the embedded image (and its refusal of corrupt
 * copies).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include <hal/hal.h>
#include <keel/errno.h>

#include "../../hal/shared/tsc_clock.h"
#include "vdso/vdso_internal.h"

extern const uint8_t vdso_image_start[], vdso_image_end[];

START_TEST(desc_converts_exactly)
{
	/* 10 MHz (riscv64 virt): 100 ns a tick, exactly. */
	struct hal_clock_desc d = { HAL_CLOCK_COUNTER_CPU, 32, 100ull << 32,
				    1000, 5 };

	ck_assert_uint_eq(hal_clock_desc_ns(&d, 1000), 5);
	ck_assert_uint_eq(hal_clock_desc_ns(&d, 1001), 105);
	ck_assert_uint_eq(hal_clock_desc_ns(&d, 1000 + 12345), 5 + 1234500);
	/* Behind the base: the base, never a wrapped huge value. */
	ck_assert_uint_eq(hal_clock_desc_ns(&d, 999), 5);
}
END_TEST

START_TEST(desc_is_128_bits_wide)
{
	/* 0.4 ns a tick (2.5 GHz) over 2^40 ticks: the product needs more
	 * than 64 bits. */
	struct hal_clock_desc d = { HAL_CLOCK_COUNTER_CPU, 32,
				    (2ull << 32) / 5, 0, 0 };
	uint64_t ticks = 1ull << 40;
	unsigned __int128 want = (unsigned __int128)ticks * d.mult >> 32;

	ck_assert_uint_eq(hal_clock_desc_ns(&d, ticks), (uint64_t)want);
	ck_assert_uint_gt(hal_clock_desc_ns(&d, ticks), 400000000000ull);
}
END_TEST

/* A simulated machine: a TSC at tsc_num/tsc_den ticks a ns of the
 * reference, which the tests move by hand. */
static uint64_t sim_ref_ns, sim_tsc_base;
static uint64_t sim_tsc_num = 3, sim_tsc_den = 1;

static uint64_t sim_ref(void)
{
	return sim_ref_ns;
}

static uint64_t sim_tsc(void)
{
	return sim_tsc_base + sim_ref_ns * sim_tsc_num / sim_tsc_den;
}

static void sim_reset(uint64_t num, uint64_t den)
{
	sim_ref_ns = 1000;
	sim_tsc_base = 77777;
	sim_tsc_num = num;
	sim_tsc_den = den;
}

START_TEST(tsc_clock_is_the_reference_until_calibrated)
{
	struct tsc_clock c;
	struct hal_clock_desc d;

	sim_reset(3, 1);
	tsc_clock_init(&c, sim_ref, sim_tsc, true);
	sim_ref_ns += TSC_CLOCK_CAL_NS / 2;
	ck_assert(!tsc_clock_sync(&c, &d));
	ck_assert_uint_eq(d.counter, HAL_CLOCK_COUNTER_NONE);
	ck_assert_uint_eq(tsc_clock_ns(&c), sim_ref_ns);
	sim_ref_ns += TSC_CLOCK_CAL_NS;
	ck_assert(tsc_clock_sync(&c, &d));
	ck_assert_uint_eq(d.counter, HAL_CLOCK_COUNTER_CPU);
	/* Continuous at the switch, and the description is what it reads. */
	ck_assert_uint_eq(tsc_clock_ns(&c), sim_ref_ns);
	sim_ref_ns += 12345;
	ck_assert_uint_eq(tsc_clock_ns(&c), hal_clock_desc_ns(&d, sim_tsc()));
	ck_assert_uint_le(tsc_clock_ns(&c) > sim_ref_ns
				  ? tsc_clock_ns(&c) - sim_ref_ns
				  : sim_ref_ns - tsc_clock_ns(&c),
			  2);
}
END_TEST

START_TEST(tsc_clock_unusable_stays_on_the_reference)
{
	struct tsc_clock c;
	struct hal_clock_desc d;

	sim_reset(3, 1);
	tsc_clock_init(&c, sim_ref, sim_tsc, false);
	sim_ref_ns += 10 * TSC_CLOCK_CAL_NS;
	ck_assert(!tsc_clock_sync(&c, &d));
	ck_assert_uint_eq(d.counter, HAL_CLOCK_COUNTER_NONE);
	ck_assert_uint_eq(tsc_clock_ns(&c), sim_ref_ns);
}
END_TEST

/* Calibrated c: sim_ref_ns past the calibration, synced once. */
static void calibrated(struct tsc_clock *c, struct hal_clock_desc *d)
{
	tsc_clock_init(c, sim_ref, sim_tsc, true);
	sim_ref_ns += TSC_CLOCK_CAL_NS;
	ck_assert(tsc_clock_sync(c, d));
}

START_TEST(tsc_clock_slews_toward_the_reference_monotonically)
{
	struct tsc_clock c;
	struct hal_clock_desc d;
	uint64_t last = 0;
	int64_t err = 0;

	sim_reset(3, 1);
	calibrated(&c, &d);
	/* The reference now runs 0.05% faster than the TSC suggested (the
	 * calibration was off): the clock must follow without ever going
	 * back or changing rate by more than 0.1% at a step. */
	sim_tsc_base = sim_tsc() - sim_ref_ns * 2997 / 1000;
	sim_tsc_num = 2997;
	sim_tsc_den = 1000;
	for (int i = 0; i < 2000; i++) {
		uint64_t before, after, rate = d.mult;

		sim_ref_ns += 10000000; /* a 10 ms tick */
		before = tsc_clock_ns(&c);
		ck_assert_uint_ge(before, last);
		ck_assert(tsc_clock_sync(&c, &d));
		after = tsc_clock_ns(&c);
		ck_assert_uint_eq(after, before); /* continuous */
		ck_assert_uint_le(d.mult > rate ? d.mult - rate : rate - d.mult,
				  rate / 500 + 1);
		last = after;
		err = (int64_t)(sim_ref_ns - after);
	}
	/* After 20 s the error is down to well under a millisecond. */
	ck_assert_int_lt(llabs(err), 100000);
}
END_TEST

START_TEST(tsc_clock_steps_forward_when_far_behind)
{
	struct tsc_clock c;
	struct hal_clock_desc d;

	sim_reset(3, 1);
	calibrated(&c, &d);
	/* The reference jumps 50 ms while the TSC stands still (a host
	 * that stopped the counter): the clock steps forward to it. */
	sim_tsc_base -= (TSC_CLOCK_STEP_NS * 5) * 3;
	sim_ref_ns += TSC_CLOCK_STEP_NS * 5;
	ck_assert(tsc_clock_sync(&c, &d));
	ck_assert_uint_eq(tsc_clock_ns(&c), sim_ref_ns);
}
END_TEST

START_TEST(vvar_sequence_and_stores)
{
	struct vvar_data vd;
	struct hal_clock_desc d = { HAL_CLOCK_COUNTER_CPU, 32, 7ull << 30,
				    123, 456 };

	memset(&vd, 0, sizeof(vd));
	vvar_write_begin(&vd);
	ck_assert_uint_eq(vd.seq % 2, 1); /* readers wait */
	vvar_store_clock(&vd, &d);
	vvar_store_offsets(&vd, 1000, 20);
	vvar_write_end(&vd);
	ck_assert_uint_eq(vd.seq, 2);
	ck_assert_mem_eq(&vd.clock, &d, sizeof(d));
	ck_assert_uint_eq(vd.realtime_offset_ns, 1000);
	ck_assert_uint_eq(vd.boottime_offset_ns, 20);
}
END_TEST

START_TEST(elf_lookup_finds_the_functions)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);
	uintptr_t a = 0, b = 0;

	ck_assert_int_eq(vdso_elf_lookup(vdso_image_start, len,
					 "__vdso_clock_gettime", &a), 0);
	ck_assert_int_eq(vdso_elf_lookup(vdso_image_start, len,
					 "__vdso_time", &b), 0);
	ck_assert_uint_gt(a, 0);
	ck_assert_uint_lt(a, len);
	ck_assert_uint_ne(a, b);
	ck_assert_int_eq(vdso_elf_lookup(vdso_image_start, len, "nothing",
					 &a), -ENOENT);
}
END_TEST

START_TEST(elf_lookup_refuses_corrupt_images)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);
	uint8_t *copy = malloc(len);
	uintptr_t off;

	memcpy(copy, vdso_image_start, len);
	copy[0] = 0; /* not ELF */
	ck_assert_int_eq(vdso_elf_lookup(copy, len, "__vdso_time", &off),
			 -ENOEXEC);
	memcpy(copy, vdso_image_start, len);
	/* Cut before the program headers end, then at the headers. */
	ck_assert_int_eq(vdso_elf_lookup(copy, 70, "__vdso_time", &off),
			 -ENOEXEC);
	ck_assert_int_eq(vdso_elf_lookup(copy, 10, "__vdso_time", &off),
			 -ENOEXEC);
	free(copy);
}
END_TEST

static Suite *vdso_suite(void)
{
	Suite *s = suite_create("vdso");
	TCase *tc = tcase_create("clock");

	tcase_add_test(tc, desc_converts_exactly);
	tcase_add_test(tc, desc_is_128_bits_wide);
	tcase_add_test(tc, tsc_clock_is_the_reference_until_calibrated);
	tcase_add_test(tc, tsc_clock_unusable_stays_on_the_reference);
	tcase_add_test(tc, tsc_clock_slews_toward_the_reference_monotonically);
	tcase_add_test(tc, tsc_clock_steps_forward_when_far_behind);
	tcase_add_test(tc, vvar_sequence_and_stores);
	tcase_add_test(tc, elf_lookup_finds_the_functions);
	tcase_add_test(tc, elf_lookup_refuses_corrupt_images);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(vdso_suite);
