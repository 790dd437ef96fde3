/*
 * x86-64's struct epoll_event: packed (12 bytes), as Linux's EPOLL_PACKED
 * on x86-64, for compatibility with 32-bit x86.
 */
#ifndef UAPI_ARCH_EPOLL_H
#define UAPI_ARCH_EPOLL_H

#include <stdint.h>

struct linux_epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

_Static_assert(sizeof(struct linux_epoll_event) == 12, "epoll_event");

#endif
