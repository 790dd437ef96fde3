/* The sync calls on every kind of descriptor (files_io.c has them on a
 * file): fsync and fdatasync work on files (read-only ones too) and
 * directories, and are EINVAL on pipes, fifos, sockets and event files;
 * syncfs works on any open file; sync_file_range's flags and ranges
 * (EINVAL for unknown flags, a negative offset or length, an end that
 * overflows; ESPIPE on a pipe; EBADF for a closed or O_PATH fd); and
 * what was written reads back after each. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef SYNC_FILE_RANGE_WAIT_BEFORE
#define SYNC_FILE_RANGE_WAIT_BEFORE 1
#define SYNC_FILE_RANGE_WRITE 2
#define SYNC_FILE_RANGE_WAIT_AFTER 4
#endif

static void on(const char *what, int fd)
{
	char label[80];

	snprintf(label, sizeof(label), "fsync %s", what);
	SHOW(label, fsync(fd));
	snprintf(label, sizeof(label), "fdatasync %s", what);
	SHOW(label, fdatasync(fd));
	snprintf(label, sizeof(label), "syncfs %s", what);
	SHOW(label, syncfs(fd));
}

static void kinds(void)
{
	int p[2], s[2], efd, fd, rd, wr;

	fd = open("f", O_RDONLY);
	on("a read-only file", fd);
	close(fd);
	fd = open("f", O_WRONLY | O_APPEND);
	on("an O_APPEND file", fd);
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	on("a directory", fd);
	close(fd);
	pipe(p);
	on("a pipe's read end", p[0]);
	on("a pipe's write end", p[1]);
	close(p[0]);
	close(p[1]);
	mkfifo("fifo", 0644);
	rd = open("fifo", O_RDONLY | O_NONBLOCK);
	wr = open("fifo", O_WRONLY);
	on("a fifo", wr);
	close(rd);
	close(wr);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	on("a socket", s[0]);
	close(s[0]);
	close(s[1]);
	efd = eventfd(0, 0);
	on("an eventfd", efd);
	close(efd);
	fd = open("/dev/zero", O_RDONLY);
	on("/dev/zero", fd);
	close(fd);
	fd = open("f", O_PATH);
	on("an O_PATH fd", fd);
	close(fd);
	on("a closed fd", fd);
}

static void ranges(void)
{
	int fd = open("f", O_RDWR), p[2];
	unsigned all = SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
		       SYNC_FILE_RANGE_WAIT_AFTER;
	char buf[8] = "";

	pwrite(fd, "synced", 6, 0);
	SHOW("sync_file_range all flags", sync_file_range(fd, 0, 6, all));
	SHOW("no flags", sync_file_range(fd, 0, 0, 0));
	SHOW("length 0 (to the end)", sync_file_range(fd, 3, 0, SYNC_FILE_RANGE_WRITE));
	SHOW("past the end", sync_file_range(fd, 1 << 20, 100, SYNC_FILE_RANGE_WRITE));
	SHOW("an unknown flag", sync_file_range(fd, 0, 6, 8));
	SHOW("a negative offset", sync_file_range(fd, -1, 6, 0));
	SHOW("a negative length", sync_file_range(fd, 0, -6, 0));
	SHOW("an end past LLONG_MAX", sync_file_range(fd, LLONG_MAX - 2, 6, 0));
	SHOW("data reads back", pread(fd, buf, 6, 0));
	printf("data: %s\n", buf);
	close(fd);
	fd = open("f", O_RDONLY);
	SHOW("a read-only fd", sync_file_range(fd, 0, 6, SYNC_FILE_RANGE_WRITE));
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("a directory", sync_file_range(fd, 0, 6, SYNC_FILE_RANGE_WRITE));
	close(fd);
	pipe(p);
	SHOW("a pipe", sync_file_range(p[0], 0, 6, SYNC_FILE_RANGE_WRITE));
	close(p[0]);
	close(p[1]);
	fd = open("f", O_PATH);
	SHOW("an O_PATH fd", sync_file_range(fd, 0, 6, SYNC_FILE_RANGE_WRITE));
	close(fd);
	SHOW("a closed fd", sync_file_range(fd, 0, 6, SYNC_FILE_RANGE_WRITE));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	abi_write_file("f", "0123456789");
	kinds();
	ranges();
	abi_scratch_leave();
	return 0;
}
