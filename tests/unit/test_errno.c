/*
 * Unit tests of the errno table (<keel/errno.h>, core/lib/errno.c) against
 * the host: every Linux errno name has the host <errno.h>'s value, the
 * host has no errno keel lacks, errno_name agrees with glibc's
 * strerrorname_np for every user-visible value, and the kernel-internal
 * codes have Linux's numbers and names.
 */
#include "unit.h"

#include <limits.h>
#include <string.h>

#include "errno_list.h"

#include <keel/errno.h>
#include <keel/types.h>

static const struct errno_entry keel_errnos[] = { ERRNO_LIST(ERRNO_ENTRY) };

/* Values from here on are kernel-internal: the host library knows none. */
#define FIRST_INTERNAL 512

START_TEST(every_name_has_the_host_value)
{
	ck_assert_uint_eq(ARRAY_SIZE(keel_errnos), host_errnos_count);
	for (size_t i = 0; i < ARRAY_SIZE(keel_errnos); i++) {
		ck_assert_str_eq(keel_errnos[i].name, host_errnos[i].name);
		ck_assert_msg(keel_errnos[i].value == host_errnos[i].value,
			      "%s: keel %d, host %d", keel_errnos[i].name,
			      keel_errnos[i].value, host_errnos[i].value);
	}
}
END_TEST

static bool listed(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keel_errnos); i++)
		if (strcmp(keel_errnos[i].name, name) == 0)
			return true;
	return false;
}

START_TEST(the_host_has_no_errno_keel_lacks)
{
	int known = 0;

	for (int e = 1; e < FIRST_INTERNAL; e++) {
		const char *host = strerrorname_np(e);

		if (!host)
			continue;
		known++;
		ck_assert_msg(listed(host), "host errno %d (%s) not listed", e,
			      host);
	}
	/* 1..133 but for the two holes of asm-generic, 41 and 58. */
	ck_assert_int_eq(known, 131);
}
END_TEST

START_TEST(errno_name_agrees_with_glibc)
{
	for (int e = 0; e < FIRST_INTERNAL; e++) {
		const char *host = strerrorname_np(e);
		const char *want = e && host ? host : "E?";

		ck_assert_msg(strcmp(errno_name(e), want) == 0,
			      "errno_name(%d) = %s, want %s", e, errno_name(e),
			      want);
		ck_assert_str_eq(errno_name(-e), want);
	}
}
END_TEST

START_TEST(aliases_share_a_value)
{
	ck_assert_int_eq(EWOULDBLOCK, EAGAIN);
	ck_assert_int_eq(EDEADLOCK, EDEADLK);
	ck_assert_int_eq(EDEADLOCK, 35);
	ck_assert_int_eq(ENOTSUP, EOPNOTSUPP);
	ck_assert_str_eq(errno_name(-EWOULDBLOCK), "EAGAIN");
	ck_assert_str_eq(errno_name(EDEADLOCK), "EDEADLK");
}
END_TEST

static const struct errno_entry internal_errnos[] = {
	{ "ERESTARTSYS", 512 },     { "ERESTARTNOINTR", 513 },
	{ "ERESTARTNOHAND", 514 },  { "ENOIOCTLCMD", 515 },
	{ "ERESTART_RESTARTBLOCK", 516 }, { "EPROBE_DEFER", 517 },
	{ "EOPENSTALE", 518 },      { "ENOPARAM", 519 },
	{ "EBADHANDLE", 521 },      { "ENOTSYNC", 522 },
	{ "EBADCOOKIE", 523 },      { "ENOTSUPP", 524 },
	{ "ETOOSMALL", 525 },       { "ESERVERFAULT", 526 },
	{ "EBADTYPE", 527 },        { "EJUKEBOX", 528 },
	{ "EIOCBQUEUED", 529 },     { "ERECALLCONFLICT", 530 },
	{ "ENOGRACE", 531 },
};

START_TEST(internal_codes_are_linux_s)
{
	static const int macros[] = {
		ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ENOIOCTLCMD,
		ERESTART_RESTARTBLOCK, EPROBE_DEFER, EOPENSTALE, ENOPARAM,
		EBADHANDLE, ENOTSYNC, EBADCOOKIE, ENOTSUPP, ETOOSMALL,
		ESERVERFAULT, EBADTYPE, EJUKEBOX, EIOCBQUEUED,
		ERECALLCONFLICT, ENOGRACE,
	};

	ck_assert_uint_eq(ARRAY_SIZE(macros), ARRAY_SIZE(internal_errnos));
	for (size_t i = 0; i < ARRAY_SIZE(macros); i++) {
		const struct errno_entry *e = &internal_errnos[i];

		ck_assert_int_eq(macros[i], e->value);
		ck_assert_str_eq(errno_name(-e->value), e->name);
		ck_assert_str_eq(errno_name(e->value), e->name);
	}
	ck_assert_int_eq(MAX_ERRNO, 4095);
}
END_TEST

START_TEST(unnamed_values_are_e_question_mark)
{
	static const int unnamed[] = { 0,   41,	 58,   134,   511,     520,
				       532, 4095, 4096, -4096, INT_MIN, INT_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(unnamed); i++)
		ck_assert_msg(strcmp(errno_name(unnamed[i]), "E?") == 0,
			      "errno_name(%d) = %s", unnamed[i],
			      errno_name(unnamed[i]));
}
END_TEST

static Suite *test_errno_suite(void)
{
	Suite *s = suite_create("errno");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, every_name_has_the_host_value);
	tcase_add_test(tc, the_host_has_no_errno_keel_lacks);
	tcase_add_test(tc, errno_name_agrees_with_glibc);
	tcase_add_test(tc, aliases_share_a_value);
	tcase_add_test(tc, internal_codes_are_linux_s);
	tcase_add_test(tc, unnamed_values_are_e_question_mark);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(test_errno_suite);
