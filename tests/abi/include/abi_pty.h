/*
 * The pseudo-terminal helpers of the ABI tests of ptys (tests/abi/pty*.c):
 * a new pty pair through glibc's posix_openpt, grantpt, unlockpt and
 * ptsname, exact reads (Linux hands pty data over asynchronously, so a
 * test reads until it has the bytes it expects rather than once), and
 * printing what was read with control characters escaped.
 */
#ifndef ABI_PTY_H
#define ABI_PTY_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

/* Opens a new master (flags for posix_openpt) and its unlocked slave
 * (slave_flags for open); 0, or -1 with both closed. */
static inline int abi_pty_open(int flags, int slave_flags, int *master,
			       int *slave)
{
	char *name;

	*master = posix_openpt(flags);
	if (*master < 0)
		return -1;
	name = grantpt(*master) || unlockpt(*master) ? NULL : ptsname(*master);
	*slave = name ? open(name, slave_flags) : -1;
	if (*slave < 0) {
		close(*master);
		return -1;
	}
	return 0;
}

/* Reads exactly n bytes from fd (blocking) into buf, NUL-terminated:
 * n, or what came before EOF or an error (-1 when nothing did). */
static inline long abi_read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	buf[got] = '\0';
	return got || !n ? (long)got : -1;
}

/* Prints `label: "text"` with control bytes as \r, \n, \b or \xNN. */
static inline void abi_show_bytes(const char *label, const char *s, long n)
{
	printf("%s: \"", label);
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			printf("\\r");
		else if (c == '\n')
			printf("\\n");
		else if (c == '\b')
			printf("\\b");
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
}

/* Reads n bytes from fd and prints them under label. */
static inline void abi_expect(const char *label, int fd, size_t n)
{
	char buf[4096];
	long got = abi_read_full(fd, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);

	abi_show_bytes(label, buf, got < 0 ? 0 : got);
}

/* Puts fd's terminal in raw mode (cfmakeraw); 0 or -1. */
static inline int abi_pty_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -1;
	cfmakeraw(&t);
	return tcsetattr(fd, TCSANOW, &t);
}

#endif
