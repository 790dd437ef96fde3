/*
 * libFuzzer harness of the core's reading of the kernel command line
 * (core/kernel/cmdline.c) and of what boot does with the values it finds:
 * the input is the line, NUL-terminated. For each option the kernel reads
 * (loglevel, ktest, selftest, strace), cmdline_find; each value is parsed
 * as a number with kstrtou64 (as loglevel= is) and used as a ktest filter
 * with ktest_selected (as ktest= is), whose globs are kglob_matchn.
 *
 * Checks: a value lies inside the line, within one word; kstrtou64 agrees
 * with the C library's strtoull on what it accepts; kglob_matchn agrees
 * with fnmatch (where fnmatch's brackets and escapes do not differ).
 */
#include "fuzz.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include "kernel/cmdline.h"

static const char *const keys[] = { "loglevel", "ktest", "selftest",
				    "strace" };

/* A few tests a ktest= filter selects from, as KTEST() registers them. */
static const struct ktest tests[] = {
	{ "sched", "yield", NULL },
	{ "time", "sleep_ns", NULL },
	{ "vm", "fork_cow", NULL },
	{ "", "", NULL },
};

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* kstrtou64 of s in base against strtoull: same acceptance and value. */
static void check_number(const char *s, unsigned base)
{
	uint64_t v = 0;
	int err = kstrtou64(s, base, &v);
	unsigned long long ref;
	char *end;

	FUZZ_CHECK(err == 0 || err == -EINVAL || err == -ERANGE);
	if (err)
		return;
	/* Accepted: digits only (after a 0x), which strtoull reads whole. */
	FUZZ_CHECK(s[0] != '\0' && s[0] != '+' && s[0] != '-' &&
		   !blank(s[0]));
	errno = 0;
	ref = strtoull(s, &end, (int)base);
	FUZZ_CHECK(errno == 0 && *end == '\0' && ref == v);
}

/* Does s hold a character fnmatch reads otherwise than kglob_matchn? */
static int fnmatch_differs(const char *s)
{
	return strpbrk(s, "[\\") != NULL;
}

/* ktest_selected for one glob (no comma) against fnmatch on
 * "SUITE" or "SUITE.TEST". */
static void check_glob(const char *glob)
{
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		const struct ktest *k = &tests[i];
		const char *dot = strchr(glob, '.');
		int ref;

		if (!dot) {
			ref = fnmatch(glob, k->suite, 0) == 0;
		} else {
			char *suite = strndup(glob, (size_t)(dot - glob));

			FUZZ_CHECK(suite != NULL);
			ref = fnmatch(suite, k->suite, 0) == 0 &&
			      fnmatch(dot + 1, k->name, 0) == 0;
			free(suite);
		}
		FUZZ_CHECK(ktest_selected(k, glob) == ref);
	}
}

/* What boot does with one option's value (len bytes at value). */
static void use_value(const char *value, size_t len)
{
	char *s = strndup(value, len);

	FUZZ_CHECK(s != NULL);
	check_number(s, 0);
	check_number(s, 10);
	check_number(s, 16);
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		(void)ktest_selected(&tests[i], s);
	if (!strchr(s, ',') && !fnmatch_differs(s))
		check_glob(s);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_cstring(data, size);
	size_t line_len = strlen(line);

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *value = NULL;
		size_t len = 0;

		if (!cmdline_find(line, keys[i], &value, &len))
			continue;
		FUZZ_CHECK(value >= line && value <= line + line_len);
		FUZZ_CHECK(len <= (size_t)(line + line_len - value));
		for (size_t j = 0; j < len; j++)
			FUZZ_CHECK(!blank(value[j]));
		use_value(value, len);
	}
	free(line);
	return 0;
}
