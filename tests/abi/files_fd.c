/* Descriptors: dup, dup2, dup3, fcntl (F_DUPFD, F_DUPFD_CLOEXEC,
 * F_GETFD/F_SETFD, F_GETFL/F_SETFL), close_range, the generic ioctls
 * (FIOCLEX, FIONCLEX, FIONBIO, FIONREAD on a file) and what duplicates
 * share (the position and status flags) and do not (close-on-exec). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_close_range.h"

static void dups(int fd)
{
	int a, b;

	a = dup(fd);
	SHOW("dup gives the lowest free fd", a == fd + 1);
	SHOW("dup bad fd", dup(999));
	SHOW("dups share the position", (lseek(fd, 3, SEEK_SET), lseek(a, 0, SEEK_CUR)));
	fcntl(fd, F_SETFL, O_APPEND);
	abi_yes("dups share status flags", fcntl(a, F_GETFL) & O_APPEND);
	fcntl(fd, F_SETFL, 0);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	SHOW("dups do not share FD_CLOEXEC", fcntl(a, F_GETFD));
	fcntl(fd, F_SETFD, 0);
	SHOW("dup2 to a new fd", dup2(fd, 50));
	SHOW("dup2 onto itself", dup2(fd, fd));
	SHOW("dup2 onto itself, bad fd", dup2(999, 999));
	SHOW("dup2 bad oldfd", dup2(999, 51));
	SHOW("dup2 newfd out of range", dup2(fd, 1 << 30));
	b = open("other", O_RDWR | O_CREAT, 0644);
	SHOW("dup2 over an open fd", dup2(fd, b));
	SHOW("it now shares the position", lseek(b, 0, SEEK_CUR));
	SHOW("dup3 O_CLOEXEC", dup3(fd, 52, O_CLOEXEC));
	SHOW("its FD_CLOEXEC", fcntl(52, F_GETFD));
	SHOW("dup3 onto itself", dup3(fd, fd, 0));
	SHOW("dup3 bad flags", dup3(fd, 53, O_APPEND));
	SHOW("dup3 bad fd", dup3(999, 53, 0));
	SHOW("dup2 clears FD_CLOEXEC", (dup2(fd, 52), fcntl(52, F_GETFD)));
	close(a);
	close(b);
	close(50);
	close(52);
}

static void fcntls(int fd)
{
	SHOW("F_DUPFD from 20", fcntl(fd, F_DUPFD, 20));
	SHOW("F_DUPFD from 20 again", fcntl(fd, F_DUPFD, 20));
	SHOW("F_DUPFD_CLOEXEC", fcntl(fd, F_DUPFD_CLOEXEC, 30));
	SHOW("its FD_CLOEXEC", fcntl(30, F_GETFD));
	SHOW("F_DUPFD negative", fcntl(fd, F_DUPFD, -1));
	SHOW("F_DUPFD past the limit", fcntl(fd, F_DUPFD, 1 << 30));
	SHOW("F_SETFD", fcntl(fd, F_SETFD, FD_CLOEXEC | 0x10));
	SHOW("F_GETFD keeps only FD_CLOEXEC", fcntl(fd, F_GETFD));
	fcntl(fd, F_SETFD, 0);
	SHOW("F_GETFL", fcntl(fd, F_GETFL) & ~0100000 /* O_LARGEFILE */);
	SHOW("F_SETFL O_APPEND|O_NONBLOCK",
	     fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK | O_WRONLY | O_CREAT));
	SHOW("F_GETFL: access mode unchanged, no O_CREAT",
	     fcntl(fd, F_GETFL) & ~0100000);
	fcntl(fd, F_SETFL, 0);
	SHOW("F_GETFD bad fd", fcntl(999, F_GETFD));
	SHOW("F_GETFL bad fd", fcntl(999, F_GETFL));
	SHOW("unknown command", fcntl(fd, 9999));
	close(20);
	close(21);
	close(30);
}

static void ioctls(int fd)
{
	int n = -1, on = 1;

	SHOW("FIOCLEX", ioctl(fd, FIOCLEX));
	SHOW("FD_CLOEXEC after FIOCLEX", fcntl(fd, F_GETFD));
	SHOW("FIONCLEX", ioctl(fd, FIONCLEX));
	SHOW("FD_CLOEXEC after FIONCLEX", fcntl(fd, F_GETFD));
	SHOW("FIONBIO on", ioctl(fd, FIONBIO, &on));
	abi_yes("O_NONBLOCK set", fcntl(fd, F_GETFL) & O_NONBLOCK);
	on = 0;
	SHOW("FIONBIO off", ioctl(fd, FIONBIO, &on));
	abi_yes("O_NONBLOCK clear", !(fcntl(fd, F_GETFL) & O_NONBLOCK));
	SHOW("FIONBIO bad pointer", ioctl(fd, FIONBIO, (int *)8));
	lseek(fd, 2, SEEK_SET);
	SHOW("FIONREAD on a file", ioctl(fd, FIONREAD, &n));
	SHOW("bytes left after position 2", n);
	SHOW("FIONREAD bad pointer", ioctl(fd, FIONREAD, (int *)8));
	SHOW("an unknown ioctl on a file", ioctl(fd, 0x5401 /* TCGETS */, &n));
	SHOW("ioctl bad fd", ioctl(999, FIOCLEX));
}

static void close_ranges(int fd)
{
	for (int i = 40; i < 46; i++)
		dup2(fd, i);
	SHOW("close_range 41..43", abi_close_range(41, 43, 0));
	SHOW("41 closed", fcntl(41, F_GETFD));
	SHOW("43 closed", fcntl(43, F_GETFD));
	SHOW("44 open", fcntl(44, F_GETFD));
	SHOW("close_range CLOEXEC 44..45", abi_close_range(44, 45, CLOSE_RANGE_CLOEXEC));
	SHOW("44 FD_CLOEXEC", fcntl(44, F_GETFD));
	SHOW("close_range first > last", abi_close_range(45, 44, 0));
	SHOW("close_range bad flags", abi_close_range(40, 45, 0x100));
	SHOW("close_range of closed fds", abi_close_range(200, 300, 0));
	SHOW("close_range to ~0", abi_close_range(40, ~0u, 0));
	SHOW("40 closed", fcntl(40, F_GETFD));
	SHOW("45 closed", fcntl(45, F_GETFD));
	SHOW("close_range UNSHARE", abi_close_range(60, 70, CLOSE_RANGE_UNSHARE));
}

int main(void)
{
	int fd;

	abi_scratch_enter();
	abi_write_file("f", "0123456789");
	fd = open("f", O_RDWR);
	SHOW("first fd", fd);
	dups(fd);
	fcntls(fd);
	ioctls(fd);
	close_ranges(fd);
	close(fd);
	abi_scratch_leave();
	return 0;
}
