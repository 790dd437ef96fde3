/* readv(2)/writev(2) and the positioned vector calls beyond files_io.c:
 * iovec edge cases (no entries, empty entries, a NULL base of length 0,
 * IOV_MAX entries and one more, a negative count, a negative length), a bad buffer after a good one (the bytes before it count),
 * a read spread over entries and cut at the end, O_APPEND and pwritev
 * (Linux appends), pwritev2's RWF_APPEND (the position moves only for
 * offset -1), RWF_NOAPPEND, RWF_DSYNC and RWF_SYNC,
 * preadv2 with offset -1 on a pipe, and the access-mode errors (EBADF,
 * EISDIR, ESPIPE). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef RWF_DSYNC
#define RWF_DSYNC 2
#define RWF_SYNC 4
#endif
#ifndef RWF_APPEND
#define RWF_APPEND 0x10
#endif
#ifndef RWF_NOAPPEND
#define RWF_NOAPPEND 0x20
#endif

/* The raw calls (musl has no preadv2/pwritev2): on 64 bits the offset is
 * the low word alone. */
static long preadv2_(int fd, const struct iovec *iov, int n, long off, int flags)
{
	return syscall(SYS_preadv2, fd, iov, n, off, 0, flags);
}

static long pwritev2_(int fd, const struct iovec *iov, int n, long off, int flags)
{
	return syscall(SYS_pwritev2, fd, iov, n, off, 0, flags);
}

static void show_file(const char *label, const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	printf("%s: [%s] %zd\n", label, n > 0 ? buf : "", n);
	close(fd);
}

static void counts(int fd)
{
	static struct iovec many[IOV_MAX + 1];
	struct iovec iov[3] = { { "ab", 2 }, { NULL, 0 }, { "cd", 2 } };
	struct iovec huge[1] = { { "x", (size_t)-1 } };

	SHOW("writev no entries", writev(fd, iov, 0));
	SHOW("writev an empty entry between", writev(fd, iov, 3));
	SHOW("writev only empty entries", writev(fd, &iov[1], 1));
	for (int i = 0; i <= IOV_MAX; i++)
		many[i] = (struct iovec){ "z", 1 };
	SHOW("writev IOV_MAX entries", writev(fd, many, IOV_MAX));
	SHOW("writev IOV_MAX + 1", writev(fd, many, IOV_MAX + 1));
	SHOW("writev negative count", syscall(SYS_writev, fd, iov, -1));
	SHOW("writev a negative length", writev(fd, huge, 1));
	SHOW("readv IOV_MAX + 1", readv(fd, many, IOV_MAX + 1));
	SHOW("size", lseek(fd, 0, SEEK_END));
}

static void faults(int fd)
{
	char a[4] = "", b[4] = "";
	struct iovec w[2] = { { "good", 4 }, { (void *)8, 4 } };
	struct iovec r[2] = { { a, 4 }, { (void *)8, 4 } };
	struct iovec first[2] = { { (void *)8, 4 }, { "good", 4 } };

	ftruncate(fd, 0);
	lseek(fd, 0, SEEK_SET);
	SHOW("writev bad second buffer", writev(fd, w, 2));
	SHOW("writev bad first buffer", writev(fd, first, 2));
	SHOW("writev bad vector", syscall(SYS_writev, fd, (void *)8, 1));
	SHOW("size", lseek(fd, 0, SEEK_END));
	pwrite(fd, "01234567", 8, 0);
	SHOW("preadv bad second buffer", preadv(fd, r, 2, 0));
	printf("first buffer: %.4s\n", a);
	r[1] = (struct iovec){ b, 4 };
	SHOW("preadv cut at the end", preadv(fd, r, 2, 2));
	printf("buffers: %.4s %.2s\n", a, b);
	SHOW("preadv at the end", preadv(fd, r, 2, 8));
	SHOW("preadv negative offset", preadv(fd, r, 2, -1));
	SHOW("pwritev negative offset", pwritev(fd, w, 1, -3));
	SHOW("preadv2 offset -2", preadv2_(fd, r, 2, -2, 0));
}

static void appending(void)
{
	char buf[4] = "";
	struct iovec iov[1] = { { "AB", 2 } };
	int fd = open("app", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);

	write(fd, "0123", 4);
	SHOW("pwritev at 0 of an O_APPEND file", pwritev(fd, iov, 1, 0));
	show_file("it appended", "app");
	SHOW("pwrite at 1", pwrite(fd, "cd", 2, 1));
	show_file("it appended", "app");
	SHOW("pwritev2 RWF_NOAPPEND at 1", pwritev2_(fd, iov, 1, 1, RWF_NOAPPEND));
	show_file("it wrote at 1", "app");
	lseek(fd, 6, SEEK_SET);
	SHOW("pwritev2 RWF_NOAPPEND offset -1", pwritev2_(fd, iov, 1, -1, RWF_NOAPPEND));
	SHOW("the position moved", lseek(fd, 0, SEEK_CUR));
	show_file("at the position", "app");
	SHOW("pwritev2 RWF_APPEND|RWF_NOAPPEND",
	     pwritev2_(fd, iov, 1, 0, RWF_APPEND | RWF_NOAPPEND));
	SHOW("preadv2 RWF_APPEND|RWF_NOAPPEND",
	     preadv2_(fd, iov, 1, 0, RWF_APPEND | RWF_NOAPPEND));
	close(fd);
	fd = open("app", O_RDWR);
	lseek(fd, 1, SEEK_SET);
	SHOW("pwritev2 RWF_APPEND offset -1", pwritev2_(fd, iov, 1, -1, RWF_APPEND));
	SHOW("the position moved to the end", lseek(fd, 0, SEEK_CUR));
	SHOW("pwritev2 RWF_APPEND at 0", pwritev2_(fd, iov, 1, 0, RWF_APPEND));
	SHOW("the position kept", lseek(fd, 0, SEEK_CUR));
	show_file("appended twice", "app");
	SHOW("pwritev2 RWF_DSYNC", pwritev2_(fd, iov, 1, 0, RWF_DSYNC));
	SHOW("pwritev2 RWF_SYNC", pwritev2_(fd, iov, 1, 0, RWF_SYNC));
	SHOW("size", lseek(fd, 0, SEEK_END));
	iov[0] = (struct iovec){ buf, 3 };
	SHOW("preadv2 RWF_SYNC", preadv2_(fd, iov, 1, 0, RWF_SYNC));
	printf("data: %.3s\n", buf);
	close(fd);
}

static void modes(void)
{
	char buf[8] = "";
	struct iovec iov[1] = { { buf, 4 } };
	int p[2], fd;

	abi_write_file("m", "mmmm");
	fd = open("m", O_RDONLY);
	SHOW("writev a read-only fd", writev(fd, iov, 1));
	SHOW("pwritev a read-only fd", pwritev(fd, iov, 1, 0));
	close(fd);
	fd = open("m", O_WRONLY);
	SHOW("readv a write-only fd", readv(fd, iov, 1));
	SHOW("preadv2 a write-only fd", preadv2_(fd, iov, 1, 0, 0));
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("readv a directory", readv(fd, iov, 1));
	close(fd);
	fd = open("m", O_PATH);
	SHOW("readv an O_PATH fd", readv(fd, iov, 1));
	close(fd);
	SHOW("readv bad fd", readv(999, iov, 1));
	pipe(p);
	write(p[1], "pipe", 4);
	SHOW("preadv on a pipe", preadv(p[0], iov, 1, 0));
	SHOW("pwritev on a pipe", pwritev(p[1], iov, 1, 0));
	SHOW("preadv2 offset -1 on a pipe", preadv2_(p[0], iov, 1, -1, 0));
	printf("data: %.4s\n", buf);
	SHOW("pwritev2 offset -1 on a pipe", pwritev2_(p[1], iov, 1, -1, 0));
	SHOW("readv what it wrote", readv(p[0], iov, 1));
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	int fd;

	abi_scratch_enter();
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	counts(fd);
	faults(fd);
	close(fd);
	appending();
	modes();
	abi_scratch_leave();
	return 0;
}
