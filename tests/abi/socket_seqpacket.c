/* Unix seqpacket sockets: a socketpair and a listener's connections keep
 * message boundaries (truncation with MSG_TRUNC), an address on send is
 * ignored, poll in each state (a fresh socket is hung up), ENOTCONN on
 * an unconnected socket, end of file (0) after the peer shuts or closes,
 * EPIPE on a send to a closed peer (with or without SIGPIPE, as Linux),
 * listen and accept with the peer's creds, and a client in a child. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_socket.h"
#include "abi_poll.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void pair(void)
{
	int sv[2], fresh;
	struct sockaddr_un a = { AF_UNIX, "/nonexistent" };

	SHOW("socketpair", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	send(sv[0], "alpha", 5, 0);
	send(sv[0], "be", 2, 0);
	SHOW("sendto ignores the address",
	     sendto(sv[0], "gamma", 5, 0, (struct sockaddr *)&a, sizeof(a)));
	abi_show_poll("poll with data", sv[1]);
	abi_recv_show("short", sv[1], 3, 0);
	abi_recv_show("whole", sv[1], 64, 0);
	abi_recv_show("third", sv[1], 64, MSG_PEEK);
	abi_recv_show("third again", sv[1], 64, 0);
	abi_recv_show("empty", sv[1], 64, MSG_DONTWAIT);
	SHOW("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	abi_show_poll("poll the reader", sv[1]);
	abi_recv_show("eof", sv[1], 64, 0);
	abi_recv_show("eof non-blocking", sv[1], 64, MSG_DONTWAIT);
	SHOW("send after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	abi_show_poll("poll after the peer closed", sv[1]);
	sigpipes = 0;
	SHOW("send to a closed peer", send(sv[1], "x", 1, 0));
	printf("SIGPIPEs %d\n", (int)sigpipes);
	close(sv[1]);

	fresh = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	abi_show_poll("poll fresh socket", fresh);
	SHOW("send unconnected", send(fresh, "x", 1, 0));
	abi_recv_show("recv unconnected", fresh, 8, 0);
	SHOW("listen unbound", listen(fresh, 1));
	close(fresh);
}

static void server(void)
{
	struct sockaddr_un a;
	socklen_t la;
	int s = socket(AF_UNIX, SOCK_SEQPACKET, 0), d, status;
	char buf[32];
	pid_t child;

	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	strcpy(a.sun_path + 1, "keel-seqpacket");
	la = offsetof(struct sockaddr_un, sun_path) + 1 + 14;
	SHOW("bind", bind(s, (struct sockaddr *)&a, la));
	SHOW("listen", listen(s, 4));
	child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);

		close(s);
		if (connect(c, (struct sockaddr *)&a, la))
			_exit(1);
		send(c, "one", 3, 0);
		send(c, "two!", 4, 0);
		if (recv(c, buf, sizeof(buf), 0) != 5)
			_exit(2);
		_exit(0);
	}
	d = accept(s, NULL, NULL);
	SHOW("first message", recv(d, buf, sizeof(buf), 0));
	SHOW("second message", recv(d, buf, sizeof(buf), 0));
	{
		struct ucred cr;
		socklen_t len = sizeof(cr);

		getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cr, &len);
		abi_yes("SO_PEERCRED is the child", cr.pid == child);
	}
	send(d, "reply", 5, 0);
	waitpid(child, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));
	abi_recv_show("after the child left", d, 8, 0);
	close(d);
	close(s);
}

int main(void)
{
	signal(SIGPIPE, on_sigpipe);
	pair();
	server();
	return 0;
}
