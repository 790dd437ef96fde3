/* lseek(2) beyond the basics of files_io.c: every whence on a regular
 * file (the new position, EINVAL for a negative result or an unknown
 * whence, a SEEK_CUR overflow), what a position past the end means for
 * read and write (zeros in the gap), SEEK_DATA/SEEK_HOLE on an empty
 * file and at the end (ENXIO), O_APPEND writes moving the position,
 * ESPIPE on pipes, fifos and sockets (every whence), and EBADF for an
 * O_PATH or closed fd. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static void whences(int fd)
{
	SHOW("SEEK_SET 4", lseek(fd, 4, SEEK_SET));
	SHOW("SEEK_CUR +3", lseek(fd, 3, SEEK_CUR));
	SHOW("SEEK_CUR -2", lseek(fd, -2, SEEK_CUR));
	SHOW("SEEK_CUR 0 reports the position", lseek(fd, 0, SEEK_CUR));
	SHOW("SEEK_END 0", lseek(fd, 0, SEEK_END));
	SHOW("SEEK_END -4", lseek(fd, -4, SEEK_END));
	SHOW("SEEK_END +6", lseek(fd, 6, SEEK_END));
	SHOW("SEEK_END before the start", lseek(fd, -11, SEEK_END));
	SHOW("position kept after the failure", lseek(fd, 0, SEEK_CUR));
	SHOW("SEEK_CUR before the start", lseek(fd, -100, SEEK_CUR));
	SHOW("SEEK_SET negative", lseek(fd, -1, SEEK_SET));
	SHOW("SEEK_CUR overflowing", lseek(fd, LLONG_MAX, SEEK_CUR));
	SHOW("whence 5", lseek(fd, 0, 5));
	SHOW("whence -1", lseek(fd, 0, -1));
	SHOW("whence 99", lseek(fd, 0, 99));
	SHOW("position kept", lseek(fd, 0, SEEK_CUR));
}

static void past_the_end(int fd)
{
	char buf[16];
	struct stat st;
	int zeros = 0;

	SHOW("seek to 100", lseek(fd, 100, SEEK_SET));
	SHOW("read there", read(fd, buf, sizeof(buf)));
	fstat(fd, &st);
	SHOW("size unchanged by seeking", (long)st.st_size);
	SHOW("write there", write(fd, "end", 3));
	fstat(fd, &st);
	SHOW("size after the write", (long)st.st_size);
	SHOW("position after the write", lseek(fd, 0, SEEK_CUR));
	lseek(fd, 10, SEEK_SET);
	SHOW("read the gap", read(fd, buf, sizeof(buf)));
	for (int i = 0; i < 16; i++)
		zeros += buf[i] == 0;
	SHOW("zero bytes in it", zeros);
	SHOW("position after reading", lseek(fd, 0, SEEK_CUR));
}

static void data_and_holes(void)
{
	int fd = open("empty", O_RDWR | O_CREAT | O_TRUNC, 0644);

	SHOW("SEEK_DATA on an empty file", lseek(fd, 0, SEEK_DATA));
	SHOW("SEEK_HOLE on an empty file", lseek(fd, 0, SEEK_HOLE));
	write(fd, "abcdef", 6);
	SHOW("SEEK_DATA 2", lseek(fd, 2, SEEK_DATA));
	SHOW("SEEK_HOLE 2 (the end)", lseek(fd, 2, SEEK_HOLE));
	SHOW("SEEK_DATA at the size", lseek(fd, 6, SEEK_DATA));
	SHOW("SEEK_HOLE at the size", lseek(fd, 6, SEEK_HOLE));
	SHOW("SEEK_DATA past the size", lseek(fd, 7, SEEK_DATA));
	SHOW("SEEK_HOLE past the size", lseek(fd, 7, SEEK_HOLE));
	SHOW("SEEK_HOLE negative", lseek(fd, -1, SEEK_HOLE));
	SHOW("position after them", lseek(fd, 0, SEEK_CUR));
	close(fd);
}

static void appending(void)
{
	int fd = open("app", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);

	write(fd, "12345", 5);
	SHOW("seek back in an O_APPEND file", lseek(fd, 1, SEEK_SET));
	SHOW("write", write(fd, "ab", 2));
	SHOW("position after the O_APPEND write", lseek(fd, 0, SEEK_CUR));
	SHOW("size", lseek(fd, 0, SEEK_END));
	close(fd);
}

static void not_seekable(void)
{
	int p[2], s[2], rd, wr;
	static const int whence[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA,
				      SEEK_HOLE, 77 };
	char label[64];

	pipe(p);
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	mkfifo("fifo", 0644);
	rd = open("fifo", O_RDONLY | O_NONBLOCK);
	wr = open("fifo", O_WRONLY);
	for (unsigned i = 0; i < sizeof(whence) / sizeof(whence[0]); i++) {
		snprintf(label, sizeof(label), "pipe whence %d", whence[i]);
		SHOW(label, lseek(p[0], 0, whence[i]));
	}
	SHOW("pipe write end", lseek(p[1], 0, SEEK_CUR));
	SHOW("socket", lseek(s[0], 0, SEEK_SET));
	SHOW("fifo reader", lseek(rd, 0, SEEK_SET));
	SHOW("fifo writer", lseek(wr, 5, SEEK_CUR));
	close(p[0]);
	close(p[1]);
	close(s[0]);
	close(s[1]);
	close(rd);
	close(wr);
}

static void bad_fds(void)
{
	int fd = open("f", O_PATH);

	SHOW("O_PATH fd", lseek(fd, 0, SEEK_SET));
	close(fd);
	SHOW("closed fd", lseek(fd, 0, SEEK_SET));
	SHOW("negative fd", lseek(-1, 0, SEEK_SET));
	fd = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("a directory to 0", lseek(fd, 0, SEEK_SET));
	SHOW("a directory negative", lseek(fd, -1, SEEK_SET));
	close(fd);
}

int main(void)
{
	int fd;

	abi_scratch_enter();
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "0123456789", 10);
	whences(fd);
	past_the_end(fd);
	close(fd);
	data_and_holes();
	appending();
	not_seekable();
	bad_fds();
	abi_scratch_leave();
	return 0;
}
