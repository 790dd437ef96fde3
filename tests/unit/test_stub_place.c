/*
 * Unit tests of the stub-thread placement policy (hal/hosted/stub_place.c,
 * stub_place_account): which placement it picks from the hand-over costs
 * it is fed, window by window. Pure: no stub process, no host calls (the
 * host side, stub_place_apply, is tested with a real stub in test_stub.c).
 */
#include "unit.h"

#include "../../hal/hosted/stub_place.h"

#define W STUB_PLACE_WINDOW

/* Feeds one whole window of traps that each cost cost; returns the
 * placement after the last one. */
static enum stub_placement window(struct stub_place *p, uint64_t cost)
{
	enum stub_placement m = STUB_PLACE_SHARED;

	for (unsigned i = 0; i < W; i++)
		m = stub_place_account(p, cost);
	return m;
}

/* Feeds traps of the given cost until the policy leaves PAIRED. */
static void until_shared(struct stub_place *p, uint64_t cost)
{
	while (stub_place_account(p, cost) == STUB_PLACE_PAIRED)
		;
}

/* Feeds windows of the given cost until the policy tries PAIRED; returns
 * how many it took (at most limit, else limit + 1). */
static unsigned windows_until_paired(struct stub_place *p, uint64_t cost,
				     unsigned limit)
{
	for (unsigned n = 1; n <= limit; n++)
		if (window(p, cost) == STUB_PLACE_PAIRED)
			return n;
	return limit + 1;
}

START_TEST(starts_shared_and_tries_paired_after_two_windows)
{
	struct stub_place p = { 0 };

	ck_assert_uint_eq(windows_until_paired(&p, 1000, 10),
			  STUB_PLACE_PROBE_MIN);
	ck_assert_uint_eq(p.mean[STUB_PLACE_SHARED], 1000);
}
END_TEST

START_TEST(paired_that_is_a_quarter_cheaper_is_kept)
{
	struct stub_place p = { 0 };

	windows_until_paired(&p, 1000, 10);
	/* 700 < 3/4 of 1000: PAIRED wins and stays. */
	ck_assert_int_eq(window(&p, 700), STUB_PLACE_PAIRED);
	ck_assert_int_eq(p.preferred, STUB_PLACE_PAIRED);
	ck_assert_int_eq(window(&p, 700), STUB_PLACE_PAIRED);
}
END_TEST

START_TEST(paired_that_is_not_cheaper_enough_loses_and_tries_back_off)
{
	struct stub_place p = { 0 };
	unsigned gap = STUB_PLACE_PROBE_MIN;

	windows_until_paired(&p, 1000, 10);
	/* 800 is cheaper, but not by a quarter. */
	ck_assert_int_eq(window(&p, 800), STUB_PLACE_SHARED);
	ck_assert_int_eq(p.preferred, STUB_PLACE_SHARED);
	/* Each lost try doubles the wait for the next, up to the cap. */
	for (int i = 0; i < 8; i++) {
		gap = gap * 2 > STUB_PLACE_PROBE_MAX ? STUB_PLACE_PROBE_MAX :
						       gap * 2;
		ck_assert_uint_eq(windows_until_paired(&p, 1000, 200), gap);
		until_shared(&p, 5000);
		ck_assert_int_eq(p.preferred, STUB_PLACE_SHARED);
	}
	ck_assert_uint_eq(gap, STUB_PLACE_PROBE_MAX);
}
END_TEST

START_TEST(a_ruinous_try_ends_before_its_window_does)
{
	struct stub_place p = { 0 };
	unsigned traps = 0;

	windows_until_paired(&p, 1000, 10);
	/* Each PAIRED trap costs a whole shared window: the try has lost
	 * once it cost two shared windows, after 3 traps, not 256. */
	while (stub_place_account(&p, 1000 * W) == STUB_PLACE_PAIRED)
		ck_assert_uint_lt(++traps, W);
	ck_assert_uint_eq(traps, 2);
	ck_assert_int_eq(p.preferred, STUB_PLACE_SHARED);
	ck_assert_uint_eq(p.n, 0);
}
END_TEST

START_TEST(preferred_that_gets_worse_than_the_other_is_tried_against_it)
{
	struct stub_place p = { 0 };

	windows_until_paired(&p, 1000, 10);
	ck_assert_int_eq(window(&p, 100), STUB_PLACE_PAIRED); /* won */
	/* The host got busy: a PAIRED window now costs more than 4/3 of
	 * the last shared one, so SHARED is tried at once... */
	ck_assert_int_eq(window(&p, 1500), STUB_PLACE_SHARED);
	/* ... and wins back. */
	ck_assert_int_eq(window(&p, 1000), STUB_PLACE_SHARED);
	ck_assert_int_eq(p.preferred, STUB_PLACE_SHARED);
}
END_TEST

START_TEST(paired_preferred_still_looks_at_shared_now_and_then)
{
	struct stub_place p = { 0 };
	unsigned n;

	windows_until_paired(&p, 1000, 10);
	ck_assert_int_eq(window(&p, 100), STUB_PLACE_PAIRED);
	for (n = 1; n <= 10; n++)
		if (window(&p, 100) == STUB_PLACE_SHARED)
			break;
	ck_assert_uint_eq(n, STUB_PLACE_PROBE_MIN);
	/* SHARED at 1000 loses against PAIRED at 100, early. */
	for (n = 1; stub_place_account(&p, 1000) == STUB_PLACE_SHARED; n++)
		ck_assert_uint_lt(n, W);
	ck_assert_int_eq(p.preferred, STUB_PLACE_PAIRED);
}
END_TEST

static Suite *stub_place_suite(void)
{
	Suite *s = suite_create("stub_place");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, starts_shared_and_tries_paired_after_two_windows);
	tcase_add_test(tc, paired_that_is_a_quarter_cheaper_is_kept);
	tcase_add_test(tc,
		       paired_that_is_not_cheaper_enough_loses_and_tries_back_off);
	tcase_add_test(tc, a_ruinous_try_ends_before_its_window_does);
	tcase_add_test(tc,
		       preferred_that_gets_worse_than_the_other_is_tried_against_it);
	tcase_add_test(tc, paired_preferred_still_looks_at_shared_now_and_then);
	suite_add_tcase(s, tc);
	return s;
}

UNIT_SUITE(stub_place_suite);
