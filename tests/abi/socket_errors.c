/* The errors of the socket calls, as Linux gives them: families
 * (EAFNOSUPPORT; AF_INET shown as "no unix" either way, since Linux has
 * it), types (EINVAL out of range, ESOCKTNOSUPPORT, a bad flag),
 * protocols (EPROTONOSUPPORT), ENOTSOCK and EBADF for every call, option
 * errors (EOPNOTSUPP for another level, ENOPROTOOPT, EINVAL for a short
 * or negative length) and the values of SO_TYPE, SO_DOMAIN,
 * SO_PROTOCOL, SO_ERROR, SO_SNDBUF/SO_RCVBUF (doubled) and the stored
 * booleans, bad pointers (EFAULT), listen on a
 * datagram socket, a stream sendto with an address, recv and send on an
 * unconnected stream socket, getpeername without a peer, and msghdr
 * checks (EMSGSIZE for too many iovecs, EINVAL for a negative
 * msg_namelen). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "abi.h"

static void creation(void)
{
	int sv[2];
	long r;

	SHOW("AF_MAX", socket(46, SOCK_STREAM, 0));
	SHOW("family -1", socket(-1, SOCK_STREAM, 0));
	SHOW("AF_MAX with type 12", socket(46, 12, 0));
	SHOW("family 100 with type 12", socket(100, 12, 0));
	r = socket(AF_INET, SOCK_STREAM, 0);
	printf("AF_INET: %s\n", r >= 0 || errno == EAFNOSUPPORT ? "ok" : "?");
	if (r >= 0)
		close((int)r);
	SHOW("type 0", socket(AF_UNIX, 0, 0));
	SHOW("type 11", socket(AF_UNIX, 11, 0));
	SHOW("SOCK_RDM", socket(AF_UNIX, SOCK_RDM, 0));
	SHOW("SOCK_PACKET", socket(AF_UNIX, SOCK_PACKET, 0));
	SHOW("bad flag", syscall(SYS_socket, AF_UNIX, SOCK_STREAM | 0x100000,
				 0));
	SHOW("protocol 2", socket(AF_UNIX, SOCK_STREAM, 2));
	r = socket(AF_UNIX, SOCK_STREAM, AF_UNIX);
	abi_yes("protocol AF_UNIX", r >= 0);
	close((int)r);
	r = socket(AF_UNIX, SOCK_RAW, 0);
	{
		int type = -1;
		socklen_t len = sizeof(type);

		getsockopt((int)r, SOL_SOCKET, SO_TYPE, &type, &len);
		printf("SOCK_RAW is SO_TYPE %d\n", type);
	}
	close((int)r);
	SHOW("socketpair AF_MAX", socketpair(46, SOCK_STREAM, 0, sv));
	SHOW("socketpair protocol 2", socketpair(AF_UNIX, SOCK_DGRAM, 2, sv));
}

static void not_sockets(void)
{
	int p[2], n;
	struct sockaddr_un a = { AF_UNIX, "/x" };
	socklen_t len = sizeof(a);
	char buf[4];

	pipe(p);
	n = p[0];
	SHOW("bind a pipe", bind(n, (struct sockaddr *)&a, sizeof(a)));
	SHOW("connect a pipe", connect(n, (struct sockaddr *)&a, sizeof(a)));
	SHOW("listen a pipe", listen(n, 1));
	SHOW("accept a pipe", accept(n, NULL, NULL));
	SHOW("getsockname a pipe", getsockname(n, (struct sockaddr *)&a, &len));
	SHOW("getpeername a pipe", getpeername(n, (struct sockaddr *)&a, &len));
	SHOW("send a pipe", send(p[1], "x", 1, 0));
	SHOW("recv a pipe", recv(n, buf, 1, MSG_DONTWAIT));
	SHOW("getsockopt a pipe", getsockopt(n, SOL_SOCKET, SO_TYPE, buf, &len));
	SHOW("setsockopt a pipe", setsockopt(n, SOL_SOCKET, SO_TYPE, buf, 4));
	SHOW("shutdown a closed fd", shutdown(99, SHUT_RD));
	SHOW("send a closed fd", send(99, "x", 1, 0));
	close(p[0]);
	close(p[1]);
}

static int get_int(int fd, int name)
{
	int v = -12345;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, name, &v, &len))
		return -errno;
	return v;
}

static void options(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), v = 4096, on = 1;
	socklen_t len;
	char c;

	printf("SO_TYPE %d SO_DOMAIN %d SO_PROTOCOL %d SO_ERROR %d\n",
	       get_int(s, SO_TYPE), get_int(s, SO_DOMAIN),
	       get_int(s, SO_PROTOCOL), get_int(s, SO_ERROR));
	printf("SO_ACCEPTCONN %d SO_PASSCRED %d SO_REUSEADDR %d\n",
	       get_int(s, SO_ACCEPTCONN), get_int(s, SO_PASSCRED),
	       get_int(s, SO_REUSEADDR));
	SHOW("SO_SNDBUF 4096", setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v,
					  sizeof(v)));
	SHOW("SO_RCVBUF 4096", setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v,
					  sizeof(v)));
	printf("SO_SNDBUF %d SO_RCVBUF %d\n", get_int(s, SO_SNDBUF),
	       get_int(s, SO_RCVBUF));
	v = 1;
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v));
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	printf("minimums: SO_SNDBUF %d SO_RCVBUF %d\n", get_int(s, SO_SNDBUF),
	       get_int(s, SO_RCVBUF));
	SHOW("SO_REUSEADDR", setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on,
					sizeof(on)));
	SHOW("SO_KEEPALIVE", setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &on,
					sizeof(on)));
	printf("SO_REUSEADDR %d SO_KEEPALIVE %d\n", get_int(s, SO_REUSEADDR),
	       get_int(s, SO_KEEPALIVE));
	SHOW("set SO_TYPE", setsockopt(s, SOL_SOCKET, SO_TYPE, &on,
				       sizeof(on)));
	SHOW("set unknown", setsockopt(s, SOL_SOCKET, 9999, &on, sizeof(on)));
	SHOW("get unknown", getsockopt(s, SOL_SOCKET, 9999, &v, &len));
	SHOW("set short", setsockopt(s, SOL_SOCKET, SO_PASSCRED, &c, 1));
	SHOW("set negative", setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, -1));
	SHOW("set another level", setsockopt(s, 6, 1, &on, sizeof(on)));
	len = sizeof(v);
	SHOW("get another level", getsockopt(s, 6, 1, &v, &len));
	len = (socklen_t)-1;
	SHOW("get negative length", getsockopt(s, SOL_SOCKET, SO_TYPE, &v,
					       &len));
	len = 1;
	v = 0;
	SHOW("get 1 byte", getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len));
	printf("len %u value %d\n", (unsigned)len, v);
	SHOW("get to a bad pointer", syscall(SYS_getsockopt, s, SOL_SOCKET,
					     SO_TYPE, (void *)8, &len));
	SHOW("get with a bad length pointer",
	     syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, &v, (void *)8));
	SHOW("set from a bad pointer", syscall(SYS_setsockopt, s, SOL_SOCKET,
					       SO_PASSCRED, (void *)8, 4));
	{
		struct ucred cr;

		len = sizeof(cr);
		getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cr, &len);
		printf("SO_PEERCRED unconnected: pid %d uid %d gid %d\n",
		       cr.pid, (int)cr.uid, (int)cr.gid);
	}
	close(s);
}

static void states(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), d = socket(AF_UNIX, SOCK_DGRAM, 0);
	int sv[2];
	struct sockaddr_un a = { AF_UNIX, "/x" }, n;
	socklen_t len = sizeof(n);
	char buf[8];

	SHOW("send unconnected stream", send(s, "x", 1, MSG_NOSIGNAL));
	SHOW("recv unconnected stream", recv(s, buf, 1, 0));
	SHOW("sendto unconnected stream with address",
	     sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	SHOW("getpeername unconnected", getpeername(s, (struct sockaddr *)&n,
						    &len));
	len = sizeof(n);
	SHOW("getsockname unbound", getsockname(s, (struct sockaddr *)&n, &len));
	printf("len %u family %d\n", (unsigned)len, n.sun_family);
	SHOW("getsockname bad pointer",
	     syscall(SYS_getsockname, s, (void *)8, &len));
	len = (socklen_t)-1;
	SHOW("getsockname negative length",
	     getsockname(s, (struct sockaddr *)&n, &len));
	SHOW("listen dgram", listen(d, 1));
	SHOW("accept dgram", accept(d, NULL, NULL));
	SHOW("bind length 200", bind(s, (struct sockaddr *)&a, 200));
	SHOW("bind bad pointer", syscall(SYS_bind, s, (void *)8, 10));
	SHOW("connect length 1", connect(s, (struct sockaddr *)&a, 1));
	SHOW("connect dgram length 1", connect(d, (struct sockaddr *)&a, 1));
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	SHOW("sendto connected stream with address",
	     sendto(sv[0], "x", 1, 0, (struct sockaddr *)&a, sizeof(a)));
	SHOW("connect a connected pair", connect(sv[0], (struct sockaddr *)&a,
						 sizeof(a)));
	{
		struct iovec iov = { buf, 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1025 };

		SHOW("sendmsg 1025 iovecs", sendmsg(sv[0], &m, 0));
		m.msg_iovlen = 1;
		m.msg_name = &a;
		m.msg_namelen = -1;
		SHOW("sendmsg negative msg_namelen", syscall(SYS_sendmsg, sv[0],
							     &m, 0));
		SHOW("sendmsg bad msghdr", syscall(SYS_sendmsg, sv[0],
						   (void *)8, 0));
		SHOW("recvmsg bad msghdr", syscall(SYS_recvmsg, sv[1],
						   (void *)8, 0));
		m.msg_name = NULL;
		m.msg_namelen = 0;
		iov.iov_base = (void *)8;
		SHOW("sendmsg bad buffer", syscall(SYS_sendmsg, sv[0], &m, 0));
		m.msg_iov = (void *)8;
		SHOW("sendmsg bad iovec", syscall(SYS_sendmsg, sv[0], &m, 0));
	}
	SHOW("recvfrom with a bad address pointer",
	     (send(sv[0], "y", 1, 0),
	      syscall(SYS_recvfrom, sv[1], buf, 1, 0, (void *)8, &len)));
	close(sv[0]);
	close(sv[1]);
	close(s);
	close(d);
}

int main(void)
{
	creation();
	not_sockets();
	options();
	states();
	return 0;
}
