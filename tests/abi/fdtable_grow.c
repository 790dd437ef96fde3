/* File descriptor tables past 1024: the table grows on demand up to the
 * soft RLIMIT_NOFILE (dup2, F_DUPFD, open after the limit was raised),
 * FDSize in status follows Linux's sizes (powers of two), EBADF for dup2
 * onto an fd at or past the soft limit, EINVAL for F_DUPFD from there,
 * EMFILE once every fd below it is taken; high fds work with read, poll
 * (POLLNVAL for a closed one), select with a set larger than FD_SETSIZE,
 * /proc/self/fd, fork and close_range. The limits are set first (soft
 * 1024, hard 4096, Keel's defaults), so that the host's own do not
 * change the output. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_procfs.h"

static char buf[8192];

static int set_nofile(rlim_t soft, rlim_t hard)
{
	struct rlimit r = { soft, hard };

	return setrlimit(RLIMIT_NOFILE, &r);
}

/* The FDSize line of /proc/self/status, -1 if missing. */
static long fdsize(void)
{
	const char *p;

	if (abi_slurp("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nFDSize:");
	return p ? strtol(p + 8, NULL, 10) : -1;
}

static void limits(void)
{
	int status;
	pid_t pid;

	SHOW("setrlimit 1024/4096", set_nofile(1024, 4096));
	SHOW("dup2 onto 1023", dup2(0, 1023));
	SHOW("FDSize with fd 1023", fdsize());
	SHOW("dup2 onto 1024", dup2(0, 1024));
	SHOW("F_DUPFD from 1024", fcntl(0, F_DUPFD, 1024));
	SHOW("F_DUPFD from 1000", fcntl(0, F_DUPFD, 1000));
	SHOW("F_DUPFD from 1000 again", fcntl(0, F_DUPFD, 1000));
	SHOW("dup2 onto 1048576", dup2(0, 1048576));
	SHOW("setrlimit soft past hard", set_nofile(8192, 4096));
	SHOW("setrlimit 4096/4096", set_nofile(4096, 4096));
	SHOW("dup2 onto 4095", dup2(0, 4095));
	SHOW("FDSize with fd 4095", fdsize());
	SHOW("dup2 onto 4096", dup2(0, 4096));
	SHOW("F_DUPFD from 4096", fcntl(0, F_DUPFD, 4096));
	SHOW("F_DUPFD_CLOEXEC from 2000", fcntl(0, F_DUPFD_CLOEXEC, 2000));
	SHOW("F_GETFD of 2000", fcntl(2000, F_GETFD));
	SHOW("F_GETFD of 2001", fcntl(2001, F_GETFD));
	SHOW("close 4095", close(4095));
	SHOW("close 4095 again", close(4095));
	SHOW("close 5000", close(5000));
	SHOW("close_range 3..", syscall(SYS_close_range, 3, ~0u, 0));
	SHOW("FDSize after closing (never shrinks)", fdsize());
	SHOW("dup2 onto 200", dup2(0, 200));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* a fork's table is sized by the fds open: 200 needs 256 */
		_exit(fdsize() == 256 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	abi_yes("a forked child's FDSize is 256",
		WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(200);
}

/* Opens /dev/null until EMFILE: the count, and the last fd. */
static void fill(void)
{
	int n = 0, fd, last = -1;

	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		last = fd;
		n++;
	}
	printf("opened: %d (%s), last fd %d\n", n, abi_errname(errno), last);
	SHOW("dup when full", dup(0));
	SHOW("close 3000", close(3000));
	SHOW("open fills 3000", open("/dev/null", O_RDONLY));
	SHOW("close_range 3..", syscall(SYS_close_range, 3, ~0u, 0));
	SHOW("open after closing all", open("/dev/null", O_RDONLY));
	close(3);
}

static void high_io(void)
{
	unsigned long bits[4096 / (8 * sizeof(unsigned long))] = { 0 };
	struct pollfd pfd[2] = { { 4000, POLLIN, 0 }, { 4001, POLLIN, 0 } };
	struct timeval tv = { 0, 0 };
	int p[2], status;
	char c = 0, link[64] = "";
	pid_t pid;

	pipe(p);
	SHOW("dup2 pipe read end onto 4000", dup2(p[0], 4000));
	SHOW("dup2 pipe write end onto 3999", dup2(p[1], 3999));
	close(p[0]);
	close(p[1]);
	SHOW("write through 3999", write(3999, "h", 1));
	SHOW("poll 4000 and 4001", poll(pfd, 2, 0));
	printf("revents: %#x %#x\n", pfd[0].revents, pfd[1].revents);
	bits[4000 / (8 * sizeof(long))] |= 1ul << (4000 % (8 * sizeof(long)));
	SHOW("select on fd 4000", select(4001, (fd_set *)bits, NULL, NULL, &tv));
	abi_yes("select leaves fd 4000 set",
		(bits[4000 / (8 * sizeof(long))] &
		 (1ul << (4000 % (8 * sizeof(long))))) != 0);
	readlink("/proc/self/fd/4000", link, sizeof(link) - 1);
	abi_yes("/proc/self/fd/4000 is the pipe", !strncmp(link, "pipe:[", 6));
	pid = fork();
	if (pid == 0)
		_exit(read(4000, &c, 1) == 1 && c == 'h' ? 0 : 1);
	waitpid(pid, &status, 0);
	abi_yes("a child reads fd 4000",
		WIFEXITED(status) && WEXITSTATUS(status) == 0);
	SHOW("close_range 3998..3999", syscall(SYS_close_range, 3998, 3999, 0));
	SHOW("read 4000 after the writer closed", read(4000, &c, 1));
	close(4000);
}

int main(void)
{
	/* Only 0, 1 and 2 are open (natively as on Keel). */
	syscall(SYS_close_range, 3, ~0u, 0);
	limits();
	fill();
	high_io();
	return 0;
}
