/* Unix datagram sockets: a socketpair's messages keep their boundaries
 * (a short buffer truncates: MSG_TRUNC in msg_flags, and the whole size
 * returned with MSG_TRUNC in the flags), MSG_PEEK, zero-length
 * datagrams, sendto/recvfrom with bound names (the sender's name comes
 * back; none for an unbound sender), connect as a default destination
 * (EPERM to a socket connected elsewhere, AF_UNSPEC disconnects,
 * ENOTCONN without one), ECONNREFUSED after the peer closed, EMSGSIZE,
 * a full receiver (EAGAIN; a blocked sender in a child resumes when the
 * parent reads), FIONREAD (the next datagram's size), poll, shutdown,
 * and sendmmsg/recvmmsg. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_socket.h"
#include "abi_poll.h"

static char dir[64];
static char big[1 << 18];

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static void pairs(void)
{
	int sv[2];

	SHOW("socketpair", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	{
		int type = -1;
		socklen_t len = sizeof(type);

		getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &len);
		printf("SO_TYPE %d\n", type);
	}
	abi_show_poll("poll empty", sv[1]);
	send(sv[0], "first", 5, 0);
	send(sv[0], "second", 6, 0);
	send(sv[0], "", 0, 0);
	SHOW("FIONREAD", nread(sv[1]));
	abi_show_poll("poll with data", sv[1]);
	abi_recv_show("peek", sv[1], 64, MSG_PEEK);
	abi_recv_show("short buffer", sv[1], 3, 0);
	abi_recv_show("MSG_TRUNC flag", sv[1], 2, MSG_TRUNC);
	abi_recv_show("empty datagram", sv[1], 64, 0);
	abi_recv_show("none left", sv[1], 64, MSG_DONTWAIT);
	SHOW("write", write(sv[1], "back", 4));
	SHOW("read 2 of 4", read(sv[0], big, 2));
	SHOW("read again (the rest is gone)", recv(sv[0], big, 8,
						   MSG_DONTWAIT));
	SHOW("EMSGSIZE", send(sv[0], big, sizeof(big), 0));
	SHOW("shutdown SHUT_RD", shutdown(sv[1], SHUT_RD));
	abi_show_poll("poll after SHUT_RD", sv[1]);
	abi_recv_show("recv after SHUT_RD", sv[1], 8, 0);
	SHOW("shutdown SHUT_WR", shutdown(sv[1], SHUT_WR));
	SHOW("send after SHUT_WR", send(sv[1], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	close(sv[1]);
}

static void names(void)
{
	struct sockaddr_un a, b, from;
	socklen_t la = abi_path_addr(&a, dir, "a"), lb = abi_path_addr(&b, dir, "b"), lf;
	int sa = socket(AF_UNIX, SOCK_DGRAM, 0);
	int sb = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	int anon = socket(AF_UNIX, SOCK_DGRAM, 0), third;
	char buf[16] = "";

	bind(sa, (struct sockaddr *)&a, la);
	bind(sb, (struct sockaddr *)&b, lb);
	SHOW("sendto b", sendto(sa, "to b", 4, 0, (struct sockaddr *)&b, lb));
	lf = sizeof(from);
	memset(&from, 0, sizeof(from));
	SHOW("recvfrom", recvfrom(sb, buf, sizeof(buf), 0,
				  (struct sockaddr *)&from, &lf));
	printf("from %s (len ok %d)\n", strrchr(from.sun_path, '/') + 1,
	       lf == la);
	SHOW("unbound sendto", sendto(anon, "anon", 4, 0,
				       (struct sockaddr *)&b, lb));
	lf = sizeof(from);
	SHOW("recvfrom unbound", recvfrom(sb, buf, sizeof(buf), 0,
					  (struct sockaddr *)&from, &lf));
	printf("unbound sender's name len %u\n", (unsigned)lf);
	SHOW("send unconnected", send(anon, "x", 1, 0));
	SHOW("connect", connect(anon, (struct sockaddr *)&b, lb));
	SHOW("send connected", send(anon, "conn", 4, 0));
	SHOW("recv", recv(sb, buf, sizeof(buf), 0));
	{
		struct sockaddr_un p;
		socklen_t pl = sizeof(p);

		SHOW("getpeername", getpeername(anon, (struct sockaddr *)&p,
						&pl));
		printf("peer %s\n", strrchr(p.sun_path, '/') + 1);
	}
	/* b connected to a: only a may send to b now. */
	SHOW("b connects to a", connect(sb, (struct sockaddr *)&a, la));
	SHOW("third party to b", sendto(anon, "x", 1, 0,
					(struct sockaddr *)&b, lb));
	SHOW("a to b", sendto(sa, "ok", 2, 0, (struct sockaddr *)&b, lb));
	{
		struct sockaddr u = { .sa_family = AF_UNSPEC };

		SHOW("disconnect b", connect(sb, &u, sizeof(u)));
		SHOW("b sends unconnected", send(sb, "x", 1, 0));
	}
	SHOW("third party to b again",
	     sendto(anon, "y", 1, 0, (struct sockaddr *)&b, lb));
	SHOW("to a missing name", sendto(anon, "x", 1, 0,
					 (struct sockaddr *)&(struct sockaddr_un){
						 AF_UNIX, "/nonexistent/x" },
					 sizeof(struct sockaddr_un)));
	/* The peer goes: ECONNREFUSED once, then not connected. */
	third = socket(AF_UNIX, SOCK_DGRAM, 0);
	connect(third, (struct sockaddr *)&b, lb);
	close(sb);
	SHOW("send to a closed peer", send(third, "x", 1, 0));
	SHOW("send again", send(third, "x", 1, 0));
	close(third);
	close(anon);
	close(sa);
	unlink(a.sun_path);
	unlink(b.sun_path);
	(void)buf;
}

/* A receiver takes at most 11 datagrams from other senders; then
 * EAGAIN, or a blocking sender waits for the reader. */
static void full_queue(void)
{
	struct sockaddr_un r;
	socklen_t lr = abi_path_addr(&r, dir, "r");
	int rs = socket(AF_UNIX, SOCK_DGRAM, 0);
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), n = 0, status;
	pid_t child;

	bind(rs, (struct sockaddr *)&r, lr);
	connect(s, (struct sockaddr *)&r, lr);
	while (send(s, "d", 1, MSG_DONTWAIT) == 1)
		n++;
	printf("queued before EAGAIN: %s\n", n > 0 ? "some" : "none");
	printf("then: %s\n", abi_errname(errno));
	abi_show_poll("poll full receiver's sender", s);
	child = fork();
	if (child == 0) {
		for (int k = 0; k < 3 * n; k++)
			if (send(s, "e", 1, 0) != 1)
				_exit(1);
		_exit(0);
	}
	for (int k = 0; k < 4 * n; k++)
		if (recv(rs, big, 1, 0) != 1)
			printf("recv %d failed\n", k);
	waitpid(child, &status, 0);
	printf("blocked sender status %d\n", WEXITSTATUS(status));
	SHOW("queue empty", recv(rs, big, 1, MSG_DONTWAIT));
	close(s);
	close(rs);
	unlink(r.sun_path);
}

static void mmsg(void)
{
	int sv[2];
	struct mmsghdr m[3];
	struct iovec iov[3];
	char bufs[3][8];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	memset(m, 0, sizeof(m));
	iov[0] = (struct iovec){ "one", 3 };
	iov[1] = (struct iovec){ "three", 5 };
	for (int k = 0; k < 2; k++) {
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
	}
	SHOW("sendmmsg", sendmmsg(sv[0], m, 2, 0));
	printf("msg_len %u %u\n", m[0].msg_len, m[1].msg_len);
	memset(m, 0, sizeof(m));
	for (int k = 0; k < 3; k++) {
		iov[k] = (struct iovec){ bufs[k], sizeof(bufs[k]) };
		m[k].msg_hdr.msg_iov = &iov[k];
		m[k].msg_hdr.msg_iovlen = 1;
	}
	SHOW("recvmmsg WAITFORONE", recvmmsg(sv[1], m, 3, MSG_WAITFORONE,
					     NULL));
	printf("got %u '%.3s' %u '%.5s'\n", m[0].msg_len, bufs[0],
	       m[1].msg_len, bufs[1]);
	SHOW("recvmmsg none", recvmmsg(sv[1], m, 3, MSG_DONTWAIT, NULL));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/keel-dgram-%d", (int)getpid());
	mkdir("/tmp", 01777);
	if (mkdir(dir, 0755)) {
		printf("mkdir %s: %s\n", dir, abi_errname(errno));
		return 1;
	}
	pairs();
	names();
	full_queue();
	mmsg();
	SHOW("rmdir", rmdir(dir));
	return 0;
}
