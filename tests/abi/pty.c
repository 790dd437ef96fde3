/* Unix98 pseudo-terminals: posix_openpt, grantpt, unlockpt and ptsname;
 * the slave's node on devpts (locked at first, owner, mode, 136:N);
 * TIOCGPTN, TIOCGPTLCK, TIOCGPTPEER; canonical and raw round trips with
 * echo and output processing; termios set through the master; poll and
 * O_NONBLOCK and epoll on both ends; full buffers losing no byte; and the ends
 * closing: EIO and POLLHUP on the master after the slave closed, a hung
 * up slave (read 0, write and ioctl EIO) after the master closed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"
#include "abi_pty.h"

#define BIG 100000 /* bytes a blocking writer pushes through a full pty */

/* Whether the node made at ctime made is gone from path: no node, or
 * another pty's (other programs may take the freed number at once). */
static void show_gone(const char *label, const char *path,
		      const struct timespec *made)
{
	struct stat st;
	int err = stat(path, &st) ? errno : 0;

	abi_yes(label, err == ENOENT ||
			       (!err && (st.st_ctim.tv_sec != made->tv_sec ||
					 st.st_ctim.tv_nsec != made->tv_nsec)));
}

static void show_node(const char *label, const char *path)
{
	struct stat st;
	char l[96];

	snprintf(l, sizeof(l), "%s: stat", label);
	if (SHOW(l, stat(path, &st)))
		return;
	printf("%s: char %u:%u mode %04o\n", label, major(st.st_rdev),
	       minor(st.st_rdev), st.st_mode & 07777);
}

/* Opening, the lock and the node. */
static void open_and_lock(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), n = -1, lock = -1;
	char expect[32], *name;
	struct statfs sfs;
	struct stat st;
	int null = open("/dev/null", O_RDWR);

	abi_yes("posix_openpt", master >= 0);
	SHOW("TIOCGPTN", ioctl(master, TIOCGPTN, &n));
	name = ptsname(master);
	snprintf(expect, sizeof(expect), "/dev/pts/%d", n);
	abi_yes("ptsname is /dev/pts/<TIOCGPTN>", name && !strcmp(name, expect));
	{
		char raw[8];
		int at_odd;

		SHOW("TIOCGPTN to an unaligned int",
		     ioctl(master, TIOCGPTN, raw + 1));
		memcpy(&at_odd, raw + 1, sizeof(at_odd));
		abi_yes("  the same number", at_odd == n);
	}
	SHOW("TIOCGPTLCK", ioctl(master, TIOCGPTLCK, &lock));
	printf("locked at first: %d\n", lock);
	SHOW("stat slave", stat(name, &st));
	abi_yes("slave is 136:N", S_ISCHR(st.st_mode) &&
					  major(st.st_rdev) == 136 &&
					  (int)minor(st.st_rdev) == n);
	printf("slave mode: %04o\n", st.st_mode & 07777);
	abi_yes("slave owner is the opener", st.st_uid == getuid());
	abi_yes("slave group is the opener's", st.st_gid == getgid());
	SHOW("open locked slave", open(name, O_RDWR | O_NOCTTY));
	SHOW("TIOCGPTPEER locked", ioctl(master, TIOCGPTPEER, O_RDWR));
	SHOW("grantpt", grantpt(master));
	SHOW("unlockpt", unlockpt(master));
	ioctl(master, TIOCGPTLCK, &lock);
	printf("locked after unlockpt: %d\n", lock);
	SHOW("grantpt /dev/null", grantpt(null));
	SHOW("unlockpt /dev/null", unlockpt(null));
	abi_yes("ptsname /dev/null fails", ptsname(null) == NULL);
	abi_yes("master isatty", isatty(master));
	SHOW("statfs /dev/pts", statfs("/dev/pts", &sfs));
	printf("devpts magic: %#lx\n", (unsigned long)sfs.f_type);
	show_node("/dev/ptmx", "/dev/ptmx");
	show_node("/dev/pts/ptmx", "/dev/pts/ptmx");
	SHOW("mknod in /dev/pts", mknod("/dev/pts/x", S_IFREG | 0600, 0));
	close(null);
	close(master);
	show_gone("slave node gone with the master", name, &st.st_ctim);
}

/* Canonical mode: lines, erase, EOF, echo and ONLCR. */
static void canonical(int master, int slave)
{
	char buf[64];

	write(master, "hello\n", 6);
	SHOW("slave reads a line", read(slave, buf, sizeof(buf)));
	abi_expect("master reads the echo", master, 7);
	write(master, "abc\x7f\n", 5);
	abi_expect("slave reads the edited line", slave, 3);
	abi_expect("echo of the erase", master, 8);
	write(master, "\x04", 1);
	SHOW("read at EOF", read(slave, buf, sizeof(buf)));
	write(slave, "out\n", 4);
	abi_expect("master reads ONLCR output", master, 5);
	abi_yes("slave isatty", isatty(slave));
	SHOW("TIOCGPTN on the slave", ioctl(slave, TIOCGPTN, &(int){ 0 }));
}

/* Raw mode, set through the master: bytes pass as they are. */
static void raw(int master, int slave)
{
	struct termios t;

	tcgetattr(master, &t);
	cfmakeraw(&t);
	SHOW("tcsetattr on the master", tcsetattr(master, TCSANOW, &t));
	tcgetattr(slave, &t);
	abi_yes("the slave is raw now", !(t.c_lflag & (ICANON | ECHO)) &&
						!(t.c_oflag & OPOST));
	write(master, "a\rb\x03", 4);
	abi_expect("slave reads raw input", slave, 4);
	write(slave, "x\ny", 3);
	abi_expect("master reads raw output", master, 3);
}

/* epoll on both ends: each wakes when the other writes. */
static void with_epoll(int master, int slave)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int ep = epoll_create1(0);
	char c;

	ev.data.fd = master;
	epoll_ctl(ep, EPOLL_CTL_ADD, master, &ev);
	ev.data.fd = slave;
	epoll_ctl(ep, EPOLL_CTL_ADD, slave, &ev);
	SHOW("epoll idle", epoll_wait(ep, &out, 1, 0));
	write(slave, "e", 1);
	SHOW("epoll after a slave write", epoll_wait(ep, &out, 1, -1));
	abi_yes("  the master is readable", out.data.fd == master &&
						 (out.events & EPOLLIN));
	read(master, &c, 1);
	write(master, "f", 1);
	SHOW("epoll after a master write", epoll_wait(ep, &out, 1, -1));
	abi_yes("  the slave is readable", out.data.fd == slave &&
						(out.events & EPOLLIN));
	read(slave, &c, 1);
	close(ep);
}

/* poll and O_NONBLOCK on both ends, with nothing waiting and with data. */
static void readiness(int master, int slave)
{
	struct pollfd p = { slave, POLLIN, 0 };
	char c;

	abi_show_poll("slave poll idle", slave);
	abi_show_poll("master poll idle", master);
	fcntl(slave, F_SETFL, O_NONBLOCK);
	fcntl(master, F_SETFL, O_NONBLOCK);
	SHOW("slave read nothing", read(slave, &c, 1));
	SHOW("master read nothing", read(master, &c, 1));
	write(master, "z", 1);
	SHOW("poll slave for input", poll(&p, 1, -1));
	abi_show_poll("slave poll with input", slave);
	SHOW("slave read", read(slave, &c, 1));
	write(slave, "y", 1);
	p.fd = master;
	SHOW("poll master for output", poll(&p, 1, -1));
	abi_show_poll("master poll with output", master);
	SHOW("master read", read(master, &c, 1));
	fcntl(slave, F_SETFL, 0);
	fcntl(master, F_SETFL, 0);
	with_epoll(master, slave);
}

/* Packet mode: a status byte before data, or alone after a flush. */
static void packet(int master, int slave)
{
	int on = 1, mode = -1;
	char buf[8];

	SHOW("TIOCPKT on", ioctl(master, TIOCPKT, &on));
	SHOW("TIOCGPKT", ioctl(master, TIOCGPKT, &mode));
	printf("packet mode: %d\n", mode);
	write(slave, "p", 1);
	abi_expect("packet read of data", master, 2);
	SHOW("slave TCIFLUSH", tcflush(slave, TCIFLUSH));
	abi_expect("packet read after TCIFLUSH", master, 1);
	SHOW("slave TCOFLUSH", tcflush(slave, TCOFLUSH));
	abi_expect("packet read after TCOFLUSH", master, 1);
	on = 0;
	SHOW("TIOCPKT off", ioctl(master, TIOCPKT, &on));
	write(slave, "q", 1);
	SHOW("plain read again", read(master, buf, sizeof(buf)));
}

/* Non-blocking writes into from until EAGAIN, then reads all of it from
 * to: nothing is lost, in order. */
static void fill(const char *label, int from, int to)
{
	static char buf[256 * 1024];
	long total = 0, got;
	char l[96];
	ssize_t r;

	fcntl(from, F_SETFL, O_NONBLOCK);
	while (total + 512 <= (long)sizeof(buf)) {
		for (int i = 0; i < 512; i++)
			buf[total + i] = (char)('a' + (total + i) % 26);
		r = write(from, buf + total, 512);
		if (r <= 0)
			break;
		total += r;
	}
	snprintf(l, sizeof(l), "%s: fills with EAGAIN", label);
	abi_yes(l, r < 0 && errno == EAGAIN && total > 0);
	fcntl(from, F_SETFL, 0);
	{
		static char back[sizeof(buf) + 1];

		got = abi_read_full(to, back, (size_t)total);
		snprintf(l, sizeof(l), "%s: all of it read back", label);
		abi_yes(l, got == total && !memcmp(buf, back, (size_t)total));
	}
}

/* A blocking writer of BIG bytes (a child) waits for the reader. */
static void blocking_writer(const char *label, int from, int to)
{
	static char back[BIG + 1];
	int status, ok = 1;
	char l[96];
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		static char buf[BIG];

		for (int i = 0; i < BIG; i++)
			buf[i] = (char)('A' + i % 26);
		_exit(write(from, buf, BIG) == BIG ? 0 : 1);
	}
	abi_read_full(to, back, BIG);
	for (int i = 0; i < BIG; i++)
		ok &= back[i] == (char)('A' + i % 26);
	waitpid(pid, &status, 0);
	snprintf(l, sizeof(l), "%s: all %d bytes, in order", label, BIG);
	abi_yes(l, ok && WIFEXITED(status) && !WEXITSTATUS(status));
}

/* The slave closes: the master reads what is left, then EIO, and polls
 * HUP until a slave opens again (TIOCGPTPEER). */
static int slave_closes(int master, int slave)
{
	struct pollfd p = { master, POLLIN, 0 };
	char buf[8];

	write(slave, "bye", 3);
	close(slave);
	abi_expect("master reads what the slave left", master, 3);
	SHOW("master read after the slave closed", read(master, buf, 8));
	poll(&p, 1, 0);
	abi_yes("master polls HUP", p.revents & POLLHUP);
	SHOW("master write after the slave closed", write(master, "q", 1));
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	abi_yes("TIOCGPTPEER opens the slave", slave >= 0);
	poll(&p, 1, 0);
	abi_yes("master polls HUP after", p.revents & POLLHUP);
	abi_expect("the new slave reads the write", slave, 1);
	return slave;
}

/* The master closes: the slave is hung up. */
static void master_closes(int master, int slave)
{
	char name[64], buf[8];
	struct termios t;
	struct stat st;

	ptsname_r(master, name, sizeof(name));
	stat(name, &st);
	close(master);
	SHOW("slave read after hangup", read(slave, buf, sizeof(buf)));
	SHOW("slave write after hangup", write(slave, "x", 1));
	SHOW("slave tcgetattr after hangup", tcgetattr(slave, &t));
	SHOW("slave TIOCSPGRP after hangup",
	     ioctl(slave, TIOCSPGRP, &(int){ getpgrp() }));
	abi_show_poll("slave poll after hangup", slave);
	show_gone("the slave's node is gone", name, &st.st_ctim);
	close(slave);
}

int main(void)
{
	int master, slave;

	open_and_lock();
	if (abi_pty_open(O_RDWR | O_NOCTTY, O_RDWR | O_NOCTTY, &master,
			 &slave)) {
		printf("pty: -1 %s\n", abi_errname(errno));
		return 1;
	}
	canonical(master, slave);
	raw(master, slave);
	readiness(master, slave);
	packet(master, slave);
	fill("master writes", master, slave);
	fill("slave writes", slave, master);
	blocking_writer("blocked master writer", master, slave);
	blocking_writer("blocked slave writer", slave, master);
	slave = slave_closes(master, slave);
	master_closes(master, slave);
	return 0;
}
