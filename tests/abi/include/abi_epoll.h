/*
 * Printing what epoll_wait reports in the ABI tests of epoll
 * (tests/abi/epoll_files.c, epoll_edge.c): one line per wait, the
 * entries sorted by their data so that the order of ready entries does
 * not matter.
 */
#ifndef ABI_EPOLL_H
#define ABI_EPOLL_H

#include <stdio.h>
#include <sys/epoll.h>

#include "abi.h"

/* Waits (timeout 0) on ep and prints "label: N [events:data]...". */
static inline void abi_show_epoll_wait(const char *label, int ep)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, 8, 0);

	if (n < 0) {
		SHOW(label, n);
		return;
	}
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && ev[j].data.u64 < ev[j - 1].data.u64; j--) {
			struct epoll_event t = ev[j];

			ev[j] = ev[j - 1];
			ev[j - 1] = t;
		}
	printf("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		printf(" [%s%s%s%s%s:%lu]", ev[i].events & EPOLLIN ? "IN" : "",
		       ev[i].events & EPOLLOUT ? "OUT" : "",
		       ev[i].events & EPOLLRDHUP ? "RDHUP" : "",
		       ev[i].events & EPOLLERR ? "ERR" : "",
		       ev[i].events & EPOLLHUP ? "HUP" : "",
		       (unsigned long)ev[i].data.u64);
	printf("\n");
}

#endif
