/* Unix socket names as getsockname, getpeername, accept and recvfrom
 * return them, beyond socket_bind.c: the length is always the name's
 * whole length while only what fits is copied (a short buffer, length 0,
 * a negative one: EINVAL), unnamed sockets (socketpair, an unbound one)
 * have the family alone, a relative path comes back as it was bound, a
 * path without a NUL filling sun_path, bytes after the NUL ignored,
 * abstract names with NULs in them (their length is part of the name),
 * SO_PASSCRED autobinding a sender (its 5-hex-digit name reaches the
 * receiver), and the peer's name after the peer closed. */
#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#define BASE offsetof(struct sockaddr_un, sun_path)

/* Prints `label: len N family F name` (an abstract name as \0 and its
 * bytes in hex; a path as text), or the errno. */
static void print_name(const char *label, int r, const struct sockaddr_un *a,
		       socklen_t len)
{
	if (r) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	printf("%s: len %u family %d", label, (unsigned)len, a->sun_family);
	if (len > BASE && !a->sun_path[0]) {
		printf(" abstract");
		for (size_t i = 1; i < len - BASE && i < sizeof(a->sun_path); i++)
			printf(" %02x", (unsigned char)a->sun_path[i]);
	} else if (len > BASE) {
		printf(" path '%.*s'", (int)sizeof(a->sun_path), a->sun_path);
	}
	printf("\n");
}

static void own(const char *label, int fd)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	int r;

	memset(&a, 0, sizeof(a));
	r = getsockname(fd, (struct sockaddr *)&a, &len);
	print_name(label, r, &a, len);
}

static void peer(const char *label, int fd)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	int r;

	memset(&a, 0, sizeof(a));
	r = getpeername(fd, (struct sockaddr *)&a, &len);
	print_name(label, r, &a, len);
}

static socklen_t path_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	snprintf(a->sun_path, sizeof(a->sun_path), "%s", path);
	return (socklen_t)(BASE + strlen(path) + 1);
}

static void unnamed(void)
{
	int sv[2], s = socket(AF_UNIX, SOCK_STREAM, 0);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	own("socketpair name", sv[0]);
	peer("socketpair peer", sv[0]);
	own("unbound socket", s);
	peer("unbound socket's peer", s);
	close(sv[0]);
	close(sv[1]);
	close(s);
}

static void truncation(void)
{
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un a;
	socklen_t len, la = path_addr(&a, "named");
	char buf[sizeof(a) + 8];

	bind(s, (struct sockaddr *)&a, la);
	own("bound to a relative path", s);
	memset(buf, 'X', sizeof(buf));
	len = 4;
	SHOW("getsockname into 4 bytes", getsockname(s, (struct sockaddr *)buf, &len));
	printf("  len %u, bytes after the 4th untouched: %d, path starts '%c'\n",
	       (unsigned)len, buf[4] == 'X', buf[2]);
	len = 0;
	SHOW("getsockname into 0 bytes", getsockname(s, (struct sockaddr *)buf, &len));
	printf("  len %u\n", (unsigned)len);
	len = (socklen_t)-1;
	SHOW("getsockname with len -1", getsockname(s, (struct sockaddr *)buf, &len));
	SHOW("getsockname bad len pointer", getsockname(s, (struct sockaddr *)buf, (socklen_t *)8));
	len = sizeof(a);
	SHOW("getsockname bad buffer", getsockname(s, (struct sockaddr *)8, &len));
	close(s);
}

static void odd_paths(void)
{
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), t = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un a;
	char full[sizeof(a.sun_path) + 1];

	/* 108 bytes, no NUL: the whole sun_path is the name. */
	memset(full, 'p', sizeof(a.sun_path));
	full[sizeof(a.sun_path)] = '\0';
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, full, sizeof(a.sun_path));
	SHOW("bind a 108-byte path without a NUL", bind(s, (struct sockaddr *)&a, sizeof(a)));
	SHOW("its file", access(full, F_OK));
	{
		char b[2 * sizeof(struct sockaddr_un)];
		socklen_t len = sizeof(b);

		memset(b, 0, sizeof(b));
		getsockname(s, (struct sockaddr *)b, &len);
		printf("its name: len %u, %zu bytes of path\n", (unsigned)len,
		       strlen(b + BASE));
	}
	/* Bytes after the NUL are not part of the name. */
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, "short\0garbage", 13);
	SHOW("bind 'short' followed by garbage", bind(t, (struct sockaddr *)&a, BASE + 13));
	own("its name", t);
	SHOW("the file is 'short'", access("short", F_OK));
	close(s);
	close(t);
}

static void abstract_lengths(void)
{
	int a = socket(AF_UNIX, SOCK_DGRAM, 0), b = socket(AF_UNIX, SOCK_DGRAM, 0);
	int c = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un n;
	char tag[32], buf[16];
	size_t tl;

	snprintf(tag, sizeof(tag), "keel-names-%d", getpid());
	tl = strlen(tag);
	memset(&n, 0, sizeof(n));
	n.sun_family = AF_UNIX;
	memcpy(n.sun_path + 1, tag, tl);
	SHOW("bind \\0tag", bind(a, (struct sockaddr *)&n, BASE + 1 + tl));
	SHOW("bind \\0tag\\0 (one byte longer)", bind(b, (struct sockaddr *)&n, BASE + 2 + tl));
	n.sun_path[2 + tl] = 'x';
	SHOW("bind \\0tag\\0x", bind(c, (struct sockaddr *)&n, BASE + 3 + tl));
	{
		struct sockaddr_un o;
		socklen_t len = sizeof(o);

		getsockname(c, (struct sockaddr *)&o, &len);
		printf("its length is base + 3 + tag: %d; NUL inside kept: %d\n",
		       len == BASE + 3 + tl, o.sun_path[1 + tl] == 0 && o.sun_path[2 + tl] == 'x');
	}
	SHOW("send to \\0tag", sendto(c, "one", 3, 0, (struct sockaddr *)&n, BASE + 1 + tl));
	SHOW("\\0tag got it", recv(a, buf, sizeof(buf), MSG_DONTWAIT));
	SHOW("\\0tag\\0 did not", recv(b, buf, sizeof(buf), MSG_DONTWAIT));
	close(a);
	close(b);
	close(c);
}

/* SO_PASSCRED on an unbound sender: sending autobinds it. */
static void autobind_on_send(void)
{
	int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0);
	int on = 1;
	struct sockaddr_un a, from;
	socklen_t la = path_addr(&a, "receiver"), lf = sizeof(from);
	char buf[16];

	bind(r, (struct sockaddr *)&a, la);
	own("sender before", s);
	setsockopt(s, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	SHOW("sendto with SO_PASSCRED", sendto(s, "hi", 2, 0, (struct sockaddr *)&a, la));
	{
		struct sockaddr_un o;
		socklen_t len = sizeof(o);

		getsockname(s, (struct sockaddr *)&o, &len);
		printf("sender after: len %u abstract %d\n", (unsigned)len, len > BASE && !o.sun_path[0]);
	}
	memset(&from, 0, sizeof(from));
	SHOW("recvfrom", recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &lf));
	printf("from: len %u, five hex digits: %d\n", (unsigned)lf,
	       lf == BASE + 6 && strspn(from.sun_path + 1, "0123456789abcdef") == 5);
	lf = 3;
	sendto(s, "hi", 2, 0, (struct sockaddr *)&a, la);
	SHOW("recvfrom into 3 bytes of address", recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &lf));
	printf("  len %u\n", (unsigned)lf);
	close(s);
	close(r);
}

static void after_close(void)
{
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0), d;
	struct sockaddr_un a;
	socklen_t la = path_addr(&a, "listener");
	struct sockaddr_un got;
	socklen_t lg = 5;

	bind(l, (struct sockaddr *)&a, la);
	listen(l, 1);
	connect(c, (struct sockaddr *)&a, la);
	memset(&got, 0, sizeof(got));
	d = accept(l, (struct sockaddr *)&got, &lg);
	printf("accept into 5 bytes: len %u family %d\n", (unsigned)lg, got.sun_family);
	peer("client's peer", c);
	close(d);
	peer("client's peer after the accepted end closed", c);
	close(l);
	peer("and after the listener closed", c);
	own("accepted end's name is the listener's", ({
		int c2 = socket(AF_UNIX, SOCK_STREAM, 0), l2 = socket(AF_UNIX, SOCK_STREAM, 0);
		struct sockaddr_un b;
		socklen_t lb = path_addr(&b, "second");
		int d2;
		bind(l2, (struct sockaddr *)&b, lb);
		listen(l2, 1);
		connect(c2, (struct sockaddr *)&b, lb);
		d2 = accept(l2, NULL, NULL);
		close(c2);
		close(l2);
		d2;
	}));
	close(c);
}

int main(void)
{
	abi_scratch_enter();
	unnamed();
	truncation();
	odd_paths();
	abstract_lengths();
	autobind_on_send();
	after_close();
	abi_scratch_leave();
	return 0;
}
