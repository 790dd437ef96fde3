/* epoll_create1, epoll_ctl and epoll_wait/pwait/pwait2 on pipes and
 * eventfds in one process: level-triggered (reported while ready),
 * edge-triggered (once per change), EPOLLONESHOT (until re-armed with
 * MOD), EPOLLEXCLUSIVE's rules, hang-ups, closing a watched file,
 * maxevents, an epoll set inside another, and the errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static int ep;

/* Waits (timeout 0) and prints what came: "label: N [events:data]...". */
static void show_wait(const char *label, int max)
{
	struct epoll_event ev[8];
	int n = epoll_wait(ep, ev, max, 0);

	if (n < 0) {
		SHOW(label, n);
		return;
	}
	printf("%s: %d", label, n);
	for (int i = 0; i < n; i++)
		printf(" [%s%s%s%s:%lu]", ev[i].events & EPOLLIN ? "IN" : "",
		       ev[i].events & EPOLLOUT ? "OUT" : "",
		       ev[i].events & EPOLLERR ? "ERR" : "",
		       ev[i].events & EPOLLHUP ? "HUP" : "",
		       (unsigned long)ev[i].data.u64);
	printf("\n");
}

static long add(int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { events, { .u64 = data } };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

static long mod(int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { events, { .u64 = data } };

	return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &e);
}

static void level(void)
{
	int p[2];
	char buf[8];

	pipe2(p, O_NONBLOCK);
	SHOW("add a pipe's read end", add(p[0], EPOLLIN, 1));
	show_wait("nothing yet", 8);
	write(p[1], "ab", 2);
	show_wait("after a write", 8);
	show_wait("level: still ready", 8);
	read(p[0], buf, sizeof(buf));
	show_wait("after reading it all", 8);
	close(p[1]);
	show_wait("writer closed", 8);
	SHOW("del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	show_wait("after del", 8);
	close(p[0]);
}

static void edge_and_oneshot(void)
{
	int e1 = eventfd(0, EFD_NONBLOCK), e2 = eventfd(0, EFD_NONBLOCK);
	uint64_t one = 1;

	SHOW("add edge-triggered", add(e1, EPOLLIN | EPOLLET, 2));
	SHOW("add one-shot", add(e2, EPOLLIN | EPOLLONESHOT, 3));
	write(e1, &one, 8);
	write(e2, &one, 8);
	show_wait("both fired", 8);
	show_wait("edge and one-shot: not again", 8);
	write(e1, &one, 8);
	write(e2, &one, 8);
	show_wait("a new edge; the one-shot is off", 8);
	SHOW("re-arm the one-shot", mod(e2, EPOLLIN | EPOLLONESHOT, 4));
	show_wait("re-armed, with new data", 8);
	close(e1);
	close(e2);
}

static void exclusive_and_errors(void)
{
	int e = eventfd(0, 0), p[2], fd;
	struct epoll_event ev = { EPOLLIN, { 0 } };

	pipe(p);
	SHOW("add EPOLLEXCLUSIVE", add(e, EPOLLIN | EPOLLEXCLUSIVE, 5));
	SHOW("mod an exclusive one", mod(e, EPOLLIN, 5));
	SHOW("EXCLUSIVE with ONESHOT", add(p[0], EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 6));
	SHOW("add twice", add(e, EPOLLIN, 5));
	SHOW("mod missing", mod(p[0], EPOLLIN, 6));
	SHOW("del missing", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	abi_write_file("file", "x");
	fd = open("file", O_RDONLY);
	SHOW("add a regular file", add(fd, EPOLLIN, 7));
	SHOW("epfd not an epoll", epoll_ctl(fd, EPOLL_CTL_ADD, p[0], &ev));
	close(fd);
	SHOW("add itself", add(ep, EPOLLIN, 8));
	SHOW("bad op", epoll_ctl(ep, 9, p[0], &ev));
	SHOW("bad fd", add(999, EPOLLIN, 0));
	SHOW("bad epfd", epoll_ctl(999, EPOLL_CTL_ADD, p[0], &ev));
	SHOW("bad event pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], (void *)8));
	SHOW("wait maxevents 0", epoll_wait(ep, &ev, 0, 0));
	SHOW("wait maxevents -1", syscall(SYS_epoll_pwait, ep, &ev, -1, 0, NULL, 8));
	SHOW("wait bad pointer", syscall(SYS_epoll_pwait, ep, (void *)8, 1, 0, NULL, 8));
	SHOW("wait on a pipe", epoll_wait(p[0], &ev, 1, 0));
	SHOW("wait bad fd", epoll_wait(999, &ev, 1, 0));
	SHOW("create1 bad flag", epoll_create1(O_APPEND));
	SHOW("create size 0", epoll_create(0));
	epoll_ctl(ep, EPOLL_CTL_DEL, e, NULL);
	close(e);
	close(p[0]);
	close(p[1]);
}

static void closing(void)
{
	int p[2], d;

	pipe(p);
	SHOW("add a write end", add(p[1], EPOLLOUT, 9));
	d = dup(p[1]);
	close(p[1]);
	show_wait("a dup keeps it", 8);
	close(d);
	show_wait("all its fds closed: gone", 8);
	SHOW("add the read end", add(p[0], EPOLLIN, 10));
	show_wait("its writer gone: HUP", 8);
	close(p[0]);
	show_wait("closed", 8);
}

static void waits(void)
{
	int e = eventfd(1, 0), inner = epoll_create1(EPOLL_CLOEXEC), outer;
	struct epoll_event ev[2], one = { EPOLLIN, { .u64 = 11 } };
	struct timespec ts = { 0, 10000000 };
	struct pollfd pfd = { inner, POLLIN, 0 };
	sigset_t mask;

	SHOW("FD_CLOEXEC", fcntl(inner, F_GETFD));
	SHOW("inner watches an eventfd", epoll_ctl(inner, EPOLL_CTL_ADD, e, &one));
	SHOW("poll the inner epoll", poll(&pfd, 1, 0));
	SHOW("outer watches inner", add(inner, EPOLLIN, 12));
	show_wait("outer sees inner ready", 8);
	outer = epoll_create1(0);
	one.data.u64 = 13;
	SHOW("a third level", epoll_ctl(outer, EPOLL_CTL_ADD, ep, &one));
	close(outer);
	{
		int a = eventfd(1, 0), b = eventfd(1, 0);

		add(a, EPOLLIN, 21);
		add(b, EPOLLIN, 22);
		show_wait("maxevents 1", 1);
		show_wait("maxevents 1 again: the other first", 1);
		show_wait("then both", 8);
		close(a);
		close(b);
	}
	SHOW("epoll_wait 10 ms on nothing", epoll_wait(inner, ev, 2, 0) == 1 ?
	     (read(e, &one, 8), epoll_wait(inner, ev, 2, 10)) : -2);
	sigemptyset(&mask);
	SHOW("epoll_pwait", epoll_pwait(inner, ev, 2, 0, &mask));
	SHOW("epoll_pwait bad sigsetsize",
	     syscall(SYS_epoll_pwait, inner, ev, 2, 0, &mask, 4));
	SHOW("epoll_pwait2 10 ms", syscall(SYS_epoll_pwait2, inner, ev, 2, &ts, NULL, 8));
	ts.tv_nsec = -1;
	SHOW("epoll_pwait2 bad timeout", syscall(SYS_epoll_pwait2, inner, ev, 2, &ts, NULL, 8));
	epoll_ctl(ep, EPOLL_CTL_DEL, inner, NULL);
	close(inner);
	close(e);
}

int main(void)
{
	abi_scratch_enter();
	ep = epoll_create1(0);
	abi_yes("epoll_create1", ep >= 0);
	level();
	edge_and_oneshot();
	exclusive_and_errors();
	closing();
	waits();
	close(ep);
	abi_scratch_leave();
	return 0;
}
