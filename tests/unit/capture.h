/*
 * Console capture for unit tests: between capture_start and capture_stop
 * the process's stdout (where the hosted console writes) goes to a memfd,
 * and capture_stop returns what was written (up to 4 KiB).
 */
#ifndef TESTS_UNIT_CAPTURE_H
#define TESTS_UNIT_CAPTURE_H

#include <stdbool.h>

struct capture {
	int fd;
	int saved_stdout;
	char text[4096];
};

void capture_start(struct capture *c);
/* Restores stdout and returns what was written meanwhile. */
const char *capture_stop(struct capture *c);
/* Does text match the extended regular expression pattern? */
bool matches(const char *text, const char *pattern);

#endif
