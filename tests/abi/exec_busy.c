/* A running program's file and the files mapped by a running process,
 * as Linux 6.x: while a copy of this program runs, opening it for
 * writing (O_WRONLY, O_RDWR, O_TRUNC) and truncate(2) are ETXTBSY, but
 * reading, a hard link, and renaming another file over its name are
 * fine, and the denial ends with the process; execve (and execveat of an
 * fd) of a file open for writing is ETXTBSY and works once it is closed.
 * A mapped library file (MAP_PRIVATE, PROT_EXEC, as ld.so maps one) may
 * be written (no MAP_DENYWRITE since Linux 5.15): the mapping sees the
 * write on a page it never wrote; a file renamed over it leaves the
 * mapping with the old file's bytes. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "abi.h"
#include "abi_files.h"

#define PG 4096ul

/* Prints `label: ok` (and closes fd) or `label: -1 ENAME`. */
static void show_fd(const char *label, int fd)
{
	if (fd < 0) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	printf("%s: ok\n", label);
	close(fd);
}

/* The running copy: says it runs on fd ready, then waits for EOF on
 * fd go. */
static int run_waiting(const char *ready, const char *go)
{
	char c = 'r';

	if (write(atoi(ready), &c, 1) != 1)
		return 1;
	while (read(atoi(go), &c, 1) > 0)
		;
	return 0;
}

/* Starts ./busy waiting (pid in *pid); returns the fd whose close lets
 * it end, or -1. */
static int start_busy(pid_t *pid)
{
	int ready[2], go[2];
	char r[16], g[16], c;

	if (pipe(ready) || pipe(go))
		return -1;
	fflush(stdout);
	*pid = fork();
	if (*pid == 0) {
		close(ready[0]);
		close(go[1]);
		snprintf(r, sizeof(r), "%d", ready[1]);
		snprintf(g, sizeof(g), "%d", go[0]);
		execl("./busy", "busy", "--wait", r, g, (char *)NULL);
		_exit(127);
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) != 1)
		printf("the copy did not start\n");
	close(ready[0]);
	return go[1];
}

static void running_program(void)
{
	pid_t pid = -1;
	int go, st = -1;

	SHOW("copy", abi_copy_file("/proc/self/exe", "busy"));
	SHOW("hard link", link("busy", "busy-link"));
	go = start_busy(&pid);
	show_fd("open O_WRONLY while it runs", open("busy", O_WRONLY));
	show_fd("open O_RDWR while it runs", open("busy", O_RDWR));
	show_fd("open O_RDONLY|O_TRUNC while it runs",
		open("busy", O_RDONLY | O_TRUNC));
	show_fd("open O_WRONLY by the other link",
		open("busy-link", O_WRONLY));
	SHOW("truncate while it runs", truncate("busy", 0));
	show_fd("open O_RDONLY while it runs", open("busy", O_RDONLY));
	SHOW("new file", abi_write_file("other", "other\n"));
	SHOW("rename over its name", rename("other", "busy"));
	show_fd("open the new file O_WRONLY", open("busy", O_WRONLY));
	close(go);
	waitpid(pid, &st, 0);
	abi_yes("the copy exited 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	show_fd("open O_WRONLY after it exited", open("busy-link", O_WRONLY));
}

/* execve of "busy-link" in a child (execveat of fd with AT_EMPTY_PATH
 * if fd >= 0); prints how that child ended. */
static void exec_in_child(const char *label, int fd)
{
	char *argv[] = { "busy", "--exit", NULL }, *envp[] = { NULL };
	int st = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (fd >= 0)
			syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		else
			execve("./busy-link", argv, envp);
		_exit(100 + errno);
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) > 100)
		printf("%s: -1 %s\n", label,
		       abi_errname(WEXITSTATUS(st) - 100));
	else
		printf("%s: exit %d\n", label,
		       WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void exec_open_for_writing(void)
{
	int wr = open("busy-link", O_WRONLY), rw;

	exec_in_child("execve while open O_WRONLY", -1);
	close(wr);
	exec_in_child("execve after close", -1);
	rw = open("busy-link", O_RDWR);
	exec_in_child("execveat AT_EMPTY_PATH of an O_RDWR fd", rw);
	close(rw);
	rw = open("busy-link", O_RDONLY);
	exec_in_child("execveat AT_EMPTY_PATH of an O_RDONLY fd", rw);
	close(rw);
}

static int fill(const char *path, unsigned char byte, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	unsigned char buf[PG];
	int ok = fd >= 0;

	memset(buf, byte, sizeof(buf));
	for (size_t done = 0; ok && done < len; done += PG)
		ok = write(fd, buf, PG) == (ssize_t)PG;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static void mapped_library(void)
{
	unsigned char b = 0xbb, *p;
	int fd;

	SHOW("library file", fill("lib.so", 0xaa, 2 * PG));
	fd = open("lib.so", O_RDONLY);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	abi_yes("mapped", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	abi_yes("maps the file", p[0] == 0xaa && p[2 * PG - 1] == 0xaa);
	fd = open("lib.so", O_WRONLY);
	show_fd("open the mapped file O_WRONLY", fd >= 0 ? dup(fd) : -1);
	SHOW("pwrite into it", pwrite(fd, &b, 1, PG));
	close(fd);
	abi_yes("the mapping sees the write",
		p[PG] == 0xbb && p[PG + 1] == 0xaa && p[0] == 0xaa);
	SHOW("new library", fill("lib.new", 0xcc, 2 * PG));
	SHOW("rename it over the mapped one", rename("lib.new", "lib.so"));
	abi_yes("the mapping keeps the old file",
		p[0] == 0xaa && p[PG] == 0xbb);
	fd = open("lib.so", O_RDONLY);
	abi_yes("the name reads the new file",
		fd >= 0 && pread(fd, &b, 1, PG) == 1 && b == 0xcc);
	close(fd);
	SHOW("unlink it", unlink("lib.so"));
	abi_yes("the mapping still reads", p[2 * PG - 1] == 0xaa);
	SHOW("munmap", munmap(p, 2 * PG));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 7;
	if (argc > 3 && !strcmp(argv[1], "--wait"))
		return run_waiting(argv[2], argv[3]);
	abi_scratch_enter();
	running_program();
	exec_open_for_writing();
	mapped_library();
	abi_scratch_leave();
	return 0;
}
