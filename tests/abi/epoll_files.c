/* What an epoll registration is tied to: the open file and the fd
 * number it was added with. A dup keeps the file (and its events, still
 * reported with the old data) after the added fd is closed, but the
 * closed number can no longer be deleted (EBADF) nor the dup (ENOENT);
 * the same file added through a second fd is a second registration; a
 * number reused by another file is another key; closing the last fd
 * removes every registration; a forked child shares the set. Also epoll
 * sets inside epoll sets: readiness going up the chain, a cycle (ELOOP),
 * the depth limit, EPOLLEXCLUSIVE on an epoll fd (EINVAL), and an inner
 * set closed while watched. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_epoll.h"

static void show_wait(const char *label, int ep)
{
	abi_show_epoll_wait(label, ep);
}

static long ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event e = { events, { .u64 = data } };

	return epoll_ctl(ep, op, fd, &e);
}

static void dup_and_close(void)
{
	int ep = epoll_create1(0), p[2], d, other;

	pipe(p);
	SHOW("add the read end", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
	d = dup(p[0]);
	SHOW("add its dup too", ctl(ep, EPOLL_CTL_ADD, d, EPOLLIN, 2));
	write(p[1], "x", 1);
	show_wait("one file, two registrations", ep);
	close(p[0]);
	show_wait("the added fd closed: both still there", ep);
	SHOW("del the closed number", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	other = eventfd(1, 0);
	abi_yes("the number is reused", other == p[0]);
	SHOW("del the reused number (another file)", epoll_ctl(ep, EPOLL_CTL_DEL, other, NULL));
	SHOW("mod it", ctl(ep, EPOLL_CTL_MOD, other, EPOLLIN, 3));
	SHOW("add the new file under that number", ctl(ep, EPOLL_CTL_ADD, other, EPOLLIN, 3));
	show_wait("three registrations", ep);
	SHOW("del the dup's own", epoll_ctl(ep, EPOLL_CTL_DEL, d, NULL));
	show_wait("after it", ep);
	close(d);
	show_wait("the pipe's last fd closed", ep);
	close(other);
	show_wait("all closed", ep);
	close(p[1]);
	close(ep);
}

/* A child closing its copies changes nothing for the parent; the child's
 * own epoll_ctl changes the shared set. */
static void forked(void)
{
	int ep = epoll_create1(0), e = eventfd(1, 0), f = eventfd(1, 0), status;
	pid_t pid;

	ctl(ep, EPOLL_CTL_ADD, e, EPOLLIN, 4);
	pid = fork();
	if (pid == 0) {
		close(e);
		ctl(ep, EPOLL_CTL_ADD, f, EPOLLIN, 5);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	show_wait("after the child closed its copy and added one", ep);
	close(e);
	close(f);
	close(ep);
}

static void nesting(void)
{
	int e = eventfd(0, 0), a = epoll_create1(0), b = epoll_create1(0);
	int chain[7];
	uint64_t one = 1;
	struct pollfd pfd = { a, POLLIN, 0 };

	SHOW("a watches the eventfd", ctl(a, EPOLL_CTL_ADD, e, EPOLLIN, 6));
	SHOW("b watches a", ctl(b, EPOLL_CTL_ADD, a, EPOLLIN, 7));
	show_wait("b before the event", b);
	write(e, &one, 8);
	show_wait("b after it", b);
	SHOW("poll a", poll(&pfd, 1, 0));
	SHOW("a watches b: a cycle", ctl(a, EPOLL_CTL_ADD, b, EPOLLIN, 8));
	SHOW("b watches b", ctl(b, EPOLL_CTL_ADD, b, EPOLLIN, 8));
	SHOW("EPOLLEXCLUSIVE on an epoll fd", ctl(b, EPOLL_CTL_MOD, a, EPOLLIN | EPOLLEXCLUSIVE, 7));
	{
		int c = epoll_create1(0);

		SHOW("EPOLLEXCLUSIVE add of an epoll fd", ctl(c, EPOLL_CTL_ADD, a, EPOLLIN | EPOLLEXCLUSIVE, 9));
		close(c);
	}
	read(e, &one, 8);
	show_wait("b after the eventfd was read", b);
	close(a);
	show_wait("a closed", b);
	close(b);
	/* chain[k + 1] watches chain[k]. */
	for (int k = 0; k < 7; k++) {
		char label[48];

		chain[k] = epoll_create1(0);
		if (k == 0)
			continue;
		snprintf(label, sizeof(label), "level %d watches level %d", k, k - 1);
		SHOW(label, ctl(chain[k], EPOLL_CTL_ADD, chain[k - 1], EPOLLIN, k));
	}
	for (int k = 0; k < 7; k++)
		close(chain[k]);
	close(e);
}

int main(void)
{
	dup_and_close();
	forked();
	nesting();
	return 0;
}
