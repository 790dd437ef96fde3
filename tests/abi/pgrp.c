/* Process groups and sessions: a child starts in its parent's group and
 * session; setpgid(0, 0) makes it a group leader and setsid then fails
 * (EPERM); a child that is not a leader can setsid (a new session and
 * group named after it); a session leader cannot change group (EPERM);
 * the parent may move its child (before the child execs), not into a
 * group of another session or a group that does not exist (EPERM);
 * ESRCH for an unknown pid, EINVAL for a negative group. Only relations
 * are printed: where the test itself stands differs between hosts. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

/* Runs fn in a child and prints its exit code (its answer). */
static void in_child(const char *label, int (*fn)(void))
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(fn());
	waitpid(pid, &status, 0);
	printf("%s: %d\n", label, WEXITSTATUS(status));
}

static int inherits(void)
{
	return getpgid(0) == getpgid(getppid()) &&
	       getsid(0) == getsid(getppid()) && getpgrp() == getpgid(0);
}

static int leader_cannot_setsid(void)
{
	if (setpgid(0, 0) || getpgid(0) != getpid())
		return 10;
	return setsid() == -1 && errno == EPERM;
}

static int new_session(void)
{
	pid_t sid = setsid();

	if (sid != getpid())
		return 10;
	if (getsid(0) != sid || getpgid(0) != sid)
		return 11;
	/* A session leader stays in its group. */
	if (setpgid(0, 0) != -1 || errno != EPERM)
		return 12;
	return 1;
}

static int group_in_other_session(void)
{
	pid_t parent_group = getpgid(getppid());

	setsid();
	return setpgid(0, parent_group) == -1 && errno == EPERM;
}

int main(void)
{
	volatile int *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int status;
	pid_t pid;

	in_child("child inherits group and session", inherits);
	in_child("a group leader cannot setsid", leader_cannot_setsid);
	in_child("setsid makes a new session", new_session);
	in_child("no group of another session", group_in_other_session);
	*flag = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		while (!*flag)
			sched_yield();
		_exit(getpgid(0) == getpid());
	}
	SHOW("parent moves its child", setpgid(pid, pid));
	abi_yes("the child leads its group", getpgid(pid) == pid);
	SHOW("into a group that does not exist", setpgid(pid, 0x7ffffff0));
	SHOW("negative group", setpgid(pid, -1));
	*flag = 1;
	waitpid(pid, &status, 0);
	printf("the child saw it: %d\n", WEXITSTATUS(status));
	SHOW("setpgid of a reaped child", setpgid(pid, pid));
	SHOW("getpgid unknown", getpgid(0x7ffffff0));
	SHOW("getsid unknown", getsid(0x7ffffff0));
	return 0;
}
