/* Loopback UDP over IPv4: datagrams between bound ports with their
 * source addresses (sendto/recvfrom, sendmsg/recvmsg, sendmmsg and
 * recvmmsg), the implicit bind of a send, empty datagrams, MSG_TRUNC
 * (the flag out and in), MSG_PEEK, FIONREAD, EMSGSIZE over 65507 bytes,
 * connect (the default destination, the filter of what is received,
 * AF_UNSPEC), ECONNREFUSED after a connected send to nobody, EDESTADDRREQ,
 * SO_REUSEADDR, SO_BROADCAST, shutdown, poll, and the errors of stream
 * calls. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "abi_inet.h"
#include "abi_poll.h"

static char big[70000];

static int udp_on(const char *ip, int port)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = abi_in4(ip, port);

	if (bind(fd, (struct sockaddr *)&a, sizeof(a)))
		printf("bind %s:%d: %s\n", ip, port, abi_errname(errno));
	return fd;
}

static long send_to(int fd, const void *buf, size_t len, int port)
{
	struct sockaddr_in a = abi_in4("127.0.0.1", port);

	return sendto(fd, buf, len, 0, (struct sockaddr *)&a, sizeof(a));
}

/* recvfrom of up to len bytes (flags): the count, the data, the source
 * port (`same` when it is from_port) and the flags recvmsg gives. */
static void show_recv(const char *label, int fd, size_t len, int flags,
		      int from_port)
{
	char buf[64] = "";
	struct sockaddr_storage ss;
	struct iovec iov = { buf, len };
	struct msghdr m = { .msg_name = &ss, .msg_namelen = sizeof(ss),
			    .msg_iov = &iov, .msg_iovlen = 1 };
	long r;

	memset(&ss, 0, sizeof(ss));
	r = recvmsg(fd, &m, flags);
	if (r < 0) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	printf("%s: %ld '%.*s' trunc %d\n", label, r,
	       (int)(r < (long)len ? r : (long)len), buf,
	       !!(m.msg_flags & MSG_TRUNC));
	abi_show_addr("  from", &ss, m.msg_namelen, from_port);
}

static void basics(void)
{
	int a = udp_on("127.0.0.1", 0), b = udp_on("127.0.0.1", 0), c;
	int pa = abi_local_port(a), pb = abi_local_port(b), v;

	abi_show_opt("SO_TYPE", a, SOL_SOCKET, SO_TYPE);
	abi_show_opt("SO_PROTOCOL", a, SOL_SOCKET, SO_PROTOCOL);
	abi_show_poll("poll empty", b);
	SHOW("sendto", send_to(a, "hello", 5, pb));
	abi_show_poll("poll with data", b);
	SHOW("FIONREAD", (ioctl(b, FIONREAD, &v), v));
	show_recv("recv MSG_PEEK", b, 64, MSG_PEEK, pa);
	show_recv("recv", b, 64, 0, pa);
	SHOW("recv empty queue", recv(b, big, 1, MSG_DONTWAIT));
	/* Datagram boundaries, truncation. */
	send_to(a, "one", 3, pb);
	send_to(a, "two-two", 7, pb);
	send_to(a, "", 0, pb);
	send_to(a, "0123456789", 10, pb);
	SHOW("FIONREAD first", (ioctl(b, FIONREAD, &v), v));
	show_recv("first", b, 64, 0, pa);
	show_recv("second cut", b, 3, 0, pa);
	show_recv("empty", b, 64, 0, pa);
	show_recv("MSG_TRUNC flag", b, 4, MSG_TRUNC, pa);
	/* Sizes. */
	SHOW("send 65507", send_to(a, big, 65507, pb));
	SHOW("send 65508", send_to(a, big, 65508, pb));
	SHOW("recv 65507", recv(b, big, sizeof(big), 0));
	SHOW("sendto port 0", send_to(a, "x", 1, 0));
	SHOW("send unconnected", send(a, "x", 1, 0));
	/* An unbound sender gets a port of its own at its first send. */
	c = socket(AF_INET, SOCK_DGRAM, 0);
	abi_show_name("unbound name", c, 0, 0);
	SHOW("sendto from unbound", send_to(c, "auto", 4, pb));
	abi_show_name("after send name", c, 0, 0);
	show_recv("from the unbound", b, 64, 0, abi_local_port(c));
	/* Nobody on the port: dropped, no error for an unconnected
	 * sender. */
	SHOW("sendto nobody", send_to(c, "x", 1, abi_free_port(AF_INET,
							       SOCK_DGRAM)));
	abi_show_opt("SO_ERROR", c, SOL_SOCKET, SO_ERROR);
	close(a);
	close(b);
	close(c);
}

static void connected(void)
{
	int a = udp_on("127.0.0.1", 0), b = udp_on("127.0.0.1", 0);
	int c = udp_on("127.0.0.1", 0), d = socket(AF_INET, SOCK_DGRAM, 0);
	int pa = abi_local_port(a), pb = abi_local_port(b);
	struct sockaddr_in to = abi_in4("127.0.0.1", pb);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int nobody;

	SHOW("connect", connect(a, (struct sockaddr *)&to, sizeof(to)));
	abi_show_name("connected peer", a, 1, pb);
	SHOW("send connected", send(a, "via connect", 11, 0));
	show_recv("got", b, 64, 0, pa);
	/* b connected to a takes only a's datagrams. */
	to = abi_in4("127.0.0.1", pa);
	connect(b, (struct sockaddr *)&to, sizeof(to));
	SHOW("c sends to b", send_to(c, "from c", 6, pb));
	SHOW("a sends to b", send(a, "from a", 6, 0));
	show_recv("b receives", b, 64, 0, pa);
	SHOW("b has nothing more", recv(b, big, 1, MSG_DONTWAIT));
	/* AF_UNSPEC forgets the peer. */
	SHOW("disconnect", connect(a, &unspec, sizeof(unspec)));
	abi_show_name("peer after disconnect", a, 1, 0);
	SHOW("send after disconnect", send(a, "x", 1, 0));
	/* A connected send to nobody: the next call says ECONNREFUSED. */
	nobody = abi_free_port(AF_INET, SOCK_DGRAM);
	to = abi_in4("127.0.0.1", nobody);
	connect(d, (struct sockaddr *)&to, sizeof(to));
	abi_show_name("connect implicit name", d, 0, 0);
	SHOW("send to nobody", send(d, "x", 1, 0));
	{
		struct pollfd p = { d, POLLIN, 0 };

		poll(&p, 1, -1);
		abi_show_revents("poll after refusal", p.revents);
	}
	SHOW("recv after refusal", recv(d, big, 1, MSG_DONTWAIT));
	SHOW("recv again", recv(d, big, 1, MSG_DONTWAIT));
	close(a);
	close(b);
	close(c);
	close(d);
}

static void misc(void)
{
	int a = socket(AF_INET, SOCK_DGRAM, 0), b, one = 1, port;
	struct mmsghdr msgs[3];
	struct iovec iov[3];
	char bufs[3][8];

	SHOW("listen", listen(a, 1));
	SHOW("accept", accept(a, NULL, NULL));
	SHOW("shutdown unconnected", shutdown(a, SHUT_WR));
	SHOW("send after that shutdown",
	     send_to(a, "x", 1, abi_free_port(AF_INET, SOCK_DGRAM)));
	close(a);
	SHOW("SO_BROADCAST", setsockopt((a = socket(AF_INET, SOCK_DGRAM, 0)),
					SOL_SOCKET, SO_BROADCAST, &one,
					sizeof(one)));
	abi_show_opt("SO_BROADCAST get", a, SOL_SOCKET, SO_BROADCAST);
	close(a);
	/* SO_REUSEADDR: two sockets on one port. */
	a = socket(AF_INET, SOCK_DGRAM, 0);
	b = socket(AF_INET, SOCK_DGRAM, 0);
	port = abi_free_port(AF_INET, SOCK_DGRAM);
	{
		struct sockaddr_in at = abi_in4("127.0.0.1", port);
		int c = udp_on("127.0.0.1", port);

		SHOW("second bind", bind(b, (struct sockaddr *)&at, sizeof(at)));
		close(c);
		setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		SHOW("reuseaddr bind a", bind(a, (struct sockaddr *)&at,
					      sizeof(at)));
		SHOW("reuseaddr bind b", bind(b, (struct sockaddr *)&at,
					      sizeof(at)));
	}
	close(a);
	close(b);
	/* sendmmsg and recvmmsg. */
	a = udp_on("127.0.0.1", 0);
	b = udp_on("127.0.0.1", 0);
	memset(msgs, 0, sizeof(msgs));
	for (int k = 0; k < 3; k++) {
		struct sockaddr_in *to = malloc(sizeof(*to));

		*to = abi_in4("127.0.0.1", abi_local_port(b));
		snprintf(bufs[k], sizeof(bufs[k]), "msg%d", k);
		iov[k] = (struct iovec){ bufs[k], 4 };
		msgs[k].msg_hdr.msg_iov = &iov[k];
		msgs[k].msg_hdr.msg_iovlen = 1;
		msgs[k].msg_hdr.msg_name = to;
		msgs[k].msg_hdr.msg_namelen = sizeof(*to);
	}
	SHOW("sendmmsg", sendmmsg(a, msgs, 3, 0));
	memset(bufs, 0, sizeof(bufs));
	for (int k = 0; k < 3; k++)
		msgs[k].msg_hdr.msg_namelen = sizeof(struct sockaddr_in);
	SHOW("recvmmsg", recvmmsg(b, msgs, 3, MSG_DONTWAIT, NULL));
	printf("got: %s %s %s (len %u)\n", bufs[0], bufs[1], bufs[2],
	       msgs[2].msg_len);
	close(a);
	close(b);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	basics();
	connected();
	misc();
	return 0;
}
