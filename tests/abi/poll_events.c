/* Which revents poll(2) and ppoll(2) report, bit by bit, beyond poll.c:
 * POLLHUP and POLLERR come even when not asked (events 0 too), POLLNVAL
 * for a closed fd whatever was asked, only the asked ones of POLLIN and
 * POLLRDNORM, POLLOUT and POLLWRNORM, POLLRDHUP only when asked; the
 * same fd twice counts twice; pipes, fifos, sockets (connected, shut,
 * unconnected, listening with a connection waiting), eventfds, timerfds,
 * /dev/null and a directory; ppoll's timeout written back (raw syscall)
 * and a blocking poll woken by a child's write. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static void show_bits(const char *label, int n, short r)
{
	printf("%s: %d%s%s%s%s%s%s%s%s%s%s\n", label, n,
	       r & POLLIN ? " IN" : "", r & POLLRDNORM ? " RDNORM" : "",
	       r & POLLOUT ? " OUT" : "", r & POLLWRNORM ? " WRNORM" : "",
	       r & POLLPRI ? " PRI" : "", r & POLLRDHUP ? " RDHUP" : "",
	       r & POLLERR ? " ERR" : "", r & POLLHUP ? " HUP" : "",
	       r & POLLNVAL ? " NVAL" : "", r & POLLWRBAND ? " WRBAND" : "");
}

/* Polls fd for events (no wait) and prints the count and revents. */
static void ask(const char *label, int fd, short events)
{
	struct pollfd p = { fd, events, 0 };
	int n = poll(&p, 1, 0);

	show_bits(label, n, p.revents);
}

#define ALL (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM | POLLPRI | POLLRDHUP)

static void pipes(void)
{
	int p[2];

	pipe(p);
	ask("read end, all", p[0], ALL);
	ask("write end, all", p[1], ALL);
	write(p[1], "x", 1);
	ask("read end with data, RDNORM only", p[0], POLLRDNORM);
	ask("read end with data, IN only", p[0], POLLIN);
	ask("write end, WRNORM only", p[1], POLLWRNORM);
	close(p[1]);
	ask("writer gone, events 0", p[0], 0);
	ask("writer gone, all", p[0], ALL);
	close(p[0]);
	pipe(p);
	close(p[0]);
	ask("reader gone, events 0", p[1], 0);
	ask("reader gone, IN only", p[1], POLLIN);
	close(p[1]);
	ask("closed fd, events 0", p[1], 0);
	ask("closed fd, all", p[1], ALL);
	{
		struct pollfd two[3];
		int q[2], n;

		pipe(q);
		write(q[1], "y", 1);
		two[0] = (struct pollfd){ q[0], POLLIN, 0 };
		two[1] = (struct pollfd){ q[0], POLLOUT, 0 };
		two[2] = (struct pollfd){ q[0], POLLIN | POLLOUT, 0 };
		n = poll(two, 3, 0);
		printf("the same fd three times: %d, %#x %#x %#x\n", n,
		       two[0].revents, two[1].revents, two[2].revents);
		close(q[0]);
		close(q[1]);
	}
}

static void fifos(void)
{
	int r, w;

	abi_scratch_enter();
	mkfifo("f", 0600);
	r = open("f", O_RDONLY | O_NONBLOCK);
	ask("fifo reader, no writer ever", r, ALL);
	w = open("f", O_WRONLY | O_NONBLOCK);
	ask("fifo reader with a writer", r, ALL);
	ask("fifo writer", w, ALL);
	close(w);
	ask("fifo reader, writer gone", r, ALL);
	close(r);
	abi_scratch_leave();
}

static void sockets(void)
{
	int sv[2], l, c, a;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	socklen_t len;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	ask("connected socket", sv[0], ALL);
	send(sv[1], "z", 1, 0);
	ask("with data", sv[0], ALL);
	shutdown(sv[1], SHUT_WR);
	ask("peer shut writing, RDHUP asked", sv[0], ALL);
	ask("peer shut writing, RDHUP not asked", sv[0], POLLIN | POLLOUT);
	close(sv[1]);
	ask("peer closed", sv[0], ALL);
	close(sv[0]);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	ask("dgram pair", sv[0], ALL);
	close(sv[1]);
	ask("dgram, peer closed", sv[0], ALL);
	close(sv[0]);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	ask("unconnected stream socket", l, ALL);
	/* an abstract name: nothing in the file system */
	snprintf(addr.sun_path + 1, sizeof(addr.sun_path) - 1, "keel-poll-%d", getpid());
	len = (socklen_t)(sizeof(sa_family_t) + 1 + strlen(addr.sun_path + 1));
	bind(l, (struct sockaddr *)&addr, len);
	listen(l, 4);
	ask("listener, nobody waiting", l, ALL);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&addr, len);
	ask("listener, a connection waiting", l, ALL);
	ask("the connected client", c, ALL);
	a = accept(l, NULL, NULL);
	ask("listener after accept", l, ALL);
	ask("accepted socket", a, ALL);
	close(a);
	close(c);
	close(l);
}

static void others(void)
{
	int e = eventfd(0, 0), t = timerfd_create(CLOCK_MONOTONIC, 0);
	int n = open("/dev/null", O_RDWR), d = open("/", O_RDONLY | O_DIRECTORY);
	uint64_t v = 1;
	struct itimerspec its = { { 0, 0 }, { 0, 1 } };

	ask("eventfd at 0", e, ALL);
	write(e, &v, 8);
	ask("eventfd at 1", e, ALL);
	ask("timerfd unarmed", t, ALL);
	timerfd_settime(t, 0, &its, NULL);
	read(t, &v, 8); /* blocks until it fires */
	ask("timerfd after its expiry was read", t, ALL);
	its.it_value.tv_nsec = 1;
	timerfd_settime(t, 0, &its, NULL);
	{
		struct pollfd p = { t, POLLIN, 0 };
		int r = poll(&p, 1, -1);

		show_bits("timerfd, blocking poll until it fires", r, p.revents);
	}
	ask("/dev/null", n, ALL);
	ask("a directory", d, ALL);
	close(e);
	close(t);
	close(n);
	close(d);
}

static void timeouts_and_waking(void)
{
	int p[2], status;
	struct pollfd pfd;
	struct timespec ts = { 5, 0 };
	pid_t pid;

	pipe(p);
	write(p[1], "x", 1);
	pfd = (struct pollfd){ p[0], POLLIN, 0 };
	SHOW("ppoll ready at once", syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8));
	abi_yes("timeout written back, some left",
		ts.tv_sec * 1000000000ll + ts.tv_nsec <= 5000000000ll &&
			ts.tv_sec * 1000000000ll + ts.tv_nsec > 0);
	read(p[0], (char[1]){ 0 }, 1);
	ts = (struct timespec){ 0, 10000000 };
	SHOW("ppoll 10 ms on an empty pipe", syscall(SYS_ppoll, &pfd, 1, &ts, NULL, 8));
	printf("left: %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
	pid = fork();
	if (pid == 0) {
		write(p[1], "x", 1);
		_exit(0);
	}
	SHOW("blocking poll woken by a child", poll(&pfd, 1, -1));
	show_bits("its revents", 1, pfd.revents);
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	pipes();
	fifos();
	sockets();
	others();
	timeouts_and_waking();
	return 0;
}
