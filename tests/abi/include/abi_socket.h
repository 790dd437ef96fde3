/*
 * What the unix socket ABI tests (tests/abi/socket_*.c) share: a path
 * address under the test's own directory, and printing one recvmsg's
 * result with its MSG_TRUNC.
 */
#ifndef ABI_SOCKET_H
#define ABI_SOCKET_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "abi.h"

/* Fills a with dir/name; the address length bind and connect take. */
static inline socklen_t abi_path_addr(struct sockaddr_un *a, const char *dir,
				      const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s/%s", dir, name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
			   strlen(a->sun_path) + 1);
}

/* recvmsg of fd into a buffer of len (at most 64) with flags; prints
 * `label: n 'data' trunc T` or the errno. */
static inline void abi_recv_show(const char *label, int fd, size_t len,
				 int flags)
{
	char buf[64] = "";
	struct iovec iov = { buf, len < sizeof(buf) ? len : sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	long r = recvmsg(fd, &m, flags);

	if (r < 0)
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		printf("%s: %ld '%.*s' trunc %d\n", label, r,
		       (int)(r < (long)iov.iov_len ? r : (long)iov.iov_len),
		       buf, !!(m.msg_flags & MSG_TRUNC));
}

#endif
