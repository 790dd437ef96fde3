/* Unix socket names and connections: bind to a path (a socket inode in
 * the file system: S_IFSOCK, 0777 less the umask; EADDRINUSE for a taken
 * name, EINVAL for a second bind, ENOENT for a missing directory),
 * abstract names (a leading NUL: no file, EADDRINUSE), autobind
 * (addrlen 2), getsockname/getpeername, listen (EINVAL unbound), connect
 * (ECONNREFUSED with nobody listening or a non-socket file, ENOENT for
 * no file, EPROTOTYPE for another type, EISCONN), accept/accept4 with
 * the peer's name and flags, a full backlog (EAGAIN), SO_PEERCRED on
 * both ends, SO_ACCEPTCONN, poll on a listener, unlink of a bound name,
 * and a client in a child process talking to the parent's server. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_socket.h"
#include "abi_poll.h"

static char dir[64];

static socklen_t abstract_addr(struct sockaddr_un *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	strcpy(a->sun_path + 1, name);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
			   strlen(name));
}

/* Prints the name of fd (peer or own) as its length and path. */
static void show_name(const char *label, int fd, int peer)
{
	struct sockaddr_un a;
	socklen_t len = sizeof(a);
	int r;

	memset(&a, 0, sizeof(a));
	r = peer ? getpeername(fd, (struct sockaddr *)&a, &len)
		 : getsockname(fd, (struct sockaddr *)&a, &len);
	if (r) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	if (len > offsetof(struct sockaddr_un, sun_path) && !a.sun_path[0])
		printf("%s: len %u family %d abstract '%s'\n", label,
		       (unsigned)len, a.sun_family, a.sun_path + 1);
	else if (len > offsetof(struct sockaddr_un, sun_path))
		printf("%s: len is the path's + 1: %d, family %d path %s\n",
		       label,
		       len == offsetof(struct sockaddr_un, sun_path) +
				       strlen(a.sun_path) + 1,
		       a.sun_family, strrchr(a.sun_path, '/') + 1);
	else
		printf("%s: len %u family %d\n", label, (unsigned)len,
		       a.sun_family);
}

static void paths(void)
{
	struct sockaddr_un a, b;
	socklen_t la, lb;
	int s = socket(AF_UNIX, SOCK_STREAM, 0), t, c, d;
	struct stat st;
	mode_t old = umask(022);

	la = abi_path_addr(&a, dir, "srv");
	SHOW("bind path", bind(s, (struct sockaddr *)&a, la));
	stat(a.sun_path, &st);
	printf("socket inode: S_ISSOCK %d mode %o\n", S_ISSOCK(st.st_mode),
	       (unsigned)st.st_mode & 0777);
	show_name("getsockname", s, 0);
	SHOW("open the socket file", open(a.sun_path, O_RDONLY));
	lb = abi_path_addr(&b, dir, "other");
	SHOW("second bind", bind(s, (struct sockaddr *)&b, lb));
	abi_yes("second bind made no file", access(b.sun_path, F_OK) != 0);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("bind a taken path", bind(t, (struct sockaddr *)&a, la));
	lb = abi_path_addr(&b, dir, "nodir/x");
	SHOW("bind in a missing directory", bind(t, (struct sockaddr *)&b, lb));
	SHOW("bind a short address", bind(t, (struct sockaddr *)&b, 1));
	b.sun_family = AF_INET;
	SHOW("bind another family", bind(t, (struct sockaddr *)&b, lb));
	SHOW("listen unbound", listen(t, 5));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect before listen", connect(c, (struct sockaddr *)&a, la));
	SHOW("listen", listen(s, 1));
	abi_show_poll("poll idle listener", s);
	SHOW("listen again", listen(s, 2));
	SHOW("connect", connect(c, (struct sockaddr *)&a, la));
	SHOW("connect again", connect(c, (struct sockaddr *)&a, la));
	abi_show_poll("poll listener with a client", s);
	show_name("client getpeername", c, 1);
	show_name("client getsockname", c, 0);
	{
		struct sockaddr_un p;
		socklen_t pl = sizeof(p);

		d = accept4(s, (struct sockaddr *)&p, &pl, SOCK_CLOEXEC);
		abi_yes("accept4", d >= 0);
		printf("accepted peer name len %u\n", (unsigned)pl);
	}
	abi_yes("accepted FD_CLOEXEC", fcntl(d, F_GETFD) & FD_CLOEXEC);
	show_name("accepted getsockname", d, 0);
	show_name("accepted getpeername", d, 1);
	SHOW("write to server", write(c, "ping", 4));
	{
		char buf[8] = "";

		SHOW("server reads", read(d, buf, sizeof(buf)));
		printf("data: %.4s\n", buf);
	}
	{
		struct ucred cr;
		socklen_t len = sizeof(cr);
		int on = -1;

		getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cr, &len);
		printf("server's SO_PEERCRED: pid-is-self %d uid %u len %u\n",
		       cr.pid == getpid(), cr.uid, (unsigned)len);
		getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cr, &len);
		printf("client's SO_PEERCRED: pid-is-self %d uid %u\n",
		       cr.pid == getpid(), cr.uid);
		len = sizeof(on);
		getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
		printf("listener SO_ACCEPTCONN %d\n", on);
		getsockopt(d, SOL_SOCKET, SO_ACCEPTCONN, &on, &len);
		printf("accepted SO_ACCEPTCONN %d\n", on);
	}
	SHOW("accept on a connected socket", accept(d, NULL, NULL));
	SHOW("accept4 bad flags", syscall(SYS_accept4, s, NULL, NULL, 0x10));
	close(d);
	close(c);

	/* A full backlog: backlog 2 (the second listen's) takes three, the
	 * fourth waits (EAGAIN non-blocking) until an accept. */
	{
		int k[4];

		for (int i = 0; i < 4; i++) {
			k[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
			printf("connect %d: ", i);
			SHOW("", connect(k[i], (struct sockaddr *)&a, la));
		}
		d = accept(s, NULL, NULL);
		SHOW("connect after an accept",
		     connect(k[3], (struct sockaddr *)&a, la));
		close(d);
		for (int i = 0; i < 4; i++)
			close(k[i]);
	}
	SHOW("unlink the name", unlink(a.sun_path));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect to the unlinked name",
	     connect(c, (struct sockaddr *)&a, la));
	show_name("listener keeps its name", s, 0);
	close(c);
	close(s);
	close(t);

	/* A regular file is no socket; a dgram one is another type. */
	la = abi_path_addr(&a, dir, "file");
	close(open(a.sun_path, O_CREAT | O_WRONLY, 0644));
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect to a regular file",
	     connect(c, (struct sockaddr *)&a, la));
	unlink(a.sun_path);
	la = abi_path_addr(&a, dir, "dg");
	t = socket(AF_UNIX, SOCK_DGRAM, 0);
	bind(t, (struct sockaddr *)&a, la);
	SHOW("connect stream to dgram", connect(c, (struct sockaddr *)&a, la));
	la = abi_path_addr(&a, dir, "none");
	SHOW("connect to nothing", connect(c, (struct sockaddr *)&a, la));
	close(c);
	close(t);
	umask(old);
}

static void abstract(void)
{
	struct sockaddr_un a;
	socklen_t la = abstract_addr(&a, "keel-abi-test");
	int s = socket(AF_UNIX, SOCK_STREAM, 0), t, c, d;

	SHOW("bind abstract", bind(s, (struct sockaddr *)&a, la));
	show_name("abstract getsockname", s, 0);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("bind it again", bind(t, (struct sockaddr *)&a, la));
	close(t);
	t = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOW("bind it for dgram", bind(t, (struct sockaddr *)&a, la));
	close(t);
	listen(s, 4);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect abstract", connect(c, (struct sockaddr *)&a, la));
	d = accept(s, NULL, NULL);
	show_name("accepted peer (unbound)", d, 1);
	close(d);
	close(c);
	close(s);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	SHOW("connect after close", connect(c, (struct sockaddr *)&a, la));
	close(c);

	/* autobind: a name of its own, "\0" and five hex digits */
	s = socket(AF_UNIX, SOCK_DGRAM, 0);
	SHOW("autobind", bind(s, (struct sockaddr *)&a,
			      sizeof(sa_family_t)));
	{
		struct sockaddr_un n;
		socklen_t len = sizeof(n);

		getsockname(s, (struct sockaddr *)&n, &len);
		printf("autobound: len %u abstract %d\n", (unsigned)len,
		       n.sun_path[0] == 0);
	}
	close(s);
}

/* A child that dropped root connects to the name at a (mode set
 * first) and says what it got. */
static void connect_as_nobody(const struct sockaddr_un *a, socklen_t la,
			      mode_t mode)
{
	int status;
	pid_t child;

	chmod(a->sun_path, mode);
	fflush(stdout);
	child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);

		if (setuid(65534))
			_exit(9);
		printf("as nobody, mode %o: ", (unsigned)mode);
		SHOW("connect", connect(c, (const struct sockaddr *)a, la));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));
}

/* Write permission on the socket inode is what connect needs: a child
 * that dropped root meets EACCES on a 0700 name, and is let in on a
 * 0777 one. */
static void permission(void)
{
	struct sockaddr_un a;
	socklen_t la = abi_path_addr(&a, dir, "perm");
	int s = socket(AF_UNIX, SOCK_STREAM, 0);

	bind(s, (struct sockaddr *)&a, la);
	listen(s, 4);
	connect_as_nobody(&a, la, 0700);
	connect_as_nobody(&a, la, 0777);
	close(s);
	unlink(a.sun_path);
}

/* A child connects and sends; the parent's server answers. */
static void two_processes(void)
{
	struct sockaddr_un a;
	socklen_t la = abi_path_addr(&a, dir, "two");
	int s = socket(AF_UNIX, SOCK_STREAM, 0), d, status;
	char buf[16] = "";
	pid_t child;

	bind(s, (struct sockaddr *)&a, la);
	listen(s, 4);
	child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		char r[16] = "";

		close(s);
		if (connect(c, (struct sockaddr *)&a, la))
			_exit(1);
		write(c, "hello", 5);
		if (read(c, r, sizeof(r)) != 5 || memcmp(r, "world", 5))
			_exit(2);
		_exit(0);
	}
	d = accept(s, NULL, NULL);
	SHOW("server read", read(d, buf, sizeof(buf)));
	printf("from the child: %.5s\n", buf);
	{
		struct ucred cr;
		socklen_t len = sizeof(cr);

		getsockopt(d, SOL_SOCKET, SO_PEERCRED, &cr, &len);
		abi_yes("SO_PEERCRED is the child", cr.pid == child);
	}
	write(d, "world", 5);
	waitpid(child, &status, 0);
	printf("child status %d\n", WEXITSTATUS(status));
	SHOW("read after the child left", read(d, buf, sizeof(buf)));
	close(d);
	close(s);
	unlink(a.sun_path);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/keel-sock-%d", (int)getpid());
	mkdir("/tmp", 01777);
	if (mkdir(dir, 0755)) {
		printf("mkdir %s: %s\n", dir, abi_errname(errno));
		return 1;
	}
	paths();
	abstract();
	two_processes();
	permission();
	{
		struct sockaddr_un a;

		abi_path_addr(&a, dir, "dg");
		SHOW("unlink dg", unlink(a.sun_path));
	}
	SHOW("rmdir", rmdir(dir));
	return 0;
}
