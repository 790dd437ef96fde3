/* /dev/tty names the caller's controlling terminal: a process that left
 * its session (setsid) has none, so opening /dev/tty is ENXIO, in every
 * access mode, while /dev/null still opens. The child of such a process
 * inherits the lack. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static void without_tty(const char *who)
{
	char label[64];
	int fd;

	snprintf(label, sizeof(label), "%s: open /dev/tty O_RDWR", who);
	SHOW(label, open("/dev/tty", O_RDWR));
	snprintf(label, sizeof(label), "%s: open /dev/tty O_RDONLY", who);
	SHOW(label, open("/dev/tty", O_RDONLY | O_NOCTTY));
	fd = open("/dev/null", O_RDWR);
	snprintf(label, sizeof(label), "%s: /dev/null opens", who);
	abi_yes(label, fd >= 0);
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pid_t grandchild;

		abi_yes("setsid", setsid() == getpid());
		without_tty("session leader");
		fflush(stdout);
		grandchild = fork();
		if (grandchild == 0) {
			without_tty("its child");
			fflush(stdout);
			_exit(0);
		}
		waitpid(grandchild, &status, 0);
		_exit(WEXITSTATUS(status));
	}
	waitpid(pid, &status, 0);
	printf("child status: %d\n", WEXITSTATUS(status));
	return 0;
}
