/* Positioned and vector I/O (pread64, pwrite64, preadv, pwritev,
 * preadv2, pwritev2), SEEK_DATA/SEEK_HOLE over a sparse file, the sync
 * calls (fsync, fdatasync, sync, syncfs) and mknod/mknodat (fifos and
 * regular files; the refused types). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef RWF_HIPRI
#define RWF_HIPRI 1
#endif
#ifndef RWF_APPEND
#define RWF_APPEND 0x10
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

static void positioned(int fd)
{
	char a[8] = "", b[8] = "";
	struct iovec iov[2] = { { a, 3 }, { b, 4 } };

	SHOW("pwrite", pwrite(fd, "0123456789", 10, 0));
	SHOW("position unchanged", lseek(fd, 0, SEEK_CUR));
	SHOW("pread", pread(fd, a, 4, 6));
	printf("pread data: %.4s\n", a);
	SHOW("pread past the end", pread(fd, a, 4, 100));
	SHOW("pread negative offset", pread(fd, a, 4, -1));
	SHOW("pwrite negative offset", pwrite(fd, a, 4, -1));
	SHOW("preadv", preadv(fd, iov, 2, 2));
	printf("preadv data: %.3s %.4s\n", a, b);
	SHOW("pwritev", pwritev(fd, iov, 2, 20));
	SHOW("size after pwritev past the end", lseek(fd, 0, SEEK_END));
	SHOW("position moved by SEEK_END only", lseek(fd, 0, SEEK_CUR));
	lseek(fd, 0, SEEK_SET);
	SHOW("preadv2 offset -1 uses the position", preadv2_(fd, iov, 1, -1, 0));
	SHOW("position after it", lseek(fd, 0, SEEK_CUR));
	SHOW("preadv2 at offset", preadv2_(fd, iov, 1, 5, 0));
	SHOW("position unchanged", lseek(fd, 0, SEEK_CUR));
	SHOW("preadv2 RWF_HIPRI", preadv2_(fd, iov, 1, 0, RWF_HIPRI));
	SHOW("preadv2 unknown flag", preadv2_(fd, iov, 1, 0, 0x1000));
	SHOW("pwritev2 RWF_APPEND", pwritev2_(fd, iov, 1, 0, RWF_APPEND));
	SHOW("size after RWF_APPEND", lseek(fd, 0, SEEK_END));
	SHOW("preadv negative count", syscall(SYS_preadv, fd, iov, -1, 0, 0));
	SHOW("preadv bad vector", syscall(SYS_preadv, fd, (void *)8, 2, 0, 0));
	SHOW("pread bad fd", pread(999, a, 1, 0));
	SHOW("pread bad buffer", syscall(SYS_pread64, fd, (void *)8, 4, 0));
}

static void holes(void)
{
	int fd = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char c = 0;

	pwrite(fd, "head", 4, 0);
	pwrite(fd, "tail", 4, 5 * 4096 + 10);
	SHOW("size", lseek(fd, 0, SEEK_END));
	SHOW("SEEK_DATA 0", lseek(fd, 0, SEEK_DATA));
	SHOW("SEEK_HOLE 0", lseek(fd, 0, SEEK_HOLE));
	SHOW("SEEK_DATA in the hole", lseek(fd, 4096, SEEK_DATA));
	SHOW("SEEK_HOLE in the tail", lseek(fd, 5 * 4096, SEEK_HOLE));
	SHOW("SEEK_DATA at the end", lseek(fd, 5 * 4096 + 14, SEEK_DATA));
	SHOW("SEEK_HOLE past the end", lseek(fd, 1 << 20, SEEK_HOLE));
	SHOW("SEEK_DATA negative", lseek(fd, -1, SEEK_DATA));
	SHOW("the hole reads zero", (pread(fd, &c, 1, 3 * 4096), c));
	ftruncate(fd, 3 * 4096);
	SHOW("SEEK_DATA after truncating the data away", lseek(fd, 4096, SEEK_DATA));
	SHOW("lseek past the end", lseek(fd, 1 << 20, SEEK_SET));
	SHOW("lseek negative", lseek(fd, -1, SEEK_SET));
	SHOW("lseek bad fd", lseek(999, 0, SEEK_SET));
	close(fd);
}

static void syncs(int fd)
{
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	int nfd = open("/dev/null", O_WRONLY);

	SHOW("fsync", fsync(fd));
	SHOW("fdatasync", fdatasync(fd));
	SHOW("fsync a directory", fsync(dfd));
	SHOW("syncfs", syncfs(fd));
	sync();
	printf("sync: done\n");
	SHOW("fsync bad fd", fsync(999));
	SHOW("fdatasync bad fd", fdatasync(999));
	SHOW("syncfs bad fd", syncfs(999));
	SHOW("fsync /dev/null", fsync(nfd));
	close(dfd);
	close(nfd);
}

static void nodes(void)
{
	struct stat st;

	SHOW("mknod fifo", mknod("fifo", S_IFIFO | 0640, 0));
	stat("fifo", &st);
	printf("fifo: %d %o\n", S_ISFIFO(st.st_mode), (unsigned)st.st_mode & 07777);
	SHOW("mkfifo existing", mkfifo("fifo", 0644));
	SHOW("mknod regular", mknod("reg", S_IFREG | 0600, 0));
	stat("reg", &st);
	printf("reg: %d %o size %ld\n", S_ISREG(st.st_mode),
	       (unsigned)st.st_mode & 07777, (long)st.st_size);
	SHOW("mknod type 0 is regular", mknod("reg0", 0644, 0));
	SHOW("mknod directory", mknod("dir", S_IFDIR | 0755, 0));
	SHOW("mknod bad type", mknod("bad", 0170000 | 0644, 0));
	SHOW("mknodat relative", ({
		int dfd = open(".", O_RDONLY | O_DIRECTORY);
		long r = mknodat(dfd, "fifo2", S_IFIFO | 0600, 0);
		close(dfd);
		r;
	}));
	SHOW("mknod missing directory", mknod("none/f", S_IFIFO | 0600, 0));
	SHOW("mknod bad pointer", syscall(SYS_mknodat, AT_FDCWD, (char *)8, S_IFIFO | 0600, 0));
}

int main(void)
{
	int fd;

	abi_scratch_enter();
	umask(022);
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	positioned(fd);
	holes();
	syncs(fd);
	nodes();
	close(fd);
	abi_scratch_leave();
	return 0;
}
