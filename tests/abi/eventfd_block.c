/* eventfds between processes, beyond eventfd.c: a blocking read woken by
 * a child's write, a blocking write at the 2^64 - 2 limit that completes
 * once the counter is read, EFD_SEMAPHORE handing one unit to each of two
 * blocked readers, the counter shared across fork, O_NONBLOCK set later
 * with F_SETFL, the largest initial value, and readiness: epoll
 * edge-triggered reports every write (each one wakes), select sees the
 * counter, and a blocking poll is woken by a write. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static long put(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v));
}

static uint64_t get(int fd)
{
	uint64_t v = 0;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

/* Waits for a child and says whether it exited with 0. */
static int child_ok(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void blocking(void)
{
	int fd = eventfd(0, 0);
	pid_t pid;

	pid = fork();
	if (pid == 0)
		_exit(put(fd, 42) == 8 ? 0 : 1);
	SHOW("blocking read woken by a child's write", (long)get(fd));
	abi_yes("the child wrote", child_ok(pid));
	put(fd, UINT64_MAX - 1);
	pid = fork();
	if (pid == 0)
		_exit(put(fd, 5) == 8 ? 0 : 1); /* blocks: no room */
	abi_yes("read at the limit", get(fd) == UINT64_MAX - 1);
	SHOW("then the blocked write's value", (long)get(fd));
	abi_yes("the writer completed", child_ok(pid));
	close(fd);
}

static void semaphore(void)
{
	int fd = eventfd(0, EFD_SEMAPHORE), p[2];
	pid_t a, b;
	char c;

	pipe(p);
	a = fork();
	if (a == 0) {
		close(p[0]);
		_exit(get(fd) == 1 && write(p[1], "a", 1) == 1 ? 0 : 1);
	}
	b = fork();
	if (b == 0) {
		close(p[0]);
		_exit(get(fd) == 1 && write(p[1], "b", 1) == 1 ? 0 : 1);
	}
	close(p[1]);
	SHOW("post 2 to two blocked semaphore readers", put(fd, 2));
	SHOW("first reader done", read(p[0], &c, 1));
	SHOW("second reader done", read(p[0], &c, 1));
	abi_yes("both got 1", child_ok(a) && child_ok(b));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	SHOW("nothing left (O_NONBLOCK set later)", read(fd, (uint64_t[1]){ 0 }, 8));
	close(p[0]);
	close(fd);
}

static void shared_and_initial(void)
{
	int fd = eventfd(0xffffffffu, EFD_NONBLOCK);
	pid_t pid;

	SHOW("initial value 2^32 - 1", (long)get(fd));
	pid = fork();
	if (pid == 0) {
		put(fd, 7);
		_exit(0);
	}
	child_ok(pid);
	SHOW("the child's write, read by the parent", (long)get(fd));
	close(fd);
}

static void readiness(void)
{
	int fd = eventfd(0, EFD_NONBLOCK), ep = epoll_create1(0);
	struct epoll_event ev = { EPOLLIN | EPOLLET, { .u64 = 1 } }, out[2];
	fd_set r;
	struct timeval tv = { 0, 0 };
	struct pollfd pfd = { fd, POLLIN, 0 };
	pid_t pid;

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	SHOW("edge-triggered, nothing yet", epoll_wait(ep, out, 2, 0));
	put(fd, 1);
	SHOW("after a write", epoll_wait(ep, out, 2, 0));
	SHOW("no new write", epoll_wait(ep, out, 2, 0));
	put(fd, 1);
	SHOW("a second write, still readable: again", epoll_wait(ep, out, 2, 0));
	put(fd, 0);
	SHOW("a write of 0 wakes too", epoll_wait(ep, out, 2, 0));
	FD_ZERO(&r);
	FD_SET(fd, &r);
	SHOW("select with a value", select(fd + 1, &r, NULL, NULL, &tv));
	SHOW("read", (long)get(fd));
	FD_ZERO(&r);
	FD_SET(fd, &r);
	SHOW("select at 0", select(fd + 1, &r, NULL, NULL, &tv));
	pid = fork();
	if (pid == 0) {
		put(fd, 3);
		_exit(0);
	}
	SHOW("blocking poll woken by a child", poll(&pfd, 1, -1));
	child_ok(pid);
	SHOW("value", (long)get(fd));
	close(ep);
	close(fd);
}

int main(void)
{
	blocking();
	semaphore();
	shared_and_initial();
	readiness();
	return 0;
}
