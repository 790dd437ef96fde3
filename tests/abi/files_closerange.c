/* close_range(2) beyond files_fd.c: CLOSE_RANGE_CLOEXEC marks the range
 * so that an exec closes it (the program re-runs itself and lists its
 * open fds), CLOSE_RANGE_UNSHARE gives a process that shares the table
 * (clone CLONE_FILES) its own copy first (the other's fds stay open) and
 * without it the close is seen by both, as it is from a thread (Keel's
 * threads always share their process's table), a range of one fd, ranges over gaps and
 * past the last open fd, both flags at once, and the table of a forked
 * child being its own. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_close_range.h"

/* Prints which of fds 3..79 are open, as ranges. */
static void show_open(const char *label)
{
	int from = -1;

	printf("%s:", label);
	for (int fd = 3; fd <= 80; fd++) {
		int open_ = fd < 80 && fcntl(fd, F_GETFD) >= 0;

		if (open_ && from < 0)
			from = fd;
		if (!open_ && from >= 0) {
			if (from == fd - 1)
				printf(" %d", from);
			else
				printf(" %d-%d", from, fd - 1);
			from = -1;
		}
	}
	printf("\n");
}

static void fill(int fd, int from, int to)
{
	for (int i = from; i <= to; i++)
		dup2(fd, i);
}

static void ranges(int fd)
{
	fill(fd, 10, 20);
	fill(fd, 30, 32);
	show_open("opened");
	SHOW("close_range 15..15", abi_close_range(15, 15, 0));
	SHOW("close_range 19..31 over a gap", abi_close_range(19, 31, 0));
	show_open("after them");
	SHOW("close_range 32..1000", abi_close_range(32, 1000, 0));
	SHOW("close_range 500..600 of nothing", abi_close_range(500, 600, 0));
	SHOW("CLOEXEC|UNSHARE 10..12", abi_close_range(10, 12, CLOSE_RANGE_CLOEXEC | CLOSE_RANGE_UNSHARE));
	SHOW("10 FD_CLOEXEC", fcntl(10, F_GETFD));
	SHOW("13 FD_CLOEXEC", fcntl(13, F_GETFD));
	show_open("now");
}

static void execs(int fd, const char *self)
{
	pid_t pid;
	int status;

	fill(fd, 40, 45);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { (char *)"files_closerange", (char *)"list", NULL };

		abi_close_range(42, 44, CLOSE_RANGE_CLOEXEC);
		fcntl(45, F_SETFD, FD_CLOEXEC);
		execv(self, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	SHOW("the exec'd program's status", WEXITSTATUS(status));
	show_open("the parent keeps");
	abi_close_range(40, 45, 0);
}

static int shared_fd;
static long thread_ret;

static void *closer(void *arg)
{
	(void)arg;
	thread_ret = abi_close_range(shared_fd, shared_fd, 0);
	return NULL;
}

/* A thread shares the table: its close is the process's. */
static void threads(int fd)
{
	pthread_t t;

	shared_fd = 60;
	dup2(fd, 60);
	pthread_create(&t, NULL, closer, NULL);
	pthread_join(t, NULL);
	SHOW("a thread's close_range", thread_ret);
	SHOW("the fd is closed here too", fcntl(60, F_GETFD));
}

static int clone_child(void *arg)
{
	_exit(abi_close_range(shared_fd, shared_fd,
			   arg ? CLOSE_RANGE_UNSHARE : 0) ? 1 : 0);
}

/* A process made with CLONE_FILES (no CLONE_VM) shares the table until
 * close_range UNSHARE gives it its own copy. */
static void clone_files(int fd)
{
	static char stack[65536] __attribute__((aligned(16)));
	int status;
	pid_t pid;

	shared_fd = 61;
	dup2(fd, 61);
	pid = clone(clone_child, stack + sizeof(stack), CLONE_FILES | SIGCHLD,
		    (void *)1);
	waitpid(pid, &status, 0);
	SHOW("a CLONE_FILES child's close_range UNSHARE", WEXITSTATUS(status));
	SHOW("the fd is still open here", fcntl(61, F_GETFD));
	pid = clone(clone_child, stack + sizeof(stack), CLONE_FILES | SIGCHLD,
		    NULL);
	waitpid(pid, &status, 0);
	SHOW("a CLONE_FILES child's close_range", WEXITSTATUS(status));
	SHOW("the fd is closed here too", fcntl(61, F_GETFD));
}

static void forked(int fd)
{
	pid_t pid;

	dup2(fd, 70);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		abi_close_range(70, 70, 0);
		_exit(fcntl(70, F_GETFD) < 0 ? 0 : 1);
	}
	waitpid(pid, NULL, 0);
	SHOW("the child's close leaves the parent's", fcntl(70, F_GETFD));
	close(70);
}

int main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;
	int fd;

	if (argc > 1 && !strcmp(argv[1], "list")) {
		show_open("after exec");
		return 0;
	}
	/* Only 0, 1 and 2 are open (natively as on Keel). */
	abi_close_range(3, ~0u, 0);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	abi_scratch_enter();
	fd = open("f", O_RDWR | O_CREAT, 0644);
	ranges(fd);
	abi_close_range(10, 20, 0);
	execs(fd, self);
	threads(fd);
	clone_files(fd);
	forked(fd);
	close(fd);
	abi_scratch_leave();
	return 0;
}
