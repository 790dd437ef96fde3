/* Loopback TCP over IPv4: socket's type and protocol checks, bind (its
 * address on lo, EADDRINUSE, SO_REUSEADDR and SO_REUSEPORT), names,
 * listen and accept, ECONNREFUSED, blocking and non-blocking connect
 * (EINPROGRESS, SO_ERROR, the connects after it), data both ways
 * (MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, FIONREAD, SIOCOUTQ, a full
 * buffer: EAGAIN, a blocked writer in a child), shutdown and close (FIN:
 * end of file; RST: ECONNRESET; EPIPE and SIGPIPE), poll and epoll
 * (POLLRDHUP), SO_LINGER, and the options stored. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "abi_inet.h"
#include "abi_poll.h"

#ifndef SIOCOUTQ
#define SIOCOUTQ TIOCOUTQ
#endif

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static int outq(int fd)
{
	int n = -1;

	return ioctl(fd, SIOCOUTQ, &n) ? -1 : n;
}

static int connect_to(int fd, const char *ip, int port)
{
	struct sockaddr_in a = abi_in4(ip, port);

	return connect(fd, (struct sockaddr *)&a, sizeof(a));
}

static int bind_to(int fd, const char *ip, int port)
{
	struct sockaddr_in a = abi_in4(ip, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static void creation(void)
{
	int fd, sv[2];

	SHOW("socket stream proto udp",
	     socket(AF_INET, SOCK_STREAM, IPPROTO_UDP));
	SHOW("socket dgram proto tcp",
	     socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP));
	SHOW("socket seqpacket", socket(AF_INET, SOCK_SEQPACKET, 0));
	SHOW("socket proto -1", socket(AF_INET, SOCK_STREAM, -1));
	SHOW("socketpair inet", socketpair(AF_INET, SOCK_STREAM, 0, sv));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    IPPROTO_TCP);
	SHOW("nonblock", !!(fcntl(fd, F_GETFL) & O_NONBLOCK));
	SHOW("cloexec", fcntl(fd, F_GETFD));
	abi_show_opt("SO_TYPE", fd, SOL_SOCKET, SO_TYPE);
	abi_show_opt("SO_DOMAIN", fd, SOL_SOCKET, SO_DOMAIN);
	abi_show_opt("SO_PROTOCOL", fd, SOL_SOCKET, SO_PROTOCOL);
	abi_show_opt("SO_ACCEPTCONN", fd, SOL_SOCKET, SO_ACCEPTCONN);
	abi_show_opt("SO_ERROR", fd, SOL_SOCKET, SO_ERROR);
	abi_show_name("fresh name", fd, 0, 0);
	abi_show_name("fresh peer", fd, 1, 0);
	abi_show_poll("fresh poll", fd);
	SHOW("fresh shutdown", shutdown(fd, SHUT_WR));
	SHOW("fresh send", send(fd, "x", 1, MSG_NOSIGNAL));
	SHOW("fresh recv", recv(fd, &sv, 1, 0));
	SHOW("fresh accept", accept(fd, NULL, NULL));
	close(fd);
}

static void binding(void)
{
	int a = socket(AF_INET, SOCK_STREAM, 0);
	int b = socket(AF_INET, SOCK_STREAM, 0);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in6 six = abi_in6("::1", 0);
	int port, one = 1;

	SHOW("bind 10.1.2.3", bind_to(a, "10.1.2.3", 0));
	SHOW("bind short", bind(a, (struct sockaddr *)&six, 8));
	SHOW("bind inet6 addr", bind(a, (struct sockaddr *)&six, sizeof(six)));
	SHOW("bind 127.0.0.1:0", bind_to(a, "127.0.0.1", 0));
	port = abi_local_port(a);
	abi_show_name("bound name", a, 0, 0);
	SHOW("bind again", bind_to(a, "127.0.0.1", 0));
	SHOW("bind same port", bind_to(b, "127.0.0.1", port));
	SHOW("bind any same port", bind_to(b, "0.0.0.0", port));
	SHOW("bind 127.0.0.2 same port", bind_to(b, "127.0.0.2", port));
	abi_show_name("127.0.0.2 name", b, 0, port);
	close(a);
	close(b);
	/* SO_REUSEADDR: both may bind while neither listens; only one
	 * may listen. */
	a = socket(AF_INET, SOCK_STREAM, 0);
	b = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(b, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	abi_show_opt("SO_REUSEADDR", a, SOL_SOCKET, SO_REUSEADDR);
	SHOW("reuseaddr bind a", bind_to(a, "127.0.0.1", port));
	SHOW("reuseaddr bind b", bind_to(b, "127.0.0.1", port));
	SHOW("listen a", listen(a, 4));
	SHOW("listen b", listen(b, 4));
	SHOW("reuseaddr bind c to a listening port",
	     (setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)),
	      bind_to(c, "127.0.0.1", port)));
	close(a);
	close(b);
	close(c);
	/* SO_REUSEPORT: two listeners on one port. */
	a = socket(AF_INET, SOCK_STREAM, 0);
	b = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(a, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	setsockopt(b, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	abi_show_opt("SO_REUSEPORT", a, SOL_SOCKET, SO_REUSEPORT);
	SHOW("reuseport bind a", bind_to(a, "127.0.0.1", port));
	SHOW("reuseport listen a", listen(a, 4));
	SHOW("reuseport bind b", bind_to(b, "127.0.0.1", port));
	SHOW("reuseport listen b", listen(b, 4));
	close(a);
	close(b);
	/* A listener that closed leaves its port free at once. */
	a = socket(AF_INET, SOCK_STREAM, 0);
	SHOW("rebind after close", bind_to(a, "127.0.0.1", port));
	close(a);
	/* listen binds an unbound socket. */
	a = socket(AF_INET, SOCK_STREAM, 0);
	SHOW("listen unbound", listen(a, 1));
	abi_show_name("listen name", a, 0, 0);
	abi_show_opt("SO_ACCEPTCONN listening", a, SOL_SOCKET, SO_ACCEPTCONN);
	abi_show_poll("listening poll", a);
	SHOW("listening connect", connect_to(a, "127.0.0.1", port));
	SHOW("listening send", send(a, "x", 1, MSG_NOSIGNAL));
	close(a);
}

static void connecting(void)
{
	int l = abi_listener(AF_INET, "127.0.0.1");
	int port = abi_local_port(l), c, s, free_port;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	c = socket(AF_INET, SOCK_STREAM, 0);
	SHOW("connect 127.0.0.2 (listener on .1)",
	     connect_to(c, "127.0.0.2", port));
	close(c);
	free_port = abi_free_port(AF_INET, SOCK_STREAM);
	c = socket(AF_INET, SOCK_STREAM, 0);
	SHOW("connect nobody", connect_to(c, "127.0.0.1", free_port));
	SHOW("connect after refusal", connect_to(c, "127.0.0.1", port));
	s = accept(l, (struct sockaddr *)&ss, &len);
	SHOW("accepted", s >= 0);
	abi_show_addr("accept addr", &ss, len, abi_local_port(c));
	abi_show_name("client name", c, 0, 0);
	abi_show_name("client peer", c, 1, port);
	abi_show_name("server name", s, 0, port);
	abi_show_name("server peer", s, 1, abi_local_port(c));
	SHOW("connect again", connect_to(c, "127.0.0.1", port));
	SHOW("listen connected", listen(c, 1));
	SHOW("accept on connected", accept(c, NULL, NULL));
	close(c);
	close(s);
	/* The wildcard destination is the local address. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	SHOW("connect 0.0.0.0", connect_to(c, "0.0.0.0", port));
	abi_show_name("connect 0.0.0.0 peer", c, 1, port);
	close(c);
	close(accept(l, NULL, NULL));
	/* Non-blocking connects. */
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	fcntl(l, F_SETFL, O_NONBLOCK);
	SHOW("nonblocking accept empty", accept(l, NULL, NULL));
	fcntl(l, F_SETFL, 0);
	SHOW("nonblocking connect", connect_to(c, "127.0.0.1", port));
	{
		struct pollfd p = { c, POLLOUT, 0 };

		SHOW("poll for the connection", poll(&p, 1, -1));
		abi_show_revents("connected revents", p.revents);
	}
	abi_show_opt("SO_ERROR connected", c, SOL_SOCKET, SO_ERROR);
	SHOW("second connect", connect_to(c, "127.0.0.1", port));
	SHOW("third connect", connect_to(c, "127.0.0.1", port));
	s = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	SHOW("accept4 nonblock", !!(fcntl(s, F_GETFL) & O_NONBLOCK));
	SHOW("accept4 cloexec", fcntl(s, F_GETFD));
	close(s);
	close(c);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	SHOW("nonblocking connect nobody",
	     connect_to(c, "127.0.0.1", free_port));
	{
		struct pollfd p = { c, POLLIN | POLLOUT, 0 };

		SHOW("poll for the refusal", poll(&p, 1, -1));
		abi_show_revents("refused revents", p.revents);
	}
	abi_show_opt("SO_ERROR refused", c, SOL_SOCKET, SO_ERROR);
	SHOW("connect after SO_ERROR", connect_to(c, "127.0.0.1", free_port));
	close(c);
	close(l);
}

/* A connected pair through a listener on 127.0.0.1: *c the client. */
static int pair(int *c)
{
	int l = abi_listener(AF_INET, "127.0.0.1"), s;

	*c = socket(AF_INET, SOCK_STREAM, 0);
	connect_to(*c, "127.0.0.1", abi_local_port(l));
	s = accept(l, NULL, NULL);
	close(l);
	return s;
}

static void data(void)
{
	char buf[64] = "";
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int c, s = pair(&c);

	SHOW("send", send(c, "hello", 5, 0));
	SHOW("SIOCOUTQ unread", outq(c));
	SHOW("FIONREAD", nread(s));
	abi_show_poll("poll with data", s);
	SHOW("recv MSG_PEEK", recv(s, buf, 3, MSG_PEEK));
	printf("peeked: %.3s\n", buf);
	len = sizeof(ss);
	SHOW("recvfrom", recvfrom(s, buf, 2, 0, (struct sockaddr *)&ss, &len));
	printf("recvfrom addrlen %u data %.2s\n", (unsigned)len, buf);
	SHOW("read rest", read(s, buf, sizeof(buf)));
	SHOW("SIOCOUTQ read", outq(c));
	SHOW("recv MSG_DONTWAIT empty", recv(s, buf, 1, MSG_DONTWAIT));
	SHOW("write back", write(s, "pong", 4));
	SHOW("read back", read(c, buf, sizeof(buf)));
	/* MSG_WAITALL across two writes of a child. */
	if (fork() == 0) {
		write(c, "01234", 5);
		write(c, "56789", 5);
		_exit(0);
	}
	SHOW("recv MSG_WAITALL", recv(s, buf, 10, MSG_WAITALL));
	printf("waitall: %.10s\n", buf);
	wait(NULL);
	/* SHUT_WR: the peer reads end of file and may still write. */
	SHOW("shutdown SHUT_WR", shutdown(c, SHUT_WR));
	{
		struct pollfd p = { s, POLLIN | POLLOUT | POLLRDHUP, 0 };

		poll(&p, 1, 0);
		abi_show_revents("poll after peer SHUT_WR", p.revents);
		printf("rdhup: %d\n", !!(p.revents & POLLRDHUP));
	}
	SHOW("read after peer SHUT_WR", read(s, buf, sizeof(buf)));
	SHOW("write after own SHUT_WR", send(c, "x", 1, MSG_NOSIGNAL));
	SHOW("peer writes on", write(s, "more", 4));
	SHOW("read of half-closed", read(c, buf, sizeof(buf)));
	SHOW("shutdown bad how", shutdown(c, 7));
	/* The peer closes: end of file, a write that succeeds, then
	 * EPIPE with SIGPIPE. */
	close(s);
	SHOW("read after peer close", read(c, buf, sizeof(buf)));
	close(c);

	s = pair(&c);
	close(s);
	abi_show_poll("poll after peer close", c);
	SHOW("read after close", read(c, buf, sizeof(buf)));
	SHOW("first write after close", write(c, "x", 1));
	sigpipes = 0;
	SHOW("second write", write(c, "x", 1));
	SHOW("sigpipes", sigpipes);
	SHOW("write MSG_NOSIGNAL", send(c, "x", 1, MSG_NOSIGNAL));
	SHOW("sigpipes after", sigpipes);
	close(c);

	/* Close with unread data: an RST, ECONNRESET. */
	s = pair(&c);
	write(c, "unread", 6);
	write(s, "for c", 5);
	close(s);
	SHOW("read data before reset", read(c, buf, sizeof(buf)));
	SHOW("read after reset", read(c, buf, sizeof(buf)));
	SHOW("read after reset again", read(c, buf, sizeof(buf)));
	close(c);

	/* SO_LINGER of zero: an RST at close. */
	s = pair(&c);
	{
		struct linger lg = { 1, 0 };
		struct linger got = { -1, -1 };
		socklen_t glen = sizeof(got);

		SHOW("SO_LINGER set", setsockopt(s, SOL_SOCKET, SO_LINGER, &lg,
						sizeof(lg)));
		getsockopt(s, SOL_SOCKET, SO_LINGER, &got, &glen);
		printf("SO_LINGER: %d %d (len %u)\n", got.l_onoff,
		       got.l_linger, (unsigned)glen);
	}
	close(s);
	SHOW("read after linger close", read(c, buf, sizeof(buf)));
	close(c);
}

static void flow(void)
{
	static char big[1 << 16];
	long total = 0, got = 0, r;
	int c, s = pair(&c), fl;
	pid_t pid;

	fl = fcntl(c, F_GETFL);
	fcntl(c, F_SETFL, fl | O_NONBLOCK);
	while ((r = write(c, big, sizeof(big))) > 0)
		total += r;
	printf("filled: %s, some sent: %d\n", abi_errname(errno), total > 0);
	{
		struct pollfd p = { c, POLLOUT, 0 };

		SHOW("full poll", poll(&p, 1, 0));
	}
	while (got < total && (r = read(s, big, sizeof(big))) > 0)
		got += r;
	SHOW("all read", got == total);
	fcntl(c, F_SETFL, fl);
	/* A blocked writer resumes as the reader reads. */
	pid = fork();
	if (pid == 0) {
		long sent = 0;

		memset(big, 'z', sizeof(big));
		for (int k = 0; k < 32; k++)
			sent += write(c, big, sizeof(big));
		_exit(sent == 32L * (long)sizeof(big) ? 0 : 1);
	}
	got = 0;
	while (got < 32L * (long)sizeof(big) &&
	       (r = read(s, big, sizeof(big))) > 0)
		got += r;
	SHOW("blocked writer's bytes", got);
	waitpid(pid, &fl, 0);
	SHOW("writer status", WEXITSTATUS(fl));
	close(c);
	close(s);
}

static void events(void)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP }, out;
	int c, s = pair(&c), ep = epoll_create1(0);
	struct timeval tv = { 0, 1000 };
	char buf[8];

	ev.data.fd = s;
	epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
	SHOW("epoll idle", epoll_wait(ep, &out, 1, 0));
	write(c, "x", 1);
	SHOW("epoll data", epoll_wait(ep, &out, 1, -1));
	printf("events: %#x\n", out.events);
	read(s, buf, 1);
	shutdown(c, SHUT_WR);
	SHOW("epoll peer shut", epoll_wait(ep, &out, 1, -1));
	printf("events: %#x\n", out.events);
	close(ep);
	/* SO_RCVTIMEO: a receive that waits in vain. */
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	SHOW("recv timeout", recv(c, buf, 1, 0));
	close(c);
	close(s);
}

static void options(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), v;
	struct { int level, name, value; const char *label; } set[] = {
		{ IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY" },
		{ IPPROTO_TCP, TCP_KEEPIDLE, 60, "TCP_KEEPIDLE" },
		{ IPPROTO_TCP, TCP_KEEPINTVL, 5, "TCP_KEEPINTVL" },
		{ IPPROTO_TCP, TCP_KEEPCNT, 3, "TCP_KEEPCNT" },
		{ IPPROTO_TCP, TCP_KEEPIDLE, 0, "TCP_KEEPIDLE 0" },
		{ IPPROTO_TCP, TCP_KEEPCNT, 200, "TCP_KEEPCNT 200" },
		{ IPPROTO_TCP, TCP_MAXSEG, 1000, "TCP_MAXSEG" },
		{ IPPROTO_TCP, TCP_USER_TIMEOUT, -1, "TCP_USER_TIMEOUT -1" },
		{ IPPROTO_TCP, 9999, 1, "TCP unknown" },
		{ IPPROTO_IP, IP_TOS, 0x13, "IP_TOS" },
		{ IPPROTO_IP, IP_TTL, 0, "IP_TTL 0" },
		{ IPPROTO_IP, IP_TTL, 9, "IP_TTL" },
		{ IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY on inet" },
		{ SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE" },
		{ SOL_SOCKET, SO_SNDBUF, 65536, "SO_SNDBUF" },
		{ SOL_SOCKET, SO_RCVBUF, 65536, "SO_RCVBUF" },
		{ 12345, 1, 1, "unknown level" },
	};

	abi_show_opt("TCP_NODELAY default", fd, IPPROTO_TCP, TCP_NODELAY);
	abi_show_opt("TCP_KEEPIDLE default", fd, IPPROTO_TCP, TCP_KEEPIDLE);
	abi_show_opt("TCP_KEEPINTVL default", fd, IPPROTO_TCP, TCP_KEEPINTVL);
	abi_show_opt("TCP_KEEPCNT default", fd, IPPROTO_TCP, TCP_KEEPCNT);
	abi_show_opt("TCP_MAXSEG default", fd, IPPROTO_TCP, TCP_MAXSEG);
	abi_show_opt("IP_TTL default", fd, IPPROTO_IP, IP_TTL);
	abi_show_opt("IP_TOS default", fd, IPPROTO_IP, IP_TOS);
	abi_show_opt("SO_KEEPALIVE default", fd, SOL_SOCKET, SO_KEEPALIVE);
	for (unsigned k = 0; k < sizeof(set) / sizeof(set[0]); k++) {
		socklen_t len = sizeof(v);
		int r;

		v = set[k].value;
		r = setsockopt(fd, set[k].level, set[k].name, &v, sizeof(v));
		printf("set %s: %d %s", set[k].label, r,
		       r ? abi_errname(errno) : "ok");
		v = -1;
		if (getsockopt(fd, set[k].level, set[k].name, &v, &len))
			printf(", get -1 %s\n", abi_errname(errno));
		else
			printf(", get %d\n", v);
	}
	close(fd);
}

int main(void)
{
	signal(SIGPIPE, on_sigpipe);
	setvbuf(stdout, NULL, _IONBF, 0);
	creation();
	binding();
	connecting();
	data();
	flow();
	events();
	options();
	return 0;
}
