/* fork(2) and vfork(2): the child returns 0 and the parent its pid; the
 * child's parent is the caller; private memory is copied on write while
 * MAP_SHARED anonymous memory stays shared, before and after the fork;
 * open files (and their offsets) are shared; the exit status and a
 * killing signal reach the parent; a vfork parent sleeps until its child
 * exits, sharing its memory meanwhile. Children print nothing (they
 * report through their exit status and shared memory). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static int private_value = 1;
static volatile int vfork_value;

/* Waits for pid and prints how it ended. */
static void report(const char *label, pid_t pid)
{
	int status = 0;
	pid_t got = waitpid(pid, &status, 0);
	char l[96];

	snprintf(l, sizeof(l), "%s waited", label);
	abi_yes(l, got == pid);
	if (WIFEXITED(status))
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", label, WTERMSIG(status));
	else
		printf("%s: status 0x%x\n", label, status);
}

static void identity(void)
{
	pid_t me = getpid(), pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(getppid() == me && getpid() != me ? 0 : 1);
	abi_yes("fork returns a new pid", pid > 0 && pid != me);
	abi_yes("parent pid unchanged", getpid() == me);
	report("child sees its parent", pid);
}

static void memory(void)
{
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int *priv = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int *untouched = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	shared[0] = 10;
	priv[0] = 20;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int ok = shared[0] == 10 && priv[0] == 20 &&
			 private_value == 1;

		shared[0] = 11;
		priv[0] = 21;
		private_value = 2;
		untouched[1024] = 12; /* first touch in the child */
		_exit(ok ? 0 : 1);
	}
	report("child saw the parent's memory", pid);
	printf("MAP_SHARED after the child wrote: %d\n", shared[0]);
	printf("MAP_SHARED first touched by the child: %d\n",
	       untouched[1024]);
	printf("MAP_PRIVATE after the child wrote: %d\n", priv[0]);
	printf("data after the child wrote: %d\n", private_value);
}

static void files(void)
{
	int fd = open("/tmp/abi-fork-file", O_RDWR | O_CREAT | O_TRUNC,
		      0644);
	char buf[16] = { 0 };
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(write(fd, "child", 5) == 5 ? 0 : 1);
	report("child wrote to the inherited fd", pid);
	SHOW("shared offset after the child's write", lseek(fd, 0, SEEK_CUR));
	write(fd, "+parent", 7);
	pread(fd, buf, sizeof(buf) - 1, 0);
	printf("file: %s\n", buf);
	close(fd);
	unlink("/tmp/abi-fork-file");
}

static void endings(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(300); /* & 0xff */
	report("_exit(300)", pid);
	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		for (;;)
			pause();
	}
	report("kill(self, SIGTERM)", pid);
	pid = fork();
	if (pid == 0)
		abort();
	report("abort", pid);
}

static void vforks(void)
{
	pid_t pid;

	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		vfork_value = 42; /* the parent's memory: vfork shares it */
		_exit(3);
	}
	printf("vfork child's write seen: %d\n", vfork_value);
	report("vfork child", pid);
}

int main(void)
{
	identity();
	memory();
	files();
	endings();
	vforks();
	SHOW("no child left", wait(NULL));
	return 0;
}
