/*
 * poll(2) and ppoll(2): struct pollfd and the event bits (the generic
 * values, which both architectures use). Checked against the toolchain's
 * <asm/poll.h> (scripts/check-uapi).
 */
#ifndef UAPI_POLL_H
#define UAPI_POLL_H

#include <stdint.h>

#define POLLIN 0x0001
#define POLLPRI 0x0002
#define POLLOUT 0x0004
#define POLLERR 0x0008
#define POLLHUP 0x0010
#define POLLNVAL 0x0020
#define POLLRDNORM 0x0040
#define POLLRDBAND 0x0080
#define POLLWRNORM 0x0100
#define POLLWRBAND 0x0200
#define POLLMSG 0x0400
#define POLLREMOVE 0x1000
#define POLLRDHUP 0x2000

struct linux_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

#endif
