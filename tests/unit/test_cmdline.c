/*
 * Unit tests of init's boot command line parser (services/init/cmdline.c):
 * options and run modes, one and several programs with their arguments,
 * quoting, and the malformed lines it must refuse (empty programs, bad
 * run=, unterminated quotes, too many programs, arguments or bytes).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <svc/cmdline.h>

static struct init_cmdline cl;

static void assert_argv(const struct init_prog *p, unsigned argc,
			const char *const *want)
{
	ck_assert_uint_eq(p->argc, argc);
	for (unsigned i = 0; i < argc; i++)
		ck_assert_str_eq(p->argv[i], want[i]);
	ck_assert_ptr_null(p->argv[argc]);
}

START_TEST(no_programs)
{
	static const char *const lines[] = { "", "   ", "ktest", "loglevel=3",
					     "loglevel=3 ktest --",
					     "\t--\n", "--- /x" };

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		ck_assert_int_eq(init_parse_cmdline(lines[i], &cl), 0);
		ck_assert_uint_eq(cl.nprogs, 0);
		ck_assert_int_eq(cl.mode, INIT_RUN_SEQ);
	}
	ck_assert_int_eq(init_parse_cmdline(NULL, &cl), 0);
	ck_assert_uint_eq(cl.nprogs, 0);
}
END_TEST

START_TEST(one_program_with_arguments)
{
	static const char *const want[] = { "/hello", "3", "a-b", "x=y" };

	ck_assert_int_eq(init_parse_cmdline("loglevel=2 --  /hello 3\ta-b "
					    " x=y  ",
					    &cl),
			 0);
	ck_assert_uint_eq(cl.nprogs, 1);
	ck_assert_int_eq(cl.mode, INIT_RUN_SEQ);
	assert_argv(&cl.progs[0], 4, want);
}
END_TEST

START_TEST(several_programs_and_run_mode)
{
	static const char *const a[] = { "/a", "x" };
	static const char *const b[] = { "/b" };
	static const char *const c[] = { "/c", "y", "--", "z" };

	ck_assert_int_eq(init_parse_cmdline("run=par -- /a x --- /b --- /c y "
					    "-- z",
					    &cl),
			 0);
	ck_assert_int_eq(cl.mode, INIT_RUN_PAR);
	ck_assert_uint_eq(cl.nprogs, 3);
	assert_argv(&cl.progs[0], 2, a);
	assert_argv(&cl.progs[1], 1, b);
	assert_argv(&cl.progs[2], 4, c);
	/* The last run= wins; other options are left to the core. */
	ck_assert_int_eq(init_parse_cmdline("run=par foo=bar run=seq -- /b",
					    &cl),
			 0);
	ck_assert_int_eq(cl.mode, INIT_RUN_SEQ);
	assert_argv(&cl.progs[0], 1, b);
	/* run= after "--" is an argument, not an option. */
	ck_assert_int_eq(init_parse_cmdline("-- /b --- /a run=par", &cl), 0);
	ck_assert_int_eq(cl.mode, INIT_RUN_SEQ);
	ck_assert_str_eq(cl.progs[1].argv[1], "run=par");
}
END_TEST

START_TEST(quotes_keep_blanks)
{
	static const char *const want[] = { "/hello", "a b", "cd ef", "" };

	ck_assert_int_eq(init_parse_cmdline("-- /hello \"a b\" c\"d e\"f \"\"",
					    &cl),
			 0);
	assert_argv(&cl.progs[0], 4, want);
}
END_TEST

START_TEST(malformed_lines_are_refused)
{
	static const char *const lines[] = {
		"-- ---",          "-- /a ---",        "-- /a --- --- /b",
		"run=fast -- /a",  "run= -- /a",       "run=PAR -- /a",
		"-- /a \"b c",     "\" -- /a",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		cl.nprogs = 99;
		ck_assert_msg(init_parse_cmdline(lines[i], &cl) == -EINVAL,
			      "accepted: %s", lines[i]);
		ck_assert_uint_eq(cl.nprogs, 0); /* cleared on error */
	}
}
END_TEST

/* Builds "-- /p0 --- /p1 ..." with n programs into buf. */
static void programs_line(char *buf, size_t size, unsigned n)
{
	size_t len = (size_t)snprintf(buf, size, "--");

	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s /p%u",
					i ? " ---" : "", i);
}

START_TEST(limits_are_enforced)
{
	static char line[INIT_CMDLINE_MAX * 2];
	size_t len;

	programs_line(line, sizeof(line), INIT_MAX_PROGS);
	ck_assert_int_eq(init_parse_cmdline(line, &cl), 0);
	ck_assert_uint_eq(cl.nprogs, INIT_MAX_PROGS);
	ck_assert_str_eq(cl.progs[INIT_MAX_PROGS - 1].argv[0], "/p15");
	programs_line(line, sizeof(line), INIT_MAX_PROGS + 1);
	ck_assert_int_eq(init_parse_cmdline(line, &cl), -E2BIG);

	/* One program with too many arguments (argv slots + its NULL). */
	len = (size_t)snprintf(line, sizeof(line), "-- /p");
	for (unsigned i = 1; i < INIT_MAX_ARGV - 1; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, " a");
	ck_assert_int_eq(init_parse_cmdline(line, &cl), 0);
	ck_assert_uint_eq(cl.progs[0].argc, INIT_MAX_ARGV - 1);
	snprintf(line + len, sizeof(line) - len, " a");
	ck_assert_int_eq(init_parse_cmdline(line, &cl), -E2BIG);

	/* Words longer than the store. */
	memset(line, 'w', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "-- /", 4);
	ck_assert_int_eq(init_parse_cmdline(line, &cl), -E2BIG);
	line[INIT_CMDLINE_MAX - 1] = '\0'; /* 4092 word bytes + NUL fit */
	ck_assert_int_eq(init_parse_cmdline(line, &cl), 0);
	ck_assert_uint_eq(strlen(cl.progs[0].argv[0]), INIT_CMDLINE_MAX - 4);
}
END_TEST

static Suite *cmdline_suite(void)
{
	Suite *s = suite_create("cmdline");
	TCase *tc = tcase_create("init");

	tcase_add_test(tc, no_programs);
	tcase_add_test(tc, one_program_with_arguments);
	tcase_add_test(tc, several_programs_and_run_mode);
	tcase_add_test(tc, quotes_keep_blanks);
	tcase_add_test(tc, malformed_lines_are_refused);
	tcase_add_test(tc, limits_are_enforced);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(cmdline_suite);
