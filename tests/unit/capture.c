/*
 * Console capture for unit tests (see capture.h).
 */
#include "unit.h"
#include "capture.h"

#include <regex.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

void capture_start(struct capture *c)
{
	fflush(stdout);
	c->fd = memfd_create("log-capture", 0);
	ck_assert_int_ge(c->fd, 0);
	c->saved_stdout = dup(STDOUT_FILENO);
	ck_assert_int_ge(c->saved_stdout, 0);
	ck_assert_int_eq(dup2(c->fd, STDOUT_FILENO), STDOUT_FILENO);
}

const char *capture_stop(struct capture *c)
{
	ssize_t n;

	dup2(c->saved_stdout, STDOUT_FILENO);
	close(c->saved_stdout);
	n = pread(c->fd, c->text, sizeof(c->text) - 1, 0);
	close(c->fd);
	ck_assert_int_ge(n, 0);
	c->text[n] = '\0';
	return c->text;
}

bool matches(const char *text, const char *pattern)
{
	regex_t re;
	bool ok;

	ck_assert_int_eq(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	ok = regexec(&re, text, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

