/* Isolation between users (issue 11, item 6): a process that dropped
 * from root to uid/gid 4242 cannot open root's 0600 file for reading or
 * writing (EACCES), cannot signal a root process (EPERM) but can signal
 * its own, and cannot get root back (setuid, seteuid, setresuid: EPERM),
 * while its ids stay what it set them to. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define SECRET "/tmp/abi-isolation-secret"
#define UID 4242

/* A root child that waits to be killed. */
static pid_t sleeper(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void unprivileged(pid_t root_pid)
{
	uid_t r, e, s;
	pid_t own;

	SHOW("setgroups", setgroups(0, NULL));
	SHOW("setresgid", setresgid(UID, UID, UID));
	SHOW("setresuid", setresuid(UID, UID, UID));
	SHOW("open root's 0600 file to read", open(SECRET, O_RDONLY));
	SHOW("open root's 0600 file to write", open(SECRET, O_WRONLY));
	SHOW("kill a root process", kill(root_pid, SIGTERM));
	SHOW("kill 0 to a root process", kill(root_pid, 0));
	own = sleeper();
	SHOW("kill its own child", kill(own, SIGKILL));
	waitpid(own, NULL, 0);
	SHOW("setuid(0)", setuid(0));
	SHOW("seteuid(0)", seteuid(0));
	SHOW("setresuid(-1, 0, -1)", setresuid(-1, 0, -1));
	SHOW("setresuid(0, 0, 0)", setresuid(0, 0, 0));
	getresuid(&r, &e, &s);
	printf("ids: %u %u %u\n", (unsigned)r, (unsigned)e, (unsigned)s);
}

int main(void)
{
	int fd = open(SECRET, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	pid_t root_pid, pid;
	int status;

	SHOW("write the secret", write(fd, "secret", 6));
	close(fd);
	chmod(SECRET, 0600);
	root_pid = sleeper();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		unprivileged(root_pid);
		exit(0);
	}
	waitpid(pid, &status, 0);
	printf("unprivileged child: exit %d\n", WEXITSTATUS(status));
	SHOW("root's sleeper still there", kill(root_pid, 0));
	kill(root_pid, SIGKILL);
	waitpid(root_pid, NULL, 0);
	unlink(SECRET);
	return 0;
}
