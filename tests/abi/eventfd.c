/* eventfd and eventfd2: the counter read and written in 8-byte units,
 * EFD_SEMAPHORE, EFD_NONBLOCK (EAGAIN on an empty counter and at the
 * 2^64 - 2 limit), the rejected writes and reads (EINVAL, EFAULT), flags,
 * fstat, and poll. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"

static long put(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v));
}

static void counter(void)
{
	int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
	uint64_t v = 0;
	struct stat st;
	char small[4];

	abi_yes("eventfd", fd >= 0);
	SHOW("FD_CLOEXEC", fcntl(fd, F_GETFD));
	SHOW("F_GETFL access and O_NONBLOCK",
	     fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	fstat(fd, &st);
	printf("fstat mode %o size %ld\n", (unsigned)st.st_mode, (long)st.st_size);
	abi_show_poll("poll at 3", fd);
	SHOW("read", read(fd, &v, sizeof(v)));
	SHOW("value", (long)v);
	SHOW("read empty", read(fd, &v, sizeof(v)));
	abi_show_poll("poll at 0", fd);
	SHOW("write 5", put(fd, 5));
	SHOW("write 7", put(fd, 7));
	SHOW("read 16 bytes", read(fd, (char[16]){ 0 }, 16));
	SHOW("read 4 bytes", (put(fd, 1), read(fd, small, sizeof(small))));
	SHOW("write 4 bytes", write(fd, small, sizeof(small)));
	SHOW("write 2^64 - 1", put(fd, UINT64_MAX));
	SHOW("write 2^64 - 2", (read(fd, &v, 8), put(fd, UINT64_MAX - 1)));
	abi_show_poll("poll at the limit", fd);
	SHOW("write 1 more", put(fd, 1));
	SHOW("write 0 at the limit", put(fd, 0));
	SHOW("read it all", read(fd, &v, 8));
	abi_yes("value 2^64 - 2", v == UINT64_MAX - 1);
	SHOW("read to a bad pointer", (put(fd, 9), syscall(SYS_read, fd, (void *)8, 8)));
	SHOW("the value went", read(fd, &v, 8));
	SHOW("write from a bad pointer", syscall(SYS_write, fd, (void *)8, 8));
	SHOW("lseek", lseek(fd, 0, SEEK_SET));
	close(fd);
}

static void semaphore(void)
{
	int fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	uint64_t v = 0;

	SHOW("semaphore read", read(fd, &v, 8));
	SHOW("value", (long)v);
	SHOW("again", (read(fd, &v, 8), (long)v));
	SHOW("then empty", read(fd, &v, 8));
	put(fd, 10);
	SHOW("after adding 10", (read(fd, &v, 8), (long)v));
	close(fd);
}

static void flags(void)
{
	SHOW("eventfd2 bad flag", syscall(SYS_eventfd2, 0, O_APPEND));
	SHOW("eventfd2 no flags", ({
		int fd = syscall(SYS_eventfd2, 0, 0);
		long r = fcntl(fd, F_GETFL) & O_NONBLOCK;
		close(fd);
		r;
	}));
}

int main(void)
{
	counter();
	semaphore();
	flags();
	return 0;
}
