/*
 * epoll(7)'s constants (<linux/eventpoll.h>, checked by scripts/check-
 * uapi); struct epoll_event differs per architecture (x86-64 packs it to
 * 12 bytes): <uapi/arch_epoll.h>.
 */
#ifndef UAPI_EVENTPOLL_H
#define UAPI_EVENTPOLL_H

#include <uapi/fcntl.h>

#define EPOLL_CLOEXEC O_CLOEXEC
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLLEXCLUSIVE (1u << 28)
#define EPOLLWAKEUP (1u << 29)
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)

#include <uapi/arch_epoll.h>

#endif
