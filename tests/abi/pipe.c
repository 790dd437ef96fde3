/* pipe and pipe2 in one process: flags, what fstat shows, reads and
 * writes with FIONREAD, O_NONBLOCK (EAGAIN), the 64 KiB default and
 * F_GETPIPE_SZ/F_SETPIPE_SZ, how much fits for different write sizes
 * (Linux fills page slots and tops up the last one), atomic writes up to
 * PIPE_BUF, O_DIRECT packets, end of file, EPIPE with SIGPIPE ignored and
 * delivered, ESPIPE, and poll on both ends. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_poll.h"

static char big[1 << 17];
static volatile sig_atomic_t sigpipes;

static int nread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

/* Fills a non-blocking pipe with writes of size n; the total. */
static long fill(int fd, size_t n)
{
	long total = 0, r;

	while ((r = write(fd, big, n)) > 0)
		total += r;
	return total;
}

static void drain(int fd)
{
	while (read(fd, big, sizeof(big)) > 0)
		;
}

static void basics(void)
{
	int p[2];
	char buf[16] = "";
	struct stat a, b;

	SHOW("pipe", pipe(p));
	SHOW("read end access", fcntl(p[0], F_GETFL) & O_ACCMODE);
	SHOW("write end access", fcntl(p[1], F_GETFL) & O_ACCMODE);
	fstat(p[0], &a);
	fstat(p[1], &b);
	printf("fifo %d mode %o size %ld\n", S_ISFIFO(a.st_mode),
	       (unsigned)a.st_mode & 07777, (long)a.st_size);
	abi_yes("both ends one inode", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	SHOW("write", write(p[1], "hello", 5));
	SHOW("FIONREAD", nread(p[0]));
	SHOW("read 3", read(p[0], buf, 3));
	printf("data: %.3s\n", buf);
	SHOW("FIONREAD", nread(p[0]));
	SHOW("read the rest", read(p[0], buf, sizeof(buf)));
	SHOW("write 0 bytes", write(p[1], buf, 0));
	SHOW("read 0 bytes", read(p[0], buf, 0));
	SHOW("write to the read end", write(p[0], "x", 1));
	SHOW("read from the write end", read(p[1], buf, 1));
	SHOW("lseek", lseek(p[0], 0, SEEK_SET));
	SHOW("pread", pread(p[0], buf, 1, 0));
	SHOW("pwrite", pwrite(p[1], buf, 1, 0));
	SHOW("fsync", fsync(p[1]));
	SHOW("write from a bad pointer", syscall(SYS_write, p[1], (void *)8, 4));
	write(p[1], "ab", 2);
	SHOW("read to a bad pointer", syscall(SYS_read, p[0], (void *)8, 4));
	SHOW("FIONREAD after it", nread(p[0]));
	abi_show_poll("poll read end (data)", p[0]);
	abi_show_poll("poll write end", p[1]);
	SHOW("read what is left", read(p[0], buf, sizeof(buf)));
	close(p[1]);
	abi_show_poll("poll read end (writer gone)", p[0]);
	SHOW("read at end of file", read(p[0], buf, sizeof(buf)));
	close(p[0]);
}

static void flags(void)
{
	int p[2];
	char c;

	SHOW("pipe2 O_CLOEXEC|O_NONBLOCK", pipe2(p, O_CLOEXEC | O_NONBLOCK));
	SHOW("FD_CLOEXEC read end", fcntl(p[0], F_GETFD));
	SHOW("FD_CLOEXEC write end", fcntl(p[1], F_GETFD));
	abi_yes("O_NONBLOCK", fcntl(p[0], F_GETFL) & O_NONBLOCK);
	SHOW("read empty, non-blocking", read(p[0], &c, 1));
	close(p[0]);
	close(p[1]);
	SHOW("pipe2 O_DIRECT", pipe2(p, O_DIRECT | O_NONBLOCK));
	abi_yes("O_DIRECT kept", fcntl(p[1], F_GETFL) & O_DIRECT);
	write(p[1], "packet one", 10);
	write(p[1], "two", 3);
	SHOW("a read takes one packet", read(p[0], big, 100));
	SHOW("a short read drops the rest", (write(p[1], "abcdef", 6), read(p[0], big, 2)));
	SHOW("next packet", read(p[0], big, 100));
	SHOW("and then", read(p[0], big, 100));
	SHOW("packets fill a slot each", fill(p[1], 10));
	close(p[0]);
	close(p[1]);
	SHOW("pipe2 bad flag", pipe2(p, O_APPEND));
	SHOW("pipe2 bad pointer", syscall(SYS_pipe2, (int *)8, 0));
}

static void sizes(void)
{
	int p[2];

	pipe2(p, O_NONBLOCK);
	SHOW("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("fill with 4096-byte writes", fill(p[1], 4096));
	SHOW("FIONREAD when full", nread(p[0]));
	SHOW("one more byte", write(p[1], "x", 1));
	abi_show_poll("poll write end (full)", p[1]);
	drain(p[0]);
	SHOW("fill with 1-byte writes", fill(p[1], 1));
	drain(p[0]);
	SHOW("fill with 1000-byte writes", fill(p[1], 1000));
	drain(p[0]);
	SHOW("fill with 5000-byte writes", fill(p[1], 5000));
	drain(p[0]);
	SHOW("one 100000-byte write", write(p[1], big, 100000));
	drain(p[0]);
	SHOW("F_SETPIPE_SZ 1", fcntl(p[1], F_SETPIPE_SZ, 1));
	SHOW("F_SETPIPE_SZ 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
	SHOW("F_GETPIPE_SZ", fcntl(p[0], F_GETPIPE_SZ));
	SHOW("F_SETPIPE_SZ 1 MiB", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
	SHOW("F_SETPIPE_SZ 2^31 + 1", fcntl(p[1], F_SETPIPE_SZ, (1u << 31) + 1));
	SHOW("F_SETPIPE_SZ 4096", fcntl(p[1], F_SETPIPE_SZ, 4096));
	SHOW("write 4000", write(p[1], big, 4000));
	SHOW("atomic 100 does not fit", write(p[1], big, 100));
	SHOW("96 fit (merged)", write(p[1], big, 96));
	drain(p[0]);
	SHOW("write 8192 into 4096", write(p[1], big, 8192));
	fcntl(p[1], F_SETPIPE_SZ, 65536);
	write(p[1], big, 12288);
	SHOW("shrink below the data", fcntl(p[1], F_SETPIPE_SZ, 4096));
	SHOW("data kept", nread(p[0]));
	{
		int fd = open("/dev/null", O_RDONLY);

		SHOW("F_GETPIPE_SZ on /dev/null", fcntl(fd, F_GETPIPE_SZ));
		close(fd);
	}
	close(p[0]);
	close(p[1]);
}

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void broken(void)
{
	int p[2];

	pipe(p);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	SHOW("write with no reader (SIGPIPE ignored)", write(p[1], "x", 1));
	signal(SIGPIPE, on_sigpipe);
	SHOW("write with no reader (SIGPIPE caught)", write(p[1], "x", 1));
	SHOW("SIGPIPEs caught", sigpipes);
	abi_show_poll("poll write end (reader gone)", p[1]);
	close(p[1]);
	signal(SIGPIPE, SIG_DFL);
}

int main(void)
{
	basics();
	flags();
	sizes();
	broken();
	return 0;
}
