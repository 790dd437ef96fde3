/*
 * Unit tests of the kernel log (core/log/log.c): level prefix and
 * timestamp, level filtering, raw output, over-long lines, and a panic (in
 * a forked child, since it stops the machine) naming its place and ending
 * with status 99. Console output is captured by pointing the process's
 * stdout (where the hosted console writes) at a memfd.
 */
#include "unit.h"
#include "capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include <keel/log.h>

/* The "[seconds.micros]" timestamp of a log line, as a regex. */
#define STAMP "\\[ *[0-9]+\\.[0-9]{6}\\]"

START_TEST(klog_prefixes_level_and_time)
{
	struct capture c;
	const char *out;

	log_set_level(LOG_INFO);
	capture_start(&c);
	pr_info("hello %d", 42);
	pr_err("bad %s\n", "thing");
	out = capture_stop(&c);
	ck_assert_msg(matches(out, "^" STAMP " INFO hello 42\n"
				   STAMP " ERR  bad thing\n$"),
		      "got: %s", out);
}
END_TEST

START_TEST(level_filters_messages)
{
	struct capture c;
	const char *out;

	capture_start(&c);
	log_set_level(LOG_WARN);
	pr_debug("debug-dropped");
	pr_info("info-dropped");
	pr_warn("warn-kept");
	pr_err("err-kept");
	log_set_level(LOG_DEBUG);
	pr_debug("debug-kept");
	log_set_level(LOG_ERR);
	pr_warn("warn-dropped");
	log_set_level(LOG_INFO);
	out = capture_stop(&c);
	ck_assert_ptr_null(strstr(out, "dropped"));
	ck_assert_ptr_nonnull(strstr(out, "WARN warn-kept\n"));
	ck_assert_ptr_nonnull(strstr(out, "ERR  err-kept\n"));
	ck_assert_ptr_nonnull(strstr(out, "DBG  debug-kept\n"));
}
END_TEST

START_TEST(raw_output_has_no_prefix)
{
	struct capture c;

	capture_start(&c);
	kprintf("a=%d ", 1);
	kputs("b");
	kprintf("%s\n", "c");
	ck_assert_str_eq(capture_stop(&c), "a=1 bc\n");
}
END_TEST

START_TEST(long_lines_are_cut_and_marked)
{
	static char big[3000];
	struct capture c;
	const char *out;
	size_t len;

	memset(big, 'x', sizeof(big) - 1);
	capture_start(&c);
	kprintf("%s", big);
	out = capture_stop(&c);
	len = strlen(out);
	ck_assert_uint_lt(len, sizeof(big) - 1);
	ck_assert_uint_gt(len, 512);
	ck_assert_str_eq(out + len - 6, "[...]\n");

	capture_start(&c);
	pr_warn("%s", big);
	out = capture_stop(&c);
	len = strlen(out);
	ck_assert_str_eq(out + len - 6, "[...]\n");
	ck_assert_ptr_nonnull(strstr(out, "WARN xxxx"));
}
END_TEST

/* Every message ends its line, even one that only just fits the line
 * buffer (1024 bytes, the prefix "[    0.000000] WARN " included): one
 * with no room left for the newline is marked as cut instead. */
START_TEST(lines_that_just_fit_still_end)
{
	static char msg[1100];
	struct capture c;
	const char *out;
	size_t len;

	for (size_t n = 990; n < 1020; n++) {
		memset(msg, 'y', n);
		msg[n] = '\0';
		capture_start(&c);
		pr_warn("%s", msg);
		out = capture_stop(&c);
		len = strlen(out);
		ck_assert_uint_gt(len, 0);
		ck_assert_msg(out[len - 1] == '\n',
			      "a %zu-byte message left its line open", n);
		ck_assert_msg(strchr(out, '\n') == out + len - 1,
			      "a %zu-byte message made two lines", n);
	}
}
END_TEST

/* Panics in a forked child. The backtrace comes from libunwind, which
 * probes addresses by writing stack bytes to a pipe: memcheck reports that
 * as uninitialised data, so the child (which only produces text for the
 * parent to check) runs without error reporting. */
static void panicking_child(int out_fd)
{
	VALGRIND_DISABLE_ERROR_REPORTING;
	dup2(out_fd, STDOUT_FILENO);
	panic("value %d is wrong", 7);
}

START_TEST(panic_names_place_and_powers_off)
{
	int fds[2], status;
	char text[8192];
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	fflush(stdout);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		panicking_child(fds[1]);
	}
	close(fds[1]);
	while ((n = read(fds[0], text + got, sizeof(text) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	text[got] = '\0';
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 99);
	ck_assert_msg(matches(text, "PANIC in panicking_child \\([^:]*"
				    "test_log\\.c:[0-9]+\\): "
				    "value 7 is wrong\n"),
		      "got: %s", text);
}
END_TEST

static Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, klog_prefixes_level_and_time);
	tcase_add_test(tc, level_filters_messages);
	tcase_add_test(tc, raw_output_has_no_prefix);
	tcase_add_test(tc, long_lines_are_cut_and_marked);
	tcase_add_test(tc, lines_that_just_fit_still_end);
	tcase_add_test(tc, panic_names_place_and_powers_off);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(log_suite);
