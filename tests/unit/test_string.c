/*
 * Unit tests of the core's string functions (core/lib/string.c), checked
 * against glibc where glibc has the same function (errno_name is tested in
 * test_errno.c).
 */
#include "unit.h"

#include <fnmatch.h>
#include <string.h>

#include <keel/errno.h>
#include <keel/string.h>

START_TEST(strlen_and_strnlen)
{
	const char *samples[] = { "", "a", "hello", "with\ttab", "x y z" };

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		ck_assert_uint_eq(kstrlen(samples[i]), strlen(samples[i]));
		ck_assert_uint_eq(kstrnlen(samples[i], 3),
				  strnlen(samples[i], 3));
		ck_assert_uint_eq(kstrnlen(samples[i], 100),
				  strlen(samples[i]));
	}
	ck_assert_uint_eq(kstrnlen("abc", 0), 0);
}
END_TEST

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

START_TEST(strcmp_matches_libc)
{
	const char *s[] = { "", "a", "ab", "abc", "abd", "b", "\x80", "\x7f" };
	size_t n = sizeof(s) / sizeof(s[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			ck_assert_int_eq(sign(kstrcmp(s[i], s[j])),
					 sign(strcmp(s[i], s[j])));
			for (size_t k = 0; k < 4; k++)
				ck_assert_int_eq(
					sign(kstrncmp(s[i], s[j], k)),
					sign(strncmp(s[i], s[j], k)));
		}
	}
}
END_TEST

START_TEST(strchr_finds_first_and_nul)
{
	const char *s = "hello";

	ck_assert_ptr_eq(kstrchr(s, 'l'), s + 2);
	ck_assert_ptr_eq(kstrchr(s, 'h'), s);
	ck_assert_ptr_null(kstrchr(s, 'z'));
	ck_assert_ptr_eq(kstrchr(s, '\0'), s + 5);
	ck_assert_ptr_null(kstrchr("", 'a'));
}
END_TEST

START_TEST(strlcpy_truncates_and_terminates)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(kstrlcpy(buf, "hi", sizeof(buf)), 2);
	ck_assert_str_eq(buf, "hi");

	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(kstrlcpy(buf, "0123456789", sizeof(buf)), 10);
	ck_assert_str_eq(buf, "0123456");

	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(kstrlcpy(buf, "abc", 1), 3);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(buf[1], 'X');

	/* size 0 writes nothing at all */
	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(kstrlcpy(buf, "abc", 0), 3);
	ck_assert_int_eq(buf[0], 'X');
}
END_TEST

START_TEST(strtou64_bases)
{
	static const struct {
		const char *text;
		unsigned base;
		uint64_t want;
	} cases[] = {
		{ "0", 0, 0 },
		{ "1234", 10, 1234 },
		{ "0x1fF", 0, 0x1ff },
		{ "0X10", 16, 16 },
		{ "ff", 16, 255 },
		{ "0755", 0, 0755 },
		{ "101", 2, 5 },
		{ "zz", 36, 35 * 36 + 35 },
		{ "18446744073709551615", 10, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t v = 7;

		ck_assert_msg(kstrtou64(cases[i].text, cases[i].base, &v) == 0,
			      "'%s' base %u refused", cases[i].text,
			      cases[i].base);
		ck_assert_msg(v == cases[i].want, "'%s' base %u: %llu",
			      cases[i].text, cases[i].base,
			      (unsigned long long)v);
	}
}
END_TEST

START_TEST(strtou64_rejects_bad_input)
{
	uint64_t v = 77;

	ck_assert_int_eq(kstrtou64("", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("12a", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64(" 12", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("-1", 10, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("0x", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("08", 0, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("2", 2, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("1", 1, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("1", 37, &v), -EINVAL);
	ck_assert_int_eq(kstrtou64("18446744073709551616", 10, &v), -ERANGE);
	ck_assert_int_eq(kstrtou64("0x10000000000000000", 0, &v), -ERANGE);
	/* failures leave *out alone */
	ck_assert_uint_eq(v, 77);
}
END_TEST

static bool glob(const char *pattern, const char *text)
{
	return kglob_matchn(pattern, strlen(pattern), text);
}

START_TEST(glob_matches_like_fnmatch)
{
	static const char *const patterns[] = {
		"",   "*",     "?",    "a",     "a*",   "*a",    "a*b", "*a*",
		"a?c", "**",   "a**c", "*.*",   "?*?",  "ab*ba", "*x",  "a*a*a",
	};
	static const char *const texts[] = {
		"",    "a",    "ab",  "abc",   "ba",    "aaa", "a.b",
		"abba", "abab", "xax", "aabaa", "axbxa", ".",   "abcab",
	};

	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
		for (size_t j = 0; j < sizeof(texts) / sizeof(texts[0]); j++)
			ck_assert_msg(glob(patterns[i], texts[j]) ==
					      (fnmatch(patterns[i], texts[j],
						       0) == 0),
				      "'%s' on '%s'", patterns[i], texts[j]);
	/* Only the first plen bytes are the pattern. */
	ck_assert(kglob_matchn("ab,cd", 2, "ab"));
	ck_assert(!kglob_matchn("ab,cd", 2, "ab,cd"));
	ck_assert(kglob_matchn("*,x", 1, "anything"));
	ck_assert(kglob_matchn("x", 0, ""));
	ck_assert(!kglob_matchn("x", 0, "x"));
}
END_TEST

static Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, strlen_and_strnlen);
	tcase_add_test(tc, strcmp_matches_libc);
	tcase_add_test(tc, strchr_finds_first_and_nul);
	tcase_add_test(tc, strlcpy_truncates_and_terminates);
	tcase_add_test(tc, strtou64_bases);
	tcase_add_test(tc, strtou64_rejects_bad_input);
	tcase_add_test(tc, glob_matches_like_fnmatch);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(string_suite);
