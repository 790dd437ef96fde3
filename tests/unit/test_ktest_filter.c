/*
 * Unit tests of the in-kernel test runner's filter (core/ktest/ktest.c,
 * ktest_selected): the `ktest=GLOB[,GLOB]...` option that `keel test ktest
 * 'sched.*'` passes to the kernel on every backend.
 */
#include "unit.h"

#include <keel/ktest.h>

static void no_test(struct ktest_ctx *t)
{
	(void)t;
}

static const struct ktest sleep_test = { "time", "sleep_wakes", no_test };
static const struct ktest fork_test = { "mm", "fork_copy_on_write", no_test };

START_TEST(no_filter_selects_all)
{
	ck_assert(ktest_selected(&sleep_test, NULL));
	ck_assert(ktest_selected(&fork_test, NULL));
}
END_TEST

START_TEST(suite_globs)
{
	ck_assert(ktest_selected(&sleep_test, "time"));
	ck_assert(!ktest_selected(&fork_test, "time"));
	ck_assert(ktest_selected(&sleep_test, "t*"));
	ck_assert(!ktest_selected(&sleep_test, "tim"));
	ck_assert(!ktest_selected(&sleep_test, "times"));
	ck_assert(!ktest_selected(&sleep_test, ""));
}
END_TEST

START_TEST(suite_dot_test_globs)
{
	ck_assert(ktest_selected(&sleep_test, "time.*"));
	ck_assert(ktest_selected(&sleep_test, "time.sleep*"));
	ck_assert(ktest_selected(&sleep_test, "*.sleep_wakes"));
	ck_assert(ktest_selected(&sleep_test, "ti?e.*wakes"));
	ck_assert(!ktest_selected(&sleep_test, "time.sleep"));
	ck_assert(!ktest_selected(&sleep_test, "mm.*"));
	ck_assert(!ktest_selected(&sleep_test, "time."));
	ck_assert(ktest_selected(&fork_test, "*.fork_*"));
	/* The dot splits suite from test: the suite glob stops there. */
	ck_assert(!ktest_selected(&fork_test, "mm*copy*"));
}
END_TEST

START_TEST(comma_separated_globs)
{
	ck_assert(ktest_selected(&sleep_test, "mm,time"));
	ck_assert(ktest_selected(&fork_test, "mm,time"));
	ck_assert(ktest_selected(&fork_test, "lib,*.fork_*"));
	ck_assert(!ktest_selected(&sleep_test, "lib,*.fork_*"));
	ck_assert(!ktest_selected(&sleep_test, ",")); /* two empty globs */
	ck_assert(ktest_selected(&sleep_test, "x,,time"));
}
END_TEST

static Suite *ktest_filter_suite(void)
{
	Suite *s = suite_create("ktest");
	TCase *tc = tcase_create("filter");

	tcase_add_test(tc, no_filter_selects_all);
	tcase_add_test(tc, suite_globs);
	tcase_add_test(tc, suite_dot_test_globs);
	tcase_add_test(tc, comma_separated_globs);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(ktest_filter_suite);
