/* truncate(2) and ftruncate(2) beyond files_attr.c: shrinking then
 * growing reads zeros where the old bytes were (within one page and past
 * it), the position is left alone, O_APPEND and write-only fds may
 * truncate, a symlink is followed, the time stamps move (compared with
 * ones set in the past), RLIMIT_FSIZE (EFBIG and SIGXFSZ), and the
 * errors: EINVAL for pipes, sockets and read-only fds, EBADF for O_PATH,
 * ENOTDIR for a trailing slash, EACCES for a user without write
 * permission (in a child). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

static long size_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_size;
}

/* Prints how many of the n bytes at off read as zero. */
static void show_zeros(const char *label, int fd, off_t off, int n)
{
	char buf[64];
	int zeros = 0;
	ssize_t got = pread(fd, buf, n, off);

	for (ssize_t i = 0; i < got; i++)
		zeros += buf[i] == 0;
	printf("%s: %zd read, %d zero\n", label, got, zeros);
}

static void shrink_and_grow(void)
{
	char big[9000];
	int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);

	memset(big, 'x', sizeof(big));
	write(fd, big, sizeof(big));
	SHOW("position before", lseek(fd, 0, SEEK_CUR));
	SHOW("ftruncate to 10", ftruncate(fd, 10));
	SHOW("position kept", lseek(fd, 0, SEEK_CUR));
	SHOW("ftruncate to 6000", ftruncate(fd, 6000));
	show_zeros("old bytes in the first page", fd, 10, 40);
	show_zeros("old bytes in the second page", fd, 5000, 40);
	show_zeros("bytes before the cut", fd, 0, 10);
	SHOW("read at the old position", read(fd, big, 10));
	SHOW("ftruncate to 0", ftruncate(fd, 0));
	SHOW("read at 0", pread(fd, big, 10, 0));
	SHOW("ftruncate to the same size", ftruncate(fd, 0));
	SHOW("size", size_of("f"));
	close(fd);
}

static void which_fds(void)
{
	int fd;

	abi_write_file("g", "0123456789");
	fd = open("g", O_WRONLY);
	SHOW("ftruncate a write-only fd", ftruncate(fd, 8));
	close(fd);
	fd = open("g", O_RDWR | O_APPEND);
	SHOW("ftruncate an O_APPEND fd", ftruncate(fd, 5));
	SHOW("write appends at the new end", (write(fd, "ab", 2), size_of("g")));
	close(fd);
	symlink("g", "lg");
	SHOW("truncate through a symlink", truncate("lg", 3));
	SHOW("the target's size", size_of("g"));
	fd = open("g", O_RDONLY);
	SHOW("ftruncate a read-only fd", ftruncate(fd, 1));
	close(fd);
	fd = open("g", O_PATH);
	SHOW("ftruncate an O_PATH fd", ftruncate(fd, 1));
	close(fd);
	SHOW("truncate with a trailing slash", truncate("g/", 1));
	SHOW("truncate through a file", truncate("g/x", 1));
	SHOW("truncate empty path", truncate("", 1));
	SHOW("size unchanged", size_of("g"));
}

static void others(void)
{
	int p[2], s[2];

	pipe(p);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	SHOW("ftruncate a pipe", ftruncate(p[1], 0));
	SHOW("ftruncate a socket", ftruncate(s[0], 0));
	SHOW("ftruncate negative fd", ftruncate(-1, 0));
	close(p[0]);
	close(p[1]);
	close(s[0]);
	close(s[1]);
	mkfifo("fifo", 0644);
	SHOW("truncate a fifo", truncate("fifo", 0));
	SHOW("truncate /dev/null", truncate("/dev/null", 0));
}

static void times(void)
{
	struct timespec past[2] = { { 1000, 0 }, { 1000, 0 } };
	struct stat st;

	abi_write_file("t", "0123456789");
	utimensat(AT_FDCWD, "t", past, 0);
	SHOW("truncate", truncate("t", 4));
	stat("t", &st);
	abi_yes("mtime moved", st.st_mtim.tv_sec > 1000);
	abi_yes("ctime moved", st.st_ctim.tv_sec > 1000);
	SHOW("atime kept", (long)st.st_atim.tv_sec);
}

static volatile sig_atomic_t xfsz_seen;

static void xfsz(int sig)
{
	(void)sig;
	xfsz_seen++;
}

/* The limit is set only around the calls (stdout may be a file past
 * it), their results are printed after. */
static void fsize_limit(void)
{
	struct rlimit r = { 100, RLIM_INFINITY }, none = { RLIM_INFINITY,
							   RLIM_INFINITY };
	long at, past, shrink, grow_fd;
	int e_past, e_grow, fd;

	signal(SIGXFSZ, xfsz);
	abi_write_file("big", "x");
	fd = open("big", O_RDWR);
	setrlimit(RLIMIT_FSIZE, &r);
	at = truncate("big", 100);
	past = truncate("big", 101);
	e_past = errno;
	grow_fd = ftruncate(fd, 4096);
	e_grow = errno;
	shrink = truncate("big", 50);
	setrlimit(RLIMIT_FSIZE, &none);
	close(fd);
	SHOW("truncate to the limit", at);
	errno = e_past;
	abi_show("truncate past it", past);
	errno = e_grow;
	abi_show("ftruncate past it", grow_fd);
	SHOW("SIGXFSZ signals", (long)xfsz_seen);
	SHOW("shrinking is allowed", shrink);
	SHOW("size", size_of("big"));
}

static void as_user(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("truncate without write permission", truncate("ro", 1));
	SHOW("truncate with it", truncate("rw", 1));
	SHOW("truncate in an unsearchable directory", truncate("closed/f", 1));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	shrink_and_grow();
	which_fds();
	others();
	times();
	abi_in_child("fsize", fsize_limit);
	abi_write_file("ro", "0123");
	abi_write_file("rw", "0123");
	chmod("rw", 0666);
	mkdir("closed", 0700);
	abi_write_file("closed/f", "0123");
	chmod("closed/f", 0666);
	chmod(".", 0755);
	abi_in_child("user", as_user);
	SHOW("rw size", size_of("rw"));
	SHOW("ro size", size_of("ro"));
	abi_scratch_leave();
	return 0;
}
