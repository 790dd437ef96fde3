/*
 * riscv64's struct epoll_event: natural alignment (16 bytes).
 */
#ifndef UAPI_ARCH_EPOLL_H
#define UAPI_ARCH_EPOLL_H

#include <stdint.h>

struct linux_epoll_event {
	uint32_t events;
	uint64_t data;
};

_Static_assert(sizeof(struct linux_epoll_event) == 16, "epoll_event");

#endif
