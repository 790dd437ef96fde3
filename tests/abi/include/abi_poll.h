/*
 * Printing poll results in the ABI tests of pipes and event files:
 * `label: IN OUT ...` with the bits Linux sets, in one order.
 */
#ifndef ABI_POLL_H
#define ABI_POLL_H

#include <poll.h>
#include <stdio.h>

/* Prints label and the POLL* bits of revents. */
static inline void abi_show_revents(const char *label, short r)
{
	printf("%s:%s%s%s%s%s%s\n", label, r & POLLIN ? " IN" : "",
	       r & POLLOUT ? " OUT" : "", r & POLLPRI ? " PRI" : "",
	       r & POLLERR ? " ERR" : "", r & POLLHUP ? " HUP" : "",
	       r & POLLNVAL ? " NVAL" : "");
}

/* Polls fd for POLLIN | POLLOUT without waiting and prints the result. */
static inline void abi_show_poll(const char *label, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT, 0 };

	poll(&p, 1, 0);
	abi_show_revents(label, p.revents);
}

#endif
