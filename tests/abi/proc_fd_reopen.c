/* Opening /proc/self/fd/N and /dev/fd/N opens the file of descriptor N
 * again, as Linux's magic links: a pipe's read end (after its writer has
 * gone too: no wait for a partner) and write end join the same pipe, a
 * deleted file still reads, a directory's entries resolve below it; what
 * bash's process substitution needs. */
#define _GNU_SOURCE
#include <stdio.h>
#include "abi.h"
#include "abi_files.h"

static void reopen_pipe(void)
{
	char path[64], buf[16] = "";
	int fds[2], r, w;

	if (pipe(fds))
		return;
	SHOW("write", write(fds[1], "abc", 3));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fds[1]);
	w = open(path, O_WRONLY);
	SHOW("reopen the write end", w >= 0);
	SHOW("write through it", write(w, "de", 2));
	close(w);
	close(fds[1]); /* no writer left: the open below must not wait */
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	r = open(path, O_RDONLY);
	SHOW("reopen the read end", r >= 0);
	SHOW("read", read(r, buf, sizeof(buf) - 1));
	printf("got: %s\n", buf);
	SHOW("then end of file", read(r, buf, sizeof(buf)));
	close(r);
	close(fds[0]);
}

static void reopen_files(void)
{
	char path[64], buf[16] = "";
	int fd = open("gone", O_RDWR | O_CREAT, 0644), again, dir;

	if (fd < 0 || write(fd, "kept", 4) != 4 || mkdir("d", 0755) ||
	    close(open("d/inner", O_CREAT | O_WRONLY, 0644)))
		return;
	SHOW("unlink", unlink("gone"));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	again = open(path, O_RDONLY);
	SHOW("reopen a deleted file", again >= 0);
	SHOW("read it", read(again, buf, sizeof(buf) - 1));
	printf("got: %s\n", buf);
	close(again);
	close(fd);
	dir = open("d", O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "/proc/self/fd/%d/inner", dir);
	SHOW("a name below a directory fd", access(path, F_OK));
	snprintf(path, sizeof(path), "/proc/self/fd/%d/missing", dir);
	SHOW("a missing name below it", access(path, F_OK));
	close(dir);
	SHOW("a closed descriptor", open("/proc/self/fd/99", O_RDONLY));
}

int main(void)
{
	abi_scratch_enter();
	reopen_pipe();
	reopen_files();
	abi_scratch_leave();
	return 0;
}
