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
		ck_assert_ptr_nonnull(cl.error);
	}
	init_parse_cmdline("-- /a \"b c", &cl);
	ck_assert_str_eq(cl.error, "a quote (\") is not closed");
	init_parse_cmdline("run=fast -- /a", &cl);
	ck_assert_str_eq(cl.error, "run= takes seq or par");
	ck_assert_int_eq(init_parse_cmdline("-- /a", &cl), 0);
	ck_assert_ptr_null(cl.error);
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
	ck_assert_str_eq(cl.error, "too many programs: at most 16");

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

/*
 * The word store (INIT_CMDLINE_MAX bytes) holds every word with its NUL.
 * fill_store writes "-- /" and then a word of n bytes: the store then
 * holds "--\0" (3 bytes) and "/www...\0" (n + 2 bytes).
 */
static char *fill_store(char *line, size_t n, const char *tail)
{
	size_t len = (size_t)sprintf(line, "-- /");

	memset(line + len, 'w', n);
	strcpy(line + len + n, tail);
	return line;
}

/* Bytes of the store "-- /" plus an n-byte word take. */
#define STORE_USED(n) (3 + (n) + 2)

START_TEST(store_exactly_full_is_accepted)
{
	static char line[INIT_CMDLINE_MAX * 2];
	size_t n = INIT_CMDLINE_MAX - STORE_USED(0);

	ck_assert_int_eq(init_parse_cmdline(fill_store(line, n, ""), &cl), 0);
	ck_assert_uint_eq(strlen(cl.progs[0].argv[0]), n + 1);
	/* One byte over, by a longer word or by one more empty word. */
	ck_assert_int_eq(init_parse_cmdline(fill_store(line, n + 1, ""), &cl),
			 -E2BIG);
	ck_assert_int_eq(init_parse_cmdline(fill_store(line, n - 1, " \"\""),
					    &cl),
			 0);
	ck_assert_str_eq(cl.progs[0].argv[1], "");
	ck_assert_int_eq(init_parse_cmdline(fill_store(line, n, " \"\""), &cl),
			 -E2BIG);
	ck_assert_uint_eq(cl.nprogs, 0);
}
END_TEST

/*
 * An empty word ("") stores only its NUL. With the store full, each one
 * must be refused, not written past the end of the store (the struct is
 * kmalloc'ed in init: that would corrupt the heap). The canary after the
 * struct catches a write past its end even without Valgrind.
 */
START_TEST(empty_words_after_a_full_store_are_refused)
{
	static char line[INIT_CMDLINE_MAX * 2];
	static struct {
		struct init_cmdline cl;
		unsigned char canary[64];
	} guarded;
	size_t len;

	/* The reproducer: 4095 x 'a', a space, then "" (and more of them). */
	memset(line, 'a', INIT_CMDLINE_MAX - 1);
	len = INIT_CMDLINE_MAX - 1;
	for (int i = 0; i < 40; i++)
		len += (size_t)sprintf(line + len, " \"\"");
	memset(guarded.canary, 0x5a, sizeof(guarded.canary));
	ck_assert_int_eq(init_parse_cmdline(line, &guarded.cl), -E2BIG);
	for (size_t i = 0; i < sizeof(guarded.canary); i++)
		ck_assert_msg(guarded.canary[i] == 0x5a,
			      "wrote past the word store at byte %zu", i);
	ck_assert_str_eq(guarded.cl.error, "the command line is too long: "
			 "its words take more than 4096 bytes");
	/* The same after "--", where the words become arguments. */
	fill_store(line, INIT_CMDLINE_MAX - STORE_USED(0), "");
	len = strlen(line);
	for (int i = 0; i < 40; i++)
		len += (size_t)sprintf(line + len, " \"\"");
	ck_assert_int_eq(init_parse_cmdline(line, &guarded.cl), -E2BIG);
	for (size_t i = 0; i < sizeof(guarded.canary); i++)
		ck_assert_msg(guarded.canary[i] == 0x5a,
			      "wrote past the word store at byte %zu", i);
}
END_TEST

START_TEST(lines_of_only_quotes_or_blanks)
{
	static char line[INIT_CMDLINE_MAX * 4];
	size_t len = 0;

	/* Only quotes: every "" is an empty word of one store byte. */
	ck_assert_int_eq(init_parse_cmdline("\"\" \"\"\"\" \"\"", &cl), 0);
	ck_assert_uint_eq(cl.nprogs, 0);
	ck_assert_int_eq(init_parse_cmdline("-- \"\" \"\"", &cl), 0);
	ck_assert_uint_eq(cl.progs[0].argc, 2);
	ck_assert_str_eq(cl.progs[0].argv[0], "");
	while (len < sizeof(line) - 4)
		len += (size_t)sprintf(line + len, "\"\" ");
	ck_assert_int_eq(init_parse_cmdline(line, &cl), -E2BIG);
	/* Only blanks, far more of them than the store holds: no word. */
	memset(line, ' ', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	line[7] = '\t';
	ck_assert_int_eq(init_parse_cmdline(line, &cl), 0);
	ck_assert_uint_eq(cl.nprogs, 0);
	/* A lone quote never closes. */
	ck_assert_int_eq(init_parse_cmdline("\"", &cl), -EINVAL);
	ck_assert_int_eq(init_parse_cmdline("-- /a \"\"\"", &cl), -EINVAL);
	ck_assert_int_eq(init_parse_cmdline("-- /a \"b  ", &cl), -EINVAL);
	ck_assert_uint_eq(cl.nprogs, 0);
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
	tcase_add_test(tc, store_exactly_full_is_accepted);
	tcase_add_test(tc, empty_words_after_a_full_store_are_refused);
	tcase_add_test(tc, lines_of_only_quotes_or_blanks);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(cmdline_suite);
