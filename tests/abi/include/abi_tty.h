/*
 * The terminal of the ABI tests of ttys (tests/abi/tty.c,
 * tty_termios.c): on Keel the console is one of the standard fds; the
 * native oracle runs with stdin /dev/null and stdout a pipe, so it makes
 * a fresh pseudo-terminal and uses its slave. Both start with Linux's
 * tty_std_termios and no input waiting.
 */
#ifndef ABI_TTY_H
#define ABI_TTY_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* A terminal: one of the standard fds if one is, else a new pty slave;
 * -1 if there is none. */
static inline int abi_find_terminal(void)
{
	int master, fd;

	for (fd = 0; fd < 3; fd++)
		if (isatty(fd))
			return fd;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master))
		return -1;
	return open(ptsname(master), O_RDWR | O_NOCTTY);
}

#endif
