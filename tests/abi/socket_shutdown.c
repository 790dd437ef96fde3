/* shutdown(2) on unix sockets direction by direction, beyond
 * socket_stream.c: SHUT_RD alone (queued data still read, then end of
 * file; the peer's sends EPIPE), what poll and epoll report on both ends
 * after each direction (POLLRDHUP, POLLHUP only when both are shut), a
 * reader blocked in another process ended by SHUT_RD (0) and a writer
 * blocked on a full buffer ended by its peer's SHUT_RD (EPIPE), seqpacket
 * end of file, datagram sockets (the peer is not shut; a receiver's
 * SHUT_RD refuses senders with EPIPE), shutdown of unconnected and
 * listening sockets, and the argument errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static char big[1 << 16];

/* Prints the poll bits of fd (asking for all of them). */
static void show_poll(const char *label, int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0 };

	poll(&p, 1, 0);
	printf("%s:%s%s%s%s%s%s\n", label, p.revents & POLLIN ? " IN" : "",
	       p.revents & POLLOUT ? " OUT" : "",
	       p.revents & POLLRDHUP ? " RDHUP" : "",
	       p.revents & POLLERR ? " ERR" : "",
	       p.revents & POLLHUP ? " HUP" : "",
	       p.revents & POLLNVAL ? " NVAL" : "");
}

static void show_epoll(const char *label, int fd)
{
	int ep = epoll_create1(0);
	struct epoll_event e = { EPOLLIN | EPOLLOUT | EPOLLRDHUP, { 0 } };

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
	e.events = 0;
	epoll_wait(ep, &e, 1, 0);
	printf("%s:%s%s%s%s\n", label, e.events & EPOLLIN ? " IN" : "",
	       e.events & EPOLLOUT ? " OUT" : "",
	       e.events & EPOLLRDHUP ? " RDHUP" : "",
	       e.events & EPOLLHUP ? " HUP" : "");
	close(ep);
}

static void stream_read_side(void)
{
	int sv[2];
	char buf[16] = "";

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[1], "queued", 6);
	SHOW("SHUT_RD", shutdown(sv[0], SHUT_RD));
	show_poll("poll the shut reader", sv[0]);
	show_poll("poll its peer", sv[1]);
	show_epoll("epoll the shut reader", sv[0]);
	SHOW("queued data still read", read(sv[0], buf, sizeof(buf)));
	SHOW("then end of file", read(sv[0], buf, sizeof(buf)));
	SHOW("peer sends", send(sv[1], "x", 1, MSG_NOSIGNAL));
	SHOW("the shut reader still sends", write(sv[0], "back", 4));
	SHOW("the peer reads it", read(sv[1], buf, sizeof(buf)));
	SHOW("SHUT_RD again", shutdown(sv[0], SHUT_RD));
	SHOW("SHUT_WR too", shutdown(sv[0], SHUT_WR));
	show_poll("poll fully shut", sv[0]);
	show_poll("poll its peer", sv[1]);
	show_epoll("epoll its peer", sv[1]);
	SHOW("the peer reads end of file", read(sv[1], buf, sizeof(buf)));
	close(sv[0]);
	show_poll("poll the peer after close", sv[1]);
	close(sv[1]);
}

static void stream_rdwr(void)
{
	int sv[2];
	char buf[8];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	SHOW("SHUT_RDWR", shutdown(sv[1], SHUT_RDWR));
	show_poll("poll after SHUT_RDWR", sv[1]);
	show_poll("poll its peer", sv[0]);
	SHOW("peer reads", read(sv[0], buf, sizeof(buf)));
	SHOW("peer sends", send(sv[0], "x", 1, MSG_NOSIGNAL));
	SHOW("shut one sends", send(sv[1], "x", 1, MSG_NOSIGNAL));
	SHOW("shut one reads", read(sv[1], buf, sizeof(buf)));
	close(sv[0]);
	close(sv[1]);
}

/* A child blocks reading sv[0]; the parent shuts sv[0]'s reading side
 * (the same socket): the read ends with 0, whichever comes first. */
static void blocked_reader(void)
{
	int sv[2], status;
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pid = fork();
	if (pid == 0) {
		char c;

		_exit(read(sv[0], &c, 1) == 0 ? 0 : 1);
	}
	SHOW("shut the socket a child reads", shutdown(sv[0], SHUT_RD));
	waitpid(pid, &status, 0);
	SHOW("its read ended with 0", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sv[0]);
	close(sv[1]);
}

/* A child blocks writing to a full sv[0]; the peer shuts its reading
 * side: the write ends with EPIPE. */
static void blocked_writer(void)
{
	int sv[2], status, fl;
	pid_t pid;
	long total = 0, r;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	fl = fcntl(sv[0], F_GETFL);
	fcntl(sv[0], F_SETFL, fl | O_NONBLOCK);
	while ((r = write(sv[0], big, sizeof(big))) > 0)
		total += r;
	abi_yes("buffer full", total > 0 && errno == EAGAIN);
	fcntl(sv[0], F_SETFL, fl);
	pid = fork();
	if (pid == 0) {
		long w = send(sv[0], "x", 1, MSG_NOSIGNAL);

		_exit(w == -1 && errno == EPIPE ? 0 : 1);
	}
	SHOW("the reader shuts its side", shutdown(sv[1], SHUT_RD));
	waitpid(pid, &status, 0);
	SHOW("the blocked write ended with EPIPE", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(sv[0]);
	close(sv[1]);
}

static void seqpacket(void)
{
	int sv[2];
	char buf[8];

	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	send(sv[0], "one", 3, 0);
	SHOW("seqpacket SHUT_WR", shutdown(sv[0], SHUT_WR));
	show_poll("poll the peer", sv[1]);
	SHOW("peer reads the packet", read(sv[1], buf, sizeof(buf)));
	SHOW("then end of file", read(sv[1], buf, sizeof(buf)));
	SHOW("shut one sends", send(sv[0], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	close(sv[1]);
}

static void dgram(void)
{
	int sv[2];
	char buf[8];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	SHOW("dgram SHUT_WR", shutdown(sv[0], SHUT_WR));
	SHOW("it sends", send(sv[0], "x", 1, MSG_NOSIGNAL));
	show_poll("poll it", sv[0]);
	show_poll("poll the peer (not shut)", sv[1]);
	SHOW("the peer sends", send(sv[1], "y", 1, MSG_DONTWAIT));
	SHOW("the shut one receives", recv(sv[0], buf, sizeof(buf), MSG_DONTWAIT));
	SHOW("the peer receives nothing", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	SHOW("the peer shuts its SHUT_RD", shutdown(sv[1], SHUT_RD));
	show_poll("poll the peer", sv[1]);
	SHOW("a receiver's SHUT_RD: sending to it", send(sv[0], "x", 1, MSG_NOSIGNAL));
	SHOW("the peer receives", recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT));
	close(sv[0]);
	close(sv[1]);
}

static void odd_ones(void)
{
	int s = socket(AF_UNIX, SOCK_STREAM, 0), d = socket(AF_UNIX, SOCK_DGRAM, 0);
	int sv[2];

	SHOW("unconnected stream SHUT_WR", shutdown(s, SHUT_WR));
	show_poll("poll it", s);
	SHOW("unconnected dgram SHUT_RDWR", shutdown(d, SHUT_RDWR));
	show_poll("poll it", d);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	SHOW("how -1", shutdown(sv[0], -1));
	SHOW("how 3", shutdown(sv[0], 3));
	SHOW("bad fd", shutdown(999, SHUT_RD));
	SHOW("a pipe", ({
		int p[2];
		long r;
		pipe(p);
		r = shutdown(p[0], SHUT_RD);
		close(p[0]);
		close(p[1]);
		r;
	}));
	close(s);
	close(d);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	stream_read_side();
	stream_rdwr();
	blocked_reader();
	blocked_writer();
	seqpacket();
	dgram();
	odd_ones();
	return 0;
}
