/* /proc/self/fd and fdinfo for every kind of file, beyond procfs.c: the
 * link text of a pipe and a socket ("pipe:[INO]", "socket:[INO]" with
 * fstat's inode number), the anonymous files (eventfd, epoll, timerfd,
 * signalfd: "anon_inode:[...]"), /dev/null, a deleted file, a memfd; the
 * link's own mode from the access mode (lr-x, l-wx, lrwx); stat through
 * the link reaching the file; opening a socket's link (ENXIO); fdinfo's
 * pos after reads and lseek and its flags (octal, O_CLOEXEC and
 * O_NONBLOCK changes seen, O_APPEND, O_LARGEFILE as the kernel adds it);
 * and the fd list following opens, dups and closes. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_dirlist.h"

static char buf[4096];

static const char *link_of(int fd)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		snprintf(buf, sizeof(buf), "-1 %s", abi_errname(errno));
	else
		buf[n] = '\0';
	return buf;
}

/* "kind:[N]" with N fstat's inode number: prints kind and the match. */
static void show_inode_link(const char *label, int fd)
{
	struct stat st;
	char want[64];
	const char *l = link_of(fd);

	fstat(fd, &st);
	printf("%s: %.*s", label, (int)strcspn(l, "["), l);
	snprintf(want, sizeof(want), "[%lu]", (unsigned long)st.st_ino);
	printf(" inode matches fstat: %d\n", strstr(l, want) != NULL);
}

static void show_link(const char *label, int fd)
{
	printf("%s: %s\n", label, link_of(fd));
}

/* fdinfo's pos and flags lines. */
static void show_fdinfo(const char *label, int fd)
{
	char path[64], *flags;
	int f = -1;
	long n;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	n = f < 0 ? -1 : read(f, buf, sizeof(buf) - 1);
	if (f >= 0)
		close(f);
	if (n < 0) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	buf[n] = '\0';
	flags = strstr(buf, "flags:\t");
	printf("%s: %.*s, %.*s\n", label, (int)strcspn(buf, "\n"), buf,
	       flags ? (int)strcspn(flags, "\n") : 0, flags ? flags : "");
}

static void link_mode(const char *label, int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (lstat(path, &st)) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	printf("%s: link %d mode %o\n", label, S_ISLNK(st.st_mode),
	       (unsigned)st.st_mode & 07777);
}

static void kinds(void)
{
	int p[2], sv[2], e = eventfd(0, 0), ep = epoll_create1(0);
	int t = timerfd_create(CLOCK_MONOTONIC, 0), n = open("/dev/null", O_RDWR);
	int m = memfd_create("keel-memfd", 0), d;
	sigset_t mask;
	int s;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	s = signalfd(-1, &mask, 0);
	pipe(p);
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show_inode_link("pipe read end", p[0]);
	show_inode_link("pipe write end", p[1]);
	show_inode_link("socket", sv[0]);
	show_link("eventfd", e);
	show_link("epoll", ep);
	show_link("timerfd", t);
	show_link("signalfd", s);
	show_link("/dev/null", n);
	show_link("memfd", m);
	abi_write_file("doomed", "x");
	d = open("doomed", O_RDONLY);
	unlink("doomed");
	printf("deleted file ends ' (deleted)': %d\n",
	       strlen(link_of(d)) > 10 && !strcmp(buf + strlen(buf) - 10, " (deleted)"));
	link_mode("O_RDONLY link", p[0]);
	link_mode("O_WRONLY link", p[1]);
	link_mode("O_RDWR link", n);
	{
		char path[64];
		struct stat a, b;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", sv[0]);
		stat(path, &a);
		fstat(sv[0], &b);
		abi_yes("stat through the link is the socket", S_ISSOCK(a.st_mode) && a.st_ino == b.st_ino);
		SHOW("open a socket's link", open(path, O_RDWR));
	}
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(e);
	close(ep);
	close(t);
	close(s);
	close(n);
	close(m);
	close(d);
}

static void fdinfo(void)
{
	int fd, p[2];
	char tmp[8];

	abi_write_file("data", "0123456789");
	fd = open("data", O_RDONLY);
	show_fdinfo("opened O_RDONLY", fd);
	read(fd, tmp, 3);
	show_fdinfo("after reading 3", fd);
	lseek(fd, 7, SEEK_SET);
	show_fdinfo("after lseek 7", fd);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	show_fdinfo("FD_CLOEXEC set", fd);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	show_fdinfo("O_NONBLOCK set", fd);
	close(fd);
	fd = open("data", O_WRONLY | O_APPEND | O_CLOEXEC);
	show_fdinfo("O_WRONLY|O_APPEND|O_CLOEXEC", fd);
	write(fd, "ab", 2);
	show_fdinfo("after an append", fd);
	close(fd);
	pipe2(p, O_NONBLOCK);
	show_fdinfo("pipe read end, O_NONBLOCK", p[0]);
	show_fdinfo("pipe write end", p[1]);
	close(p[1]);
	show_fdinfo("a closed fd", p[1]);
	close(p[0]);
}

static void listing(void)
{
	int a = open("/dev/null", O_RDONLY), b;

	abi_print_dir_numbers("fds with one file open", "/proc/self/fd", true);
	b = dup2(a, 20);
	abi_print_dir_numbers("after dup2 to 20", "/proc/self/fd", true);
	close(a);
	abi_print_dir_numbers("after closing the first", "/proc/self/fd", true);
	close(b);
	abi_print_dir_numbers("after closing the dup", "/proc/self/fd", true);
}

int main(void)
{
	/* Only 0, 1 and 2 inherited: others (the host's) are closed. */
	for (int fd = 3; fd < 4096; fd++)
		close(fd);
	abi_scratch_enter();
	kinds();
	fdinfo();
	listing();
	abi_scratch_leave();
	return 0;
}
