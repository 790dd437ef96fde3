/* ioprio_get(2) and ioprio_set(2): a thread's value as set (0 before),
 * the classes (none, real-time, best-effort, idle) and their checks
 * (EINVAL for an unknown class or "none" with a level, EINVAL for an
 * unknown which), ESRCH; a fork and a new thread inherit it; over a
 * process group the best of the members' priorities, where a member
 * with none set counts as best-effort at its nice value's level; over a
 * user the same; without root: no real-time class (EPERM), no other
 * user's process (EPERM). Values with the hint bits Linux 6.x added are
 * not tried: older kernels refuse them. Native runs touch only the
 * test's own processes (its own group and a uid only it has). */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"

#define TEST_UID 12347

#define WHO_PROCESS 1
#define WHO_PGRP 2
#define WHO_USER 3
#define VALUE(class, level) (((class) << 13) | (level))
#define NONE 0
#define RT 1
#define BE 2
#define IDLE 3

static long get(int which, int who)
{
	return syscall(SYS_ioprio_get, which, who);
}

static long set(int which, int who, int value)
{
	return syscall(SYS_ioprio_set, which, who, value);
}

static void classes(void)
{
	SHOW("get own (none set)", get(WHO_PROCESS, 0));
	SHOW("get by pid", get(WHO_PROCESS, getpid()));
	SHOW("set BE 7", set(WHO_PROCESS, 0, VALUE(BE, 7)));
	SHOW("get", get(WHO_PROCESS, 0));
	SHOW("set BE 0", set(WHO_PROCESS, 0, VALUE(BE, 0)));
	SHOW("get", get(WHO_PROCESS, 0));
	SHOW("set IDLE", set(WHO_PROCESS, 0, VALUE(IDLE, 0)));
	SHOW("get", get(WHO_PROCESS, 0));
	SHOW("set RT 3 as root", set(WHO_PROCESS, 0, VALUE(RT, 3)));
	SHOW("get", get(WHO_PROCESS, 0));
	SHOW("set NONE 1", set(WHO_PROCESS, 0, VALUE(NONE, 1)));
	SHOW("set class 4", set(WHO_PROCESS, 0, VALUE(4, 0)));
	SHOW("set class 7", set(WHO_PROCESS, 0, VALUE(7, 0)));
	SHOW("set -1", set(WHO_PROCESS, 0, -1));
	SHOW("get unchanged", get(WHO_PROCESS, 0));
	SHOW("set NONE", set(WHO_PROCESS, 0, VALUE(NONE, 0)));
	SHOW("get", get(WHO_PROCESS, 0));
	SHOW("get which 0", get(0, 0));
	SHOW("get which 4", get(4, 0));
	SHOW("set which 4", set(4, 0, VALUE(BE, 1)));
	SHOW("set which 4, bad value", set(4, 0, VALUE(6, 1)));
	SHOW("get pid -1", get(WHO_PROCESS, -1));
	SHOW("get no such pid", get(WHO_PROCESS, 0x7fffffff));
	SHOW("set no such pid", set(WHO_PROCESS, 0x7fffffff, VALUE(BE, 1)));
	SHOW("get no such group", get(WHO_PGRP, 0x7fffffff));
	SHOW("get a user with no processes", get(WHO_USER, 54321));
}

static void *thread_main(void *arg)
{
	(void)arg;
	SHOW("thread: inherited", get(WHO_PROCESS, 0));
	return NULL;
}

static void inherit(void)
{
	pthread_t th;
	pid_t pid;

	set(WHO_PROCESS, 0, VALUE(BE, 6));
	pid = fork();
	if (pid == 0) {
		SHOW("child: inherited", get(WHO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	pthread_create(&th, NULL, thread_main, NULL);
	pthread_join(th, NULL);
}

/* A group of this child and one more process of its own. */
static void group(void)
{
	int p[2];
	pid_t pid;
	char c;

	setpgid(0, 0);
	SHOW("group of one, none set", get(WHO_PGRP, 0));
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	SHOW("two, none set", get(WHO_PGRP, 0));
	setpriority(PRIO_PROCESS, 0, 10);
	SHOW("leader at nice 10", get(WHO_PGRP, 0));
	setpriority(PRIO_PROCESS, pid, 15);
	SHOW("both at nice 10 and 15", get(WHO_PGRP, 0));
	SHOW("member to IDLE", set(WHO_PROCESS, pid, VALUE(IDLE, 0)));
	SHOW("group", get(WHO_PGRP, getpgrp()));
	SHOW("set the group to BE 2", set(WHO_PGRP, 0, VALUE(BE, 2)));
	SHOW("member", get(WHO_PROCESS, pid));
	SHOW("leader", get(WHO_PROCESS, 0));
	SHOW("group", get(WHO_PGRP, 0));
	write(p[1], "x", 1);
	close(p[1]);
	waitpid(pid, NULL, 0);
}

static void become_user(void)
{
	if (setresgid(TEST_UID, TEST_UID, TEST_UID) ||
	    setresuid(TEST_UID, TEST_UID, TEST_UID))
		printf("cannot become the test user\n");
}

static void unprivileged(void)
{
	pid_t parent = getppid();

	become_user();
	SHOW("set RT 1", set(WHO_PROCESS, 0, VALUE(RT, 1)));
	SHOW("set BE 1", set(WHO_PROCESS, 0, VALUE(BE, 1)));
	SHOW("set IDLE", set(WHO_PROCESS, 0, VALUE(IDLE, 0)));
	SHOW("get", get(WHO_PROCESS, 0));
	SHOW("root's process", set(WHO_PROCESS, parent, VALUE(BE, 1)));
	SHOW("get root's process (allowed)", get(WHO_PROCESS, parent));
	SHOW("our user", get(WHO_USER, TEST_UID));
	SHOW("set our user to BE 5", set(WHO_USER, TEST_UID, VALUE(BE, 5)));
	SHOW("get", get(WHO_PROCESS, 0));
}

int main(void)
{
	abi_in_child("classes", classes);
	abi_in_child("inherit", inherit);
	abi_in_child("group", group);
	abi_in_child("unprivileged", unprivileged);
	return 0;
}
