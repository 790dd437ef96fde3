/* The memory devices: /dev/null (reads end of file, swallows writes),
 * /dev/zero (reads zeros), /dev/full (ENOSPC), their lseek (always 0),
 * pread/pwrite on them, their modes and device numbers, and bad buffers. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi.h"

static void show_node(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		SHOW(path, -1);
		return;
	}
	printf("%s: char %d mode %o rdev %u:%u\n", path, S_ISCHR(st.st_mode),
	       (unsigned)st.st_mode & 07777, major(st.st_rdev),
	       minor(st.st_rdev));
}

static void null(void)
{
	char buf[64];
	int fd = open("/dev/null", O_RDWR);

	show_node("/dev/null");
	SHOW("null read", read(fd, buf, sizeof(buf)));
	SHOW("null write", write(fd, buf, sizeof(buf)));
	SHOW("null write from a bad pointer", syscall(SYS_write, fd, (void *)8, 16));
	SHOW("null read to a bad pointer", syscall(SYS_read, fd, (void *)8, 16));
	SHOW("null lseek", lseek(fd, 100, SEEK_SET));
	SHOW("null lseek SEEK_END", lseek(fd, -5, SEEK_END));
	SHOW("null lseek bad whence", lseek(fd, 0, 42));
	SHOW("null pwrite", pwrite(fd, buf, 8, 1000));
	SHOW("null pread", pread(fd, buf, 8, 1000));
	close(fd);
}

static void zero(void)
{
	char buf[8192];
	struct iovec iov[2] = { { buf, 10 }, { buf + 100, 20 } };
	int fd = open("/dev/zero", O_RDWR), all = 1;

	show_node("/dev/zero");
	memset(buf, 'x', sizeof(buf));
	SHOW("zero read", read(fd, buf, sizeof(buf)));
	for (size_t i = 0; i < sizeof(buf); i++)
		all &= buf[i] == 0;
	abi_yes("all zeros", all);
	SHOW("zero readv", readv(fd, iov, 2));
	SHOW("zero write", write(fd, buf, 100));
	SHOW("zero lseek", lseek(fd, 12345, SEEK_SET));
	SHOW("zero pread", pread(fd, buf, 16, 4096));
	SHOW("zero read to a bad pointer", syscall(SYS_read, fd, (void *)8, 16));
	close(fd);
}

static void full(void)
{
	char buf[16] = "x";
	int fd = open("/dev/full", O_RDWR);

	show_node("/dev/full");
	SHOW("full write", write(fd, buf, 1));
	SHOW("full write 0 bytes", write(fd, buf, 0));
	SHOW("full read", read(fd, buf, sizeof(buf)));
	abi_yes("reads zeros", buf[0] == 0 && buf[15] == 0);
	SHOW("full lseek", lseek(fd, 7, SEEK_CUR));
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	SHOW("write to a read-only /dev/null", write(fd, buf, 1));
	close(fd);
}

int main(void)
{
	null();
	zero();
	full();
	return 0;
}
