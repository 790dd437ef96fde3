/* Unix stream sockets from socketpair: what fstat and /proc/self/fd
 * show, reads and writes (read/write, readv/writev, send/recv), flags
 * (SOCK_NONBLOCK, SOCK_CLOEXEC), MSG_PEEK, MSG_DONTWAIT and EAGAIN, a
 * full buffer (non-blocking EAGAIN, then a blocked writer in a child
 * that resumes as the parent reads), MSG_WAITALL across writes of a
 * child, shutdown (SHUT_WR: end of file at the peer; EPIPE with SIGPIPE,
 * or without it under MSG_NOSIGNAL), end of file and ECONNRESET when the
 * peer closes, poll on each state, FIONREAD, a blocked read ended by a
 * signal (EINTR) or restarted (SA_RESTART), SO_RCVTIMEO/SO_SNDTIMEO, and
 * blocking poll and epoll_wait woken by a child. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"

static char big[1 << 16];
static volatile sig_atomic_t sigpipes, usr1s;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

static void basics(void)
{
	int sv[2];
	char buf[32] = "", link[64] = "", want[64];
	struct stat st;
	struct iovec iov[2];

	SHOW("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	fstat(sv[0], &st);
	printf("S_ISSOCK %d mode %o size %ld\n", S_ISSOCK(st.st_mode),
	       (unsigned)st.st_mode & 07777, (long)st.st_size);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", sv[0]);
	readlink(want, link, sizeof(link) - 1);
	snprintf(want, sizeof(want), "socket:[%lu]", (unsigned long)st.st_ino);
	abi_yes("fd link is socket:[ino]", !strcmp(link, want));
	SHOW("access mode", fcntl(sv[0], F_GETFL) & O_ACCMODE);
	SHOW("write", write(sv[0], "hello", 5));
	SHOW("FIONREAD", nread(sv[1]));
	abi_show_poll("poll with data", sv[1]);
	SHOW("recv MSG_PEEK", recv(sv[1], buf, 3, MSG_PEEK));
	printf("peeked: %.3s\n", buf);
	SHOW("read 2", read(sv[1], buf, 2));
	printf("data: %.2s\n", buf);
	SHOW("read the rest", read(sv[1], buf, sizeof(buf)));
	printf("data: %.3s\n", buf);
	SHOW("recv MSG_DONTWAIT empty", recv(sv[1], buf, 1, MSG_DONTWAIT));
	abi_show_poll("poll empty", sv[1]);
	/* Writes are joined; a read takes what is there. */
	write(sv[1], "ab", 2);
	write(sv[1], "cd", 2);
	send(sv[1], "ef", 2, 0);
	SHOW("read joined", read(sv[0], buf, sizeof(buf)));
	printf("data: %.6s\n", buf);
	iov[0] = (struct iovec){ "12", 2 };
	iov[1] = (struct iovec){ "345", 3 };
	SHOW("writev", writev(sv[0], iov, 2));
	iov[0] = (struct iovec){ buf, 1 };
	iov[1] = (struct iovec){ buf + 1, 10 };
	SHOW("readv", readv(sv[1], iov, 2));
	printf("data: %.5s\n", buf);
	SHOW("lseek", lseek(sv[0], 0, SEEK_SET));
	SHOW("pread", pread(sv[0], buf, 1, 0));
	SHOW("write from a bad pointer", syscall(SYS_write, sv[0], (void *)8, 4));
	SHOW("send 0 bytes", send(sv[0], buf, 0, 0));
	close(sv[0]);
	close(sv[1]);
}

static void flags(void)
{
	int sv[2];

	SHOW("socketpair NONBLOCK|CLOEXEC",
	     socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
			sv));
	abi_yes("O_NONBLOCK", fcntl(sv[0], F_GETFL) & O_NONBLOCK);
	abi_yes("FD_CLOEXEC", fcntl(sv[1], F_GETFD) & FD_CLOEXEC);
	SHOW("read empty non-blocking", read(sv[0], big, 1));
	close(sv[0]);
	close(sv[1]);
	SHOW("socketpair bad pointer",
	     syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, (int *)8));
}

/* Fills sv[0] without blocking; the total. */
static long fill(int fd)
{
	long total = 0, r;

	while ((r = send(fd, big, sizeof(big), MSG_DONTWAIT)) > 0)
		total += r;
	if (r < 0)
		printf("fill stops with %s\n", abi_errname(errno));
	return total;
}

static void full_buffer(void)
{
	int sv[2], status;
	long total, got = 0, r;
	pid_t child;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	total = fill(sv[0]);
	abi_yes("something fit", total > 0);
	abi_show_poll("poll full writer", sv[0]);
	while (got < total && (r = read(sv[1], big, sizeof(big))) > 0)
		got += r;
	abi_yes("read all back", got == total);
	abi_show_poll("poll drained writer", sv[0]);

	/* A child writes 4 times what fits, blocking; the parent reads
	 * it all. */
	child = fork();
	if (child == 0) {
		long sent = 0;

		close(sv[1]);
		while (sent < 4 * total) {
			r = write(sv[0], big, sizeof(big));
			if (r <= 0)
				_exit(1);
			sent += r;
		}
		_exit(0);
	}
	close(sv[0]);
	got = 0;
	while ((r = read(sv[1], big, sizeof(big))) > 0)
		got += r;
	waitpid(child, &status, 0);
	abi_yes("blocked writer's bytes all read", got >= 4 * total);
	printf("writer status %d\n", WEXITSTATUS(status));
	close(sv[1]);
}

static void waitall(void)
{
	int sv[2], status;
	char buf[16] = "";
	pid_t child;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	child = fork();
	if (child == 0) {
		for (int k = 0; k < 4; k++) {
			usleep(1000);
			write(sv[1], "xy", 2);
		}
		_exit(0);
	}
	SHOW("recv MSG_WAITALL 8", recv(sv[0], buf, 8, MSG_WAITALL));
	printf("data: %.8s\n", buf);
	waitpid(child, &status, 0);
	close(sv[1]);
	SHOW("recv MSG_WAITALL at eof", recv(sv[0], buf, 8, MSG_WAITALL));
	close(sv[0]);
}

static void shutdowns(void)
{
	int sv[2];
	char buf[8];

	signal(SIGPIPE, on_sigpipe);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "z", 1);
	SHOW("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	abi_show_poll("poll shut writer", sv[0]);
	abi_show_poll("poll its peer", sv[1]);
	SHOW("read data before eof", read(sv[1], buf, sizeof(buf)));
	SHOW("read eof", read(sv[1], buf, sizeof(buf)));
	sigpipes = 0;
	SHOW("write after SHUT_WR", write(sv[0], "x", 1));
	printf("SIGPIPEs: %d\n", (int)sigpipes);
	SHOW("send MSG_NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
	printf("SIGPIPEs: %d\n", (int)sigpipes);
	SHOW("peer writes back", write(sv[1], "back", 4));
	SHOW("shut writer reads", read(sv[0], buf, sizeof(buf)));
	SHOW("shutdown SHUT_RD", shutdown(sv[0], SHUT_RD));
	abi_show_poll("poll fully shut", sv[0]);
	SHOW("peer write after SHUT_RD", send(sv[1], "x", 1, MSG_NOSIGNAL));
	SHOW("shutdown bad how", shutdown(sv[0], 3));
	SHOW("shutdown of a pipe", shutdown(0, SHUT_RD));
	close(sv[0]);
	close(sv[1]);

	/* The peer closes: end of file after the data; the writer gets
	 * EPIPE. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[1], "bye", 3);
	close(sv[1]);
	abi_show_poll("poll after peer close", sv[0]);
	SHOW("read data", read(sv[0], buf, sizeof(buf)));
	SHOW("read eof", read(sv[0], buf, sizeof(buf)));
	sigpipes = 0;
	SHOW("write to closed peer", write(sv[0], "x", 1));
	printf("SIGPIPEs: %d\n", (int)sigpipes);
	close(sv[0]);

	/* Closing with unread data: ECONNRESET once, then end of file. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "unread", 6);
	close(sv[1]);
	abi_show_poll("poll after reset", sv[0]);
	SHOW("read after reset", read(sv[0], buf, sizeof(buf)));
	SHOW("read again", read(sv[0], buf, sizeof(buf)));
	close(sv[0]);
}

/* A child signals the parent blocked in read until the parent says it
 * returned (a second pair, sync[]), then, with SA_RESTART, writes. */
static void signal_during_read(int restart)
{
	int sv[2], sync[2], status;
	struct sigaction sa;
	char buf[8] = "";
	pid_t parent = getpid(), child;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sync);
	usr1s = 0;
	child = fork();
	if (child == 0) {
		/* Signals until the parent's read returns (without
		 * SA_RESTART) or 20 were sent (then the data ends it). */
		for (int k = 0; k < (restart ? 20 : 100000); k++) {
			if (read(sync[1], buf, 1) == 1)
				_exit(0);
			kill(parent, SIGUSR1);
			usleep(2000);
		}
		write(sv[1], "data", 4);
		_exit(0);
	}
	r = read(sv[0], buf, sizeof(buf));
	printf("%s read: %ld %s\n", restart ? "SA_RESTART" : "plain", r,
	       r < 0 ? abi_errname(errno) : buf);
	write(sync[0], "k", 1);
	waitpid(child, &status, 0);
	abi_yes("handler ran", usr1s > 0);
	close(sv[0]);
	close(sv[1]);
	close(sync[0]);
	close(sync[1]);
}

/* A blocking poll and epoll_wait on a socket are woken by a child:
 * POLLIN when it writes, POLLOUT when it drains a full buffer, POLLHUP
 * when it closes its end. */
static void wakeups(void)
{
	int sv[2], ep = epoll_create1(0), status;
	struct pollfd p;
	struct epoll_event ev = { EPOLLIN, { 0 } };
	pid_t child;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		usleep(10000);
		write(sv[1], "w", 1);
		usleep(10000);
		write(sv[1], "e", 1);
		_exit(0);
	}
	p = (struct pollfd){ sv[0], POLLIN, 0 };
	SHOW("poll woken", poll(&p, 1, -1));
	abi_show_revents("revents", p.revents);
	read(sv[0], big, 1);
	SHOW("epoll_wait woken", epoll_wait(ep, &ev, 1, -1));
	printf("events IN %d\n", !!(ev.events & EPOLLIN));
	read(sv[0], big, 1);
	waitpid(child, &status, 0);

	fill(sv[0]);
	ev.events = EPOLLOUT;
	epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &ev);
	SHOW("epoll full writer", epoll_wait(ep, &ev, 1, 0));
	fflush(stdout);
	child = fork();
	if (child == 0) {
		usleep(10000);
		while (recv(sv[1], big, sizeof(big), MSG_DONTWAIT) > 0)
			;
		usleep(10000);
		close(sv[1]);
		_exit(0);
	}
	SHOW("epoll_wait woken for OUT", epoll_wait(ep, &ev, 1, -1));
	printf("events OUT %d\n", !!(ev.events & EPOLLOUT));
	close(sv[1]);
	p = (struct pollfd){ sv[0], POLLIN, 0 };
	SHOW("poll woken by the close", poll(&p, 1, -1));
	abi_show_revents("revents", p.revents);
	waitpid(child, &status, 0);
	close(sv[0]);
	close(ep);
}

/* SO_RCVTIMEO and SO_SNDTIMEO: a blocked receive or send ends with
 * EAGAIN once the time is up (no timing is measured). */
static void timeouts(void)
{
	int sv[2];
	struct timeval tv = { 0, 20000 }, got = { -1, -1 };
	socklen_t len = sizeof(got);
	char c;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	SHOW("SO_RCVTIMEO 20 ms", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO,
					     &tv, sizeof(tv)));
	getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &got, &len);
	printf("reads back %ld s %ld us, len %u\n", (long)got.tv_sec,
	       (long)got.tv_usec, (unsigned)len);
	len = sizeof(got);
	getsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO, &got, &len);
	printf("unset SO_SNDTIMEO: %ld s %ld us\n", (long)got.tv_sec,
	       (long)got.tv_usec);
	SHOW("recv times out", recv(sv[0], &c, 1, 0));
	SHOW("SO_SNDTIMEO 20 ms", setsockopt(sv[1], SOL_SOCKET, SO_SNDTIMEO,
					     &tv, sizeof(tv)));
	fill(sv[1]);
	SHOW("send to a full buffer times out", send(sv[1], big, 1, 0));
	tv.tv_usec = 1000000;
	SHOW("1000000 us", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv,
				     sizeof(tv)));
	SHOW("short timeval", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv,
					 8));
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	basics();
	flags();
	full_buffer();
	waitall();
	shutdowns();
	signal_during_read(0);
	signal_during_read(1);
	timeouts();
	wakeups();
	return 0;
}
