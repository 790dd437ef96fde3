/* Ancillary data on unix sockets: SCM_RIGHTS (a pipe's end passed and
 * used, several fds at once, to a child process, MSG_CMSG_CLOEXEC, a
 * short control buffer: MSG_CTRUNC and the fds that did not fit closed,
 * none at all: MSG_CTRUNC, read(2) dropping them, MSG_PEEK installing
 * copies, a stream read ending
 * at a message with fds; EBADF, EINVAL for a bad cmsg_len or too many
 * fds), and SCM_CREDENTIALS (given with SO_PASSCRED, explicit ones of
 * the sender's own, ESRCH for a pid that does not exist, nothing
 * without SO_PASSCRED). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

/* Sends len bytes of data with n fds (SCM_RIGHTS). */
static long send_fds(int s, const char *data, size_t len, const int *fds,
		     int n)
{
	char ctl[CMSG_SPACE(sizeof(int) * 300)];
	struct iovec iov = { (void *)data, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	memset(ctl, 0, sizeof(ctl));
	if (n) {
		m.msg_control = ctl;
		m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
	}
	/* The call itself: musl refuses control buffers over 1 KiB. */
	return syscall(SYS_sendmsg, s, &m, 0);
}

/* Receives into buf with ctllen bytes of control room; prints what came
 * and puts the fds received into fds (returns how many). */
static int recv_fds(const char *label, int s, size_t ctllen, int flags,
		    int *fds)
{
	char buf[32] = "", ctl[512];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctllen ? ctl : NULL,
			    .msg_controllen = ctllen };
	struct cmsghdr *c;
	long r = recvmsg(s, &m, flags);
	int n = 0;

	if (r < 0) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return 0;
	}
	printf("%s: %ld '%.*s' ctrunc %d controllen %zu\n", label, r, (int)r,
	       buf, !!(m.msg_flags & MSG_CTRUNC), (size_t)m.msg_controllen);
	for (c = ctllen ? CMSG_FIRSTHDR(&m) : NULL; c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_type == SCM_RIGHTS) {
			int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			memcpy(fds + n, CMSG_DATA(c), sizeof(int) * k);
			n += k;
			printf("  SCM_RIGHTS with %d fds\n", k);
		} else if (c->cmsg_type == SCM_CREDENTIALS) {
			struct ucred cr;

			memcpy(&cr, CMSG_DATA(c), sizeof(cr));
			printf("  SCM_CREDENTIALS pid-is-self %d uid %u gid %u\n",
			       cr.pid == getpid(), cr.uid, cr.gid);
		}
	}
	return n;
}

static void rights(void)
{
	int sv[2], p[2], got[300], n, many[300];
	char buf[8] = "";

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	SHOW("send a pipe's read end", send_fds(sv[0], "F", 1, p, 1));
	close(p[0]);
	n = recv_fds("receive it", sv[1], 512, 0, got);
	write(p[1], "via", 3);
	SHOW("read through the passed fd", read(got[0], buf, sizeof(buf)));
	printf("data: %.3s\n", buf);
	abi_yes("no FD_CLOEXEC", !(fcntl(got[0], F_GETFD) & FD_CLOEXEC));
	close(got[0]);

	/* Several fds; MSG_CMSG_CLOEXEC. */
	{
		int three[3] = { p[1], 0, 1 };

		send_fds(sv[0], "3", 1, three, 3);
		n = recv_fds("three fds", sv[1], 512, MSG_CMSG_CLOEXEC, got);
		abi_yes("FD_CLOEXEC on all",
			n == 3 && (fcntl(got[0], F_GETFD) & FD_CLOEXEC) &&
				(fcntl(got[2], F_GETFD) & FD_CLOEXEC));
		for (int k = 0; k < n; k++)
			close(got[k]);
	}

	/* Room for two fds of three: MSG_CTRUNC, the third closed. */
	{
		int three[3] = { p[1], p[1], p[1] };
		int before = dup(0);

		close(before);
		send_fds(sv[0], "t", 1, three, 3);
		n = recv_fds("room for two", sv[1], CMSG_SPACE(sizeof(int)), 0,
			     got);
		abi_yes("the first fd is the lowest free one", got[0] == before);
		abi_yes("the one after them is free",
			fcntl(before + n, F_GETFD) == -1 && errno == EBADF);
		for (int k = 0; k < n; k++)
			close(got[k]);
		send_fds(sv[0], "u", 1, three, 1);
		recv_fds("no control buffer", sv[1], 0, 0, got);
		send_fds(sv[0], "v", 1, three, 1);
		SHOW("read(2) drops them", read(sv[1], buf, sizeof(buf)));
		abi_yes("nothing new open", fcntl(before, F_GETFD) == -1);
	}

	/* MSG_PEEK installs copies; the real receive gets them again. */
	send_fds(sv[0], "p", 1, &p[1], 1);
	n = recv_fds("peek with fds", sv[1], 512, MSG_PEEK, got);
	abi_yes("the peeked fd is open", n == 1 && fcntl(got[0], F_GETFD) >= 0);
	close(got[0]);
	n = recv_fds("receive after the peek", sv[1], 512, 0, got);
	close(got[0]);
	{
		int dsv[2];

		socketpair(AF_UNIX, SOCK_DGRAM, 0, dsv);
		send_fds(dsv[0], "q", 1, &p[1], 1);
		n = recv_fds("datagram peek with fds", dsv[1], 512, MSG_PEEK,
			     got);
		close(got[0]);
		n = recv_fds("datagram receive", dsv[1], 512, 0, got);
		close(got[0]);
		close(dsv[0]);
		close(dsv[1]);
	}

	/* A stream read stops at the message with fds, and after it. */
	write(sv[0], "ab", 2);
	send_fds(sv[0], "cd", 2, &p[1], 1);
	write(sv[0], "ef", 2);
	n = recv_fds("stream read with fds", sv[1], 512, 0, got);
	close(got[0]);
	n = recv_fds("the rest", sv[1], 512, 0, got);

	/* Errors. */
	{
		int bad = 999;

		SHOW("EBADF", send_fds(sv[0], "x", 1, &bad, 1));
		for (int k = 0; k < 254; k++)
			many[k] = 0;
		SHOW("254 fds", send_fds(sv[0], "x", 1, many, 254));
		SHOW("253 fds", send_fds(sv[0], "x", 1, many, 253));
		n = recv_fds("253 received", sv[1], 512, 0, got);
		for (int k = 0; k < n; k++)
			close(got[k]);
	}
	{
		char ctl[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { "x", 1 };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);

		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = sizeof(ctl) + 8;
		SHOW("cmsg_len past the buffer", sendmsg(sv[0], &m, 0));
		c->cmsg_len = 4;
		SHOW("cmsg_len under the header", sendmsg(sv[0], &m, 0));
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c->cmsg_type = 99;
		SHOW("unknown type", sendmsg(sv[0], &m, 0));
	}
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

/* The parent passes a pipe's write end to its child over a dgram pair;
 * the child writes through it. */
static void to_child(void)
{
	int sv[2], p[2], status, got[4];
	char buf[16] = "";
	pid_t child;

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	pipe(p);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		close(sv[0]);
		close(p[0]);
		close(p[1]);
		if (recv_fds("child receives", sv[1], 512, 0, got) != 1)
			_exit(1);
		fflush(stdout);
		write(got[0], "from child", 10);
		_exit(0);
	}
	close(sv[1]);
	send_fds(sv[0], "w", 1, &p[1], 1);
	close(p[1]);
	waitpid(child, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));
	SHOW("parent reads", read(p[0], buf, sizeof(buf)));
	printf("data: %.10s\n", buf);
	SHOW("then end of file", read(p[0], buf, sizeof(buf)));
	close(p[0]);
	close(sv[0]);
}

static long send_creds(int s, pid_t pid)
{
	char ctl[CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { "c", 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	struct ucred cr = { pid, getuid(), getgid() };

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_CREDENTIALS;
	c->cmsg_len = CMSG_LEN(sizeof(cr));
	memcpy(CMSG_DATA(c), &cr, sizeof(cr));
	return sendmsg(s, &m, 0);
}

static void credentials(void)
{
	int sv[2], on = 1, got[4];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	write(sv[0], "a", 1);
	recv_fds("without SO_PASSCRED", sv[1], 512, 0, got);
	SHOW("SO_PASSCRED", setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on,
				       sizeof(on)));
	{
		int v = -1;
		socklen_t len = sizeof(v);

		getsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &v, &len);
		printf("SO_PASSCRED reads %d\n", v);
	}
	write(sv[0], "b", 1);
	recv_fds("with SO_PASSCRED", sv[1], 512, 0, got);
	SHOW("explicit own creds", send_creds(sv[0], getpid()));
	recv_fds("explicit", sv[1], 512, 0, got);
	SHOW("a pid that does not exist", send_creds(sv[0], 999999));
	write(sv[0], "c", 1);
	recv_fds("SO_PASSCRED without room", sv[1], 0, 0, got);
	close(sv[0]);
	close(sv[1]);

	/* A stream with SO_PASSCRED joins writes of the same sender. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	write(sv[0], "xy", 2);
	write(sv[0], "z", 1);
	recv_fds("stream with creds", sv[1], 512, 0, got);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	rights();
	to_child();
	credentials();
	return 0;
}
