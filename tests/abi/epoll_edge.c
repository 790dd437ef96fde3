/* Edge-triggered and one-shot epoll on pipes and unix sockets, beyond
 * epoll.c (eventfds): every write to a watched pipe or socket is a new
 * edge, even with data unread; a partial read is not; a writer's EPOLLOUT
 * edge comes when the reader makes room; the writer's close is one HUP
 * edge; EPOLLRDHUP when the peer shuts its writing side; EPOLLONESHOT on
 * a socket re-armed by EPOLL_CTL_MOD with data waiting reports at once;
 * MOD from EPOLLIN to EPOLLOUT looks at the file again; and a
 * level-triggered item next to an edge-triggered one. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "abi.h"
#include "abi_epoll.h"

static int ep;
static char big[1 << 17];

static void show_wait(const char *label)
{
	abi_show_epoll_wait(label, ep);
}

static long ctl(int op, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { events, { .u64 = data } };

	return epoll_ctl(ep, op, fd, &e);
}

static void pipe_edges(void)
{
	int p[2];
	char buf[4];

	pipe2(p, O_NONBLOCK);
	ctl(EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 1);
	ctl(EPOLL_CTL_ADD, p[1], EPOLLOUT | EPOLLET, 2);
	show_wait("pipe: the writer's first edge");
	show_wait("then nothing");
	write(p[1], "abcdef", 6);
	show_wait("a write");
	write(p[1], "gh", 2);
	show_wait("another write, data unread");
	read(p[0], buf, 2);
	show_wait("a partial read");
	while (write(p[1], big, sizeof(big)) > 0)
		;
	show_wait("filled");
	read(p[0], big, 4096);
	show_wait("the reader made room");
	while (read(p[0], big, sizeof(big)) > 0)
		;
	show_wait("drained");
	close(p[1]);
	show_wait("the writer closed");
	show_wait("once");
	close(p[0]);
}

static void socket_edges(void)
{
	int sv[2];
	char buf[8];

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	ctl(EPOLL_CTL_ADD, sv[0], EPOLLIN | EPOLLRDHUP | EPOLLET, 3);
	show_wait("socket: nothing yet");
	send(sv[1], "one", 3, 0);
	show_wait("a send");
	send(sv[1], "two", 3, 0);
	show_wait("a second send, unread");
	recv(sv[0], buf, 2, 0);
	show_wait("a partial read");
	shutdown(sv[1], SHUT_WR);
	show_wait("the peer shut writing");
	show_wait("once");
	ctl(EPOLL_CTL_DEL, sv[0], 0, 0);
	close(sv[0]);
	close(sv[1]);
}

static void oneshot_and_mod(void)
{
	int sv[2];
	char buf[8];

	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
	ctl(EPOLL_CTL_ADD, sv[0], EPOLLIN | EPOLLONESHOT, 4);
	send(sv[1], "x", 1, 0);
	show_wait("one-shot socket");
	send(sv[1], "y", 1, 0);
	show_wait("disarmed: a new send");
	SHOW("re-arm with data waiting", ctl(EPOLL_CTL_MOD, sv[0], EPOLLIN | EPOLLONESHOT, 5));
	show_wait("reports at once");
	recv(sv[0], buf, sizeof(buf), 0);
	SHOW("re-arm with nothing waiting", ctl(EPOLL_CTL_MOD, sv[0], EPOLLIN | EPOLLONESHOT, 6));
	show_wait("nothing");
	SHOW("MOD to EPOLLOUT", ctl(EPOLL_CTL_MOD, sv[0], EPOLLOUT, 7));
	show_wait("writable at once");
	SHOW("MOD to EPOLLOUT|EPOLLET", ctl(EPOLL_CTL_MOD, sv[0], EPOLLOUT | EPOLLET, 8));
	show_wait("an edge for the MOD");
	show_wait("then none");
	ctl(EPOLL_CTL_DEL, sv[0], 0, 0);
	close(sv[0]);
	close(sv[1]);
}

static void mixed(void)
{
	int p[2], q[2];

	pipe2(p, O_NONBLOCK);
	pipe2(q, O_NONBLOCK);
	ctl(EPOLL_CTL_ADD, p[0], EPOLLIN, 9);
	ctl(EPOLL_CTL_ADD, q[0], EPOLLIN | EPOLLET, 10);
	write(p[1], "a", 1);
	write(q[1], "b", 1);
	show_wait("level and edge");
	show_wait("the level one again");
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

int main(void)
{
	ep = epoll_create1(0);
	pipe_edges();
	socket_edges();
	oneshot_and_mod();
	mixed();
	close(ep);
	return 0;
}
