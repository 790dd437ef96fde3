/*
 * Unit tests of kvsnprintf/ksnprintf (core/lib/format.c): every
 * conversion, modifier and flag the core documents, compared with glibc's
 * snprintf where the two promise the same output, plus truncation and the
 * return value.
 */
#include "unit.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <keel/log.h>

/* Formats with both ksnprintf and snprintf and requires equal results. */
#define SAME(fmt, ...)                                                     \
	do {                                                               \
		char k[256], g[256];                                       \
		int kn = ksnprintf(k, sizeof(k), fmt, __VA_ARGS__);        \
		int gn = snprintf(g, sizeof(g), fmt, __VA_ARGS__);         \
		ck_assert_msg(kn == gn && strcmp(k, g) == 0,               \
			      "format \"%s\": keel \"%s\" (%d), "          \
			      "libc \"%s\" (%d)",                          \
			      fmt, k, kn, g, gn);                          \
	} while (0)

START_TEST(signed_decimal)
{
	SAME("%d", 0);
	SAME("%d", 42);
	SAME("%d", -42);
	SAME("%i", INT_MAX);
	SAME("%i", INT_MIN);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%zd", (ssize_t)-5);
	SAME("%hd", (short)-32768);
	SAME("%hhd", (signed char)-128);
	SAME("%hhd", 300); /* wraps to char like C */
	SAME("%jd", (intmax_t)-1);
	SAME("%td", (ptrdiff_t)-7);
}
END_TEST

START_TEST(unsigned_conversions)
{
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%zu", (size_t)12345);
	SAME("%hu", 70000);
	SAME("%hhu", 257);
	SAME("%x", 0xdeadbeefu);
	SAME("%X", 0xdeadbeefu);
	SAME("%lx", 0xfedcba9876543210ul);
	SAME("%o", 8u);
	SAME("%llo", ULLONG_MAX);
	SAME("%#x", 255u);
	SAME("%#X", 255u);
	SAME("%#x", 0u);
	SAME("%#o", 8u);
}
END_TEST

/* These deliberately use formats gcc warns about (flags C ignores, a NULL
 * %s, unknown conversions) to check that keel treats them as C does. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

START_TEST(widths_and_flags)
{
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME("[%-05d]", -42); /* '-' overrides '0' */
	SAME("[%+d]", 42);
	SAME("[%+d]", -42);
	SAME("[% d]", 42);
	SAME("[%2d]", 12345); /* width never truncates */
	SAME("[%08x]", 0xabcu);
	SAME("[%#010x]", 0xabcu);
	SAME("[%8s]", "abc");
	SAME("[%-8s]|", "abc");
	SAME("[%3c]", 'x');
	SAME("[%-3c]", 'x');
	SAME("[%*d]", 6, 7);
	SAME("[%*d]", -6, 7); /* negative '*' width means left-justify */
	SAME("[%016llx]", 0x1234ull);
}
END_TEST

START_TEST(precision)
{
	SAME("[%.3d]", 5);
	SAME("[%.3d]", -5);
	SAME("[%6.3d]", 5);
	SAME("[%06.3d]", 5); /* precision disables the '0' flag */
	SAME("[%.0d]", 0);
	SAME("[%.0x]", 0u);
	SAME("[%.2s]", "abcdef");
	SAME("[%.*s]", 3, "abcdef");
	SAME("[%.10s]", "abc");
	SAME("[%8.2s]", "abcdef");
}
END_TEST

START_TEST(strings_chars_percent)
{
	char buf[32];

	SAME("%s", "");
	SAME("%s and %s", "this", "that");
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("100%% %s", "sure");
	SAME("%s", "no conversion at all");
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%s", (char *)NULL), 6);
	ck_assert_str_eq(buf, "(null)");
}
END_TEST

#pragma GCC diagnostic pop

START_TEST(pointers)
{
	char buf[64], expect[64];
	int x;
	void *p = &x;

	ksnprintf(buf, sizeof(buf), "%p", p);
	snprintf(expect, sizeof(expect), "0x%lx", (unsigned long)p);
	ck_assert_str_eq(buf, expect);
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%p", NULL), 3);
	ck_assert_str_eq(buf, "0x0");
	ksnprintf(buf, sizeof(buf), "[%18p]", (void *)0x1000);
	ck_assert_str_eq(buf, "[            0x1000]");
}
END_TEST

START_TEST(truncation)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	ck_assert_str_eq(buf, "0123456");

	memset(buf, 'X', sizeof(buf));
	ck_assert_int_eq(ksnprintf(buf, 4, "%d", -12345), 6);
	ck_assert_str_eq(buf, "-12");
	ck_assert_int_eq(buf[4], 'X');

	memset(buf, 'X', sizeof(buf));
	ck_assert_int_eq(ksnprintf(buf, 1, "abc"), 3);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(buf[1], 'X');

	/* size 0: nothing written, NULL buffer allowed, length still told */
	ck_assert_int_eq(ksnprintf(NULL, 0, "%d-%s", 123, "xy"), 6);

	/* exactly fits */
	memset(buf, 'X', sizeof(buf));
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%7s", "a"), 7);
	ck_assert_str_eq(buf, "      a");
}
END_TEST

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

START_TEST(odd_formats)
{
	char buf[32];

	/* an unknown conversion is printed as written */
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "a%yb"), 4);
	ck_assert_str_eq(buf, "a%yb");
	/* a lone '%' at the end too */
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "50%"), 3);
	ck_assert_str_eq(buf, "50%");
	ck_assert_int_eq(ksnprintf(buf, sizeof(buf), "%"), 1);
	ck_assert_str_eq(buf, "%");
}
END_TEST

#pragma GCC diagnostic pop

/* kvsnprintf must leave the caller's va_list usable by its contract's
 * users: formatting twice from one va_copy gives the same text. */
static int twice(char *a, char *b, size_t size, const char *fmt, ...)
{
	va_list ap, ap2;
	int n1, n2;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n1 = kvsnprintf(a, size, fmt, ap);
	n2 = kvsnprintf(b, size, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	return n1 == n2 ? n1 : -1;
}

START_TEST(vsnprintf_variant)
{
	char a[64], b[64];

	ck_assert_int_eq(twice(a, b, sizeof(a), "%s=%d %x", "k", -3, 0x1fu),
			 7);
	ck_assert_str_eq(a, "k=-3 1f");
	ck_assert_str_eq(a, b);
}
END_TEST

static Suite *format_suite(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, signed_decimal);
	tcase_add_test(tc, unsigned_conversions);
	tcase_add_test(tc, widths_and_flags);
	tcase_add_test(tc, precision);
	tcase_add_test(tc, strings_chars_percent);
	tcase_add_test(tc, pointers);
	tcase_add_test(tc, truncation);
	tcase_add_test(tc, odd_formats);
	tcase_add_test(tc, vsnprintf_variant);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(format_suite);
