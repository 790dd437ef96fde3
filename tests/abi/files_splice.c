/* sendfile(2), copy_file_range(2), splice(2) and tee(2) between files
 * and pipes of the scratch directory (a tmpfs on Keel, whatever /tmp is
 * natively: every call here works the same on both): what moves, which
 * offsets and file positions change, and the errors (EBADF, EINVAL,
 * ESPIPE, EISDIR, EAGAIN, EFAULT) in Linux's order. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static void show_file(const char *label, const char *path)
{
	char buf[128] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	printf("%s: [%s] %zd\n", label, n > 0 ? buf : "", n);
	close(fd);
}

static void show_pipe(const char *label, int fd)
{
	char buf[128] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	printf("%s: [%s] %zd\n", label, n > 0 ? buf : "", n);
}

static long pos(int fd)
{
	return (long)lseek(fd, 0, SEEK_CUR);
}

static void sendfile_cases(void)
{
	int in, out, p[2];
	off_t off = 2;

	abi_write_file("src", "0123456789");
	in = open("src", O_RDONLY);
	out = open("dst", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	SHOW("sendfile 4 at pos", sendfile(out, in, NULL, 4));
	printf("in pos %ld out pos %ld\n", pos(in), pos(out));
	SHOW("sendfile 3 at offset 2", sendfile(out, in, &off, 3));
	printf("offset %ld in pos %ld out pos %ld\n", (long)off, pos(in),
	       pos(out));
	SHOW("sendfile the rest", sendfile(out, in, NULL, 100));
	SHOW("sendfile at the end", sendfile(out, in, NULL, 100));
	SHOW("sendfile 0", sendfile(out, in, NULL, 0));
	show_file("dst", "dst");
	if (pipe(p))
		return;
	lseek(in, 0, SEEK_SET);
	SHOW("sendfile to a pipe", sendfile(p[1], in, NULL, 5));
	show_pipe("pipe", p[0]);
	SHOW("bad in fd", sendfile(out, 99, NULL, 1));
	SHOW("bad out fd", sendfile(99, in, NULL, 1));
	SHOW("in not readable", sendfile(out, out, NULL, 1));
	SHOW("out not writable", sendfile(in, in, NULL, 1));
	off = -1;
	SHOW("negative offset", sendfile(out, in, &off, 1));
	SHOW("bad offset pointer", sendfile(out, in, (off_t *)8, 1));
	close(out);
	out = open("dst", O_WRONLY | O_APPEND);
	SHOW("out O_APPEND", sendfile(out, in, NULL, 1));
	close(out);
	close(in);
	close(p[0]);
	close(p[1]);
}

static void copy_range_cases(void)
{
	int in = open("src", O_RDONLY);
	int out = open("copy", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int dir = open(".", O_RDONLY | O_DIRECTORY), p[2];
	loff_t a = 3, b = 1;

	SHOW("copy 4", copy_file_range(in, NULL, out, NULL, 4, 0));
	printf("in pos %ld out pos %ld\n", pos(in), pos(out));
	SHOW("copy 2 with offsets", copy_file_range(in, &a, out, &b, 2, 0));
	printf("offsets %ld %ld in pos %ld out pos %ld\n", (long)a, (long)b,
	       pos(in), pos(out));
	show_file("copy", "copy");
	a = 100;
	SHOW("past the end", copy_file_range(in, &a, out, NULL, 5, 0));
	SHOW("len 0", copy_file_range(in, NULL, out, NULL, 0, 0));
	a = 0;
	b = 2;
	SHOW("one file, overlapping", copy_file_range(out, &a, out, &b, 3, 0));
	b = 10;
	SHOW("one file, apart", copy_file_range(out, &a, out, &b, 3, 0));
	show_file("copy", "copy");
	SHOW("flags", copy_file_range(in, NULL, out, NULL, 1, 1));
	SHOW("a directory", copy_file_range(dir, NULL, out, NULL, 1, 0));
	SHOW("in not readable", copy_file_range(out, NULL, in, NULL, 1, 0));
	SHOW("bad fd", copy_file_range(99, NULL, out, NULL, 1, 0));
	if (pipe(p) == 0) {
		SHOW("to a pipe", copy_file_range(in, NULL, p[1], NULL, 1, 0));
		close(p[0]);
		close(p[1]);
	}
	close(out);
	out = open("copy", O_WRONLY | O_APPEND);
	SHOW("out O_APPEND", copy_file_range(in, NULL, out, NULL, 1, 0));
	close(out);
	close(dir);
	close(in);
}

static void splice_cases(void)
{
	int in = open("src", O_RDONLY), out, p[2], q[2];
	loff_t off = 6;

	if (pipe(p) || pipe(q))
		return;
	SHOW("file to pipe at offset", splice(in, &off, p[1], NULL, 3, 0));
	printf("offset %ld in pos %ld\n", (long)off, pos(in));
	SHOW("file to pipe", splice(in, NULL, p[1], NULL, 2, 0));
	printf("in pos %ld\n", pos(in));
	SHOW("pipe to pipe", splice(p[0], NULL, q[1], NULL, 2, 0));
	out = open("spliced", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	SHOW("pipe to file", splice(p[0], NULL, out, NULL, 100, 0));
	SHOW("pipe to file", splice(q[0], NULL, out, NULL, 100, 0));
	show_file("spliced", "spliced");
	SHOW("empty pipe, nonblocking",
	     splice(p[0], NULL, out, NULL, 1, SPLICE_F_NONBLOCK));
	SHOW("len 0", splice(in, NULL, p[1], NULL, 0, 0));
	SHOW("no pipe", splice(in, NULL, out, NULL, 1, 0));
	off = 0;
	SHOW("offset on the pipe", splice(p[0], &off, out, NULL, 1, 0));
	SHOW("one pipe both ends", splice(p[0], NULL, p[1], NULL, 1, 0));
	SHOW("bad flags", splice(in, NULL, p[1], NULL, 1, 0x100));
	SHOW("bad fd", splice(99, NULL, p[1], NULL, 1, 0));
	SHOW("in is a write end", splice(p[1], NULL, out, NULL, 1, 0));
	off = -1;
	SHOW("negative offset", splice(in, &off, p[1], NULL, 1, 0));
	close(out);
	out = open("spliced", O_WRONLY | O_APPEND);
	if (write(p[1], "z", 1) != 1)
		return;
	SHOW("out O_APPEND", splice(p[0], NULL, out, NULL, 1, 0));
	show_pipe("the byte is still there", p[0]);
	close(p[1]);
	SHOW("no writer left", splice(p[0], NULL, out, NULL, 1, 0));
	close(out);
	close(in);
	close(p[0]);
	close(q[0]);
	close(q[1]);
}

static void tee_cases(void)
{
	int p[2], q[2], in = open("src", O_RDONLY);

	if (pipe(p) || pipe(q) || write(p[1], "teedata", 7) != 7)
		return;
	SHOW("tee 3", tee(p[0], q[1], 3, 0));
	show_pipe("copy", q[0]);
	show_pipe("original kept", p[0]);
	SHOW("empty, nonblocking", tee(p[0], q[1], 3, SPLICE_F_NONBLOCK));
	SHOW("not a pipe", tee(in, q[1], 3, 0));
	SHOW("one pipe", tee(p[0], p[1], 3, 0));
	SHOW("bad flags", tee(p[0], q[1], 3, 0x100));
	SHOW("len 0", tee(p[0], q[1], 0, 0));
	close(p[1]);
	SHOW("no writer left", tee(p[0], q[1], 3, 0));
	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(in);
}

int main(void)
{
	abi_scratch_enter();
	sendfile_cases();
	copy_range_cases();
	splice_cases();
	tee_cases();
	abi_scratch_leave();
	return 0;
}
