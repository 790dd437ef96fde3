/* poll, ppoll, select and pselect on files that are always ready
 * (regular files, /dev/null), bad descriptors (POLLNVAL, EBADF),
 * timeouts that expire, and the rejected arguments (EINVAL, EFAULT). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"
#include "abi_files.h"

static void polls(int fd)
{
	struct pollfd p[4] = {
		{ fd, POLLIN | POLLOUT | POLLPRI, 0 },
		{ fd, POLLOUT, 0 },
		{ 999, POLLIN, 0 },
		{ -1, POLLIN, 0 },
	};
	struct timespec ts = { 0, 10000000 };

	SHOW("poll", poll(p, 4, 0));
	abi_show_revents("file asked IN|OUT|PRI", p[0].revents);
	abi_show_revents("file asked OUT", p[1].revents);
	abi_show_revents("a closed fd", p[2].revents);
	abi_show_revents("a negative fd", p[3].revents);
	p[3].revents = 0x7fff;
	SHOW("poll a negative fd alone", poll(&p[3], 1, 0));
	SHOW("its revents cleared", p[3].revents);
	SHOW("poll nothing with a 10 ms timeout", poll(&p[3], 1, 10));
	SHOW("poll zero fds", poll(NULL, 0, 0));
	SHOW("poll too many fds", syscall(SYS_ppoll, p, 1u << 20, &ts, NULL, 8));
	SHOW("poll a bad pointer", syscall(SYS_ppoll, (void *)8, 2, &ts, NULL, 8));
	SHOW("ppoll", ppoll(p, 2, &ts, NULL));
	SHOW("ppoll nothing until the timeout", ppoll(&p[3], 1, &ts, NULL));
	ts.tv_nsec = 1000000000;
	SHOW("ppoll bad timeout", ppoll(p, 1, &ts, NULL));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	SHOW("ppoll negative timeout", ppoll(p, 1, &ts, NULL));
	ts.tv_sec = 0;
	SHOW("ppoll bad sigsetsize", syscall(SYS_ppoll, p, 1, &ts, &(sigset_t){ 0 }, 4));
	SHOW("ppoll bad timeout pointer", syscall(SYS_ppoll, p, 1, (void *)8, NULL, 8));
	{
		sigset_t mask;

		sigemptyset(&mask);
		sigaddset(&mask, SIGUSR1);
		SHOW("ppoll with a mask", ppoll(p, 1, &ts, &mask));
	}
}

static void selects(int fd)
{
	fd_set r, w, e;
	struct timeval tv = { 0, 0 };
	struct timespec ts = { 0, 10000000 };

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	SHOW("select", select(fd + 1, &r, &w, &e, &tv));
	abi_yes("readable", FD_ISSET(fd, &r));
	abi_yes("writable", FD_ISSET(fd, &w));
	abi_yes("no exception", !FD_ISSET(fd, &e));
	FD_ZERO(&r);
	FD_SET(fd, &r);
	SHOW("select with nfds below the fd", select(fd, &r, NULL, NULL, &tv));
	FD_ZERO(&r);
	FD_SET(40, &r);
	SHOW("select a closed fd", select(41, &r, NULL, NULL, &tv));
	/* Linux looks only as far as its table goes (64 fds while fewer are
	 * open), so fd 900 is not looked at. */
	FD_ZERO(&r);
	FD_SET(900, &r);
	SHOW("select a closed fd past the table", select(901, &r, NULL, NULL, &tv));
	SHOW("select negative nfds", select(-1, NULL, NULL, NULL, &tv));
	tv.tv_usec = 10000;
	SHOW("select nothing for 10 ms", select(0, NULL, NULL, NULL, &tv));
	printf("time left: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);
	tv.tv_usec = -1;
	SHOW("select bad timeout", select(0, NULL, NULL, NULL, &tv));
	FD_ZERO(&r);
	FD_SET(fd, &r);
	SHOW("pselect", pselect(fd + 1, &r, NULL, NULL, &ts, NULL));
	SHOW("pselect nothing for 10 ms", pselect(0, NULL, NULL, NULL, &ts, NULL));
	ts.tv_nsec = -5;
	SHOW("pselect bad timeout", pselect(0, NULL, NULL, NULL, &ts, NULL));
	ts.tv_nsec = 0;
	SHOW("pselect bad set pointer", syscall(SYS_pselect6, fd + 1, (void *)8, NULL, NULL, &ts, NULL));
}

int main(void)
{
	int fd;

	abi_scratch_enter();
	abi_write_file("f", "data");
	fd = open("f", O_RDWR);
	polls(fd);
	selects(fd);
	close(fd);
	abi_scratch_leave();
	return 0;
}
