/* select(2) and pselect6(2) on pipes and sockets, beyond poll.c: which
 * set each state lands in (a hung-up read end is readable, a write end
 * without a reader writable; exceptfds stays empty), the count (an fd in
 * two sets counts twice), sets rewritten to the ready fds only, EBADF
 * for a closed fd in any set, nfds past FD_SETSIZE with a larger bitmap,
 * the timeout written
 * back with what is left (raw syscalls: the libc may copy it), EINVAL
 * for a negative tv_sec and a bad sigset size (a whole second of tv_usec
 * is normalized), and a blocking
 * select woken by a child's write. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static struct timeval zero_tv(void)
{
	struct timeval tv = { 0, 0 };

	return tv;
}

/* select of fd alone in each set (timeout 0); prints which sets kept it. */
static void show_sets(const char *label, int fd)
{
	fd_set r, w, e;
	struct timeval tv = zero_tv();
	int n;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	n = select(fd + 1, &r, &w, &e, &tv);
	if (n < 0) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	printf("%s: %d%s%s%s\n", label, n, FD_ISSET(fd, &r) ? " read" : "",
	       FD_ISSET(fd, &w) ? " write" : "",
	       FD_ISSET(fd, &e) ? " except" : "");
}

static void pipe_states(void)
{
	int p[2];

	pipe(p);
	show_sets("empty read end", p[0]);
	show_sets("write end", p[1]);
	write(p[1], "x", 1);
	show_sets("read end with data", p[0]);
	close(p[1]);
	show_sets("read end, writer gone, data left", p[0]);
	read(p[0], (char[1]){ 0 }, 1);
	show_sets("read end, writer gone, empty", p[0]);
	close(p[0]);
	pipe(p);
	close(p[0]);
	show_sets("write end, reader gone", p[1]);
	close(p[1]);
}

static void socket_states(void)
{
	int sv[2];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show_sets("connected socket", sv[0]);
	send(sv[1], "x", 1, 0);
	show_sets("socket with data", sv[0]);
	shutdown(sv[1], SHUT_WR);
	recv(sv[0], (char[1]){ 0 }, 1, 0);
	show_sets("socket, peer shut its writing", sv[0]);
	close(sv[0]);
	close(sv[1]);
	sv[0] = socket(AF_UNIX, SOCK_STREAM, 0);
	show_sets("unconnected stream socket", sv[0]);
	close(sv[0]);
}

static void counts_and_errors(void)
{
	int p[2], q[2];
	fd_set r, w;
	struct timeval tv = zero_tv();

	pipe(p);
	pipe(q);
	write(q[1], "x", 1);
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(p[0], &r);
	FD_SET(q[0], &r);
	FD_SET(p[1], &w);
	FD_SET(q[1], &w);
	FD_SET(q[0], &w);
	SHOW("ready of five asked", select(q[1] + 1, &r, &w, NULL, &tv));
	abi_yes("empty read end cleared", !FD_ISSET(p[0], &r));
	abi_yes("read end with data kept", FD_ISSET(q[0], &r));
	abi_yes("a read end asked for writing: kept", FD_ISSET(q[0], &w));
	SHOW("a closed fd in readfds", ({
		int c = dup(p[0]);
		close(c);
		FD_ZERO(&r);
		FD_SET(q[0], &r);
		FD_SET(c, &r);
		select(c + 1, &r, NULL, NULL, &tv);
	}));
	abi_yes("readfds left alone", FD_ISSET(q[0], &r));
	SHOW("a closed fd in exceptfds", ({
		int c = dup(p[0]);
		fd_set e;
		close(c);
		FD_ZERO(&e);
		FD_SET(c, &e);
		select(c + 1, NULL, NULL, &e, &tv);
	}));
	tv.tv_usec = 1000000;
	FD_ZERO(&r);
	FD_SET(q[0], &r);
	SHOW("tv_usec a whole second (normalized)", select(q[0] + 1, &r, NULL, NULL, &tv));
	tv.tv_usec = 0;
	tv.tv_sec = -1;
	SHOW("tv_sec -1", select(1, NULL, NULL, NULL, &tv));
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* nfds 1500 (past FD_SETSIZE) with a bitmap of 2048 bits and fd 1000
 * set: Linux looks only as far as its fd table goes. (Keel's fd table
 * ends at 1024, so no fd past FD_SETSIZE itself.) */
static void past_fd_setsize(void)
{
	unsigned long bits[2048 / (8 * sizeof(long))];
	int p[2], high = 1000;
	const int per = 8 * sizeof(long);

	pipe(p);
	write(p[1], "x", 1);
	SHOW("dup2 to 1000", dup2(p[0], high));
	memset(bits, 0, sizeof(bits));
	bits[high / per] |= 1ul << (high % per);
	SHOW("select nfds 1500", syscall(SYS_pselect6, 1500,
					 bits, NULL, NULL, &(struct timespec){ 0, 0 }, NULL));
	abi_yes("bit 1000 kept", bits[high / per] & (1ul << (high % per)));
	close(high);
	close(p[0]);
	close(p[1]);
}

static void timeouts(void)
{
	int p[2];
	fd_set r;
	struct timespec ts = { 5, 0 };
	struct {
		const sigset_t *set;
		size_t size;
	} mask;
	sigset_t none;

	pipe(p);
	write(p[1], "x", 1);
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	SHOW("pselect6 ready at once", syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, NULL));
	abi_yes("timeout written back, some left",
		ts.tv_sec * 1000000000ll + ts.tv_nsec <= 5000000000ll &&
			ts.tv_sec * 1000000000ll + ts.tv_nsec > 0);
	ts = (struct timespec){ 0, 20000000 };
	SHOW("pselect6 on nothing, 20 ms", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL));
	printf("left: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	sigemptyset(&none);
	mask.set = &none;
	mask.size = 4;
	ts = (struct timespec){ 0, 0 };
	SHOW("pselect6 sigset size 4", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, &mask));
	mask.size = 8;
	SHOW("pselect6 sigset size 8", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, &mask));
	mask.set = NULL;
	mask.size = 4;
	SHOW("pselect6 no sigset, size 4", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, &mask));
	SHOW("pselect6 bad sigset struct", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, (void *)8));
	close(p[0]);
	close(p[1]);
}

static void woken(void)
{
	int p[2], status;
	fd_set r;
	pid_t pid;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	SHOW("blocking select woken by a child", select(p[0] + 1, &r, NULL, NULL, NULL));
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	pipe_states();
	socket_states();
	counts_and_errors();
	past_fd_setsize();
	timeouts();
	woken();
	return 0;
}
