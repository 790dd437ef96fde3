/* getpriority(2) and setpriority(2): nice values per thread, with the
 * raw call's 20 - nice return and the libc's nice; clamping to -20..19;
 * /proc/self/stat's priority and nice fields; a fork and a new thread
 * inherit the value, and PRIO_PROCESS with a tid changes that thread
 * only; PRIO_PGRP over a group of the test's own (the highest priority
 * wins for get, set reaches every member); PRIO_USER over a uid only the
 * test's processes have; without root: raising is fine, lowering is
 * EACCES (RLIMIT_NICE 0), another user's process is EPERM;
 * and EINVAL and ESRCH. Native runs never touch processes but the test's
 * own (groups and uids are the test's). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_procfs.h"
#include "abi_proc.h"

#define TEST_UID 12345

/* The raw getpriority: 20 - nice, or -1 with errno. */
static long raw_get(int which, int who)
{
	return syscall(SYS_getpriority, which, who);
}

static void show_get(const char *label, int which, int who)
{
	SHOW(label, raw_get(which, who));
}

/* stat fields 18 and 19 (priority, nice) of path. */
static void show_stat(const char *label, const char *path)
{
	char buf[1024], *end;
	const char *p;
	long prio, nice;

	if (abi_slurp(path, buf, sizeof(buf)) <= 0 ||
	    !(p = abi_stat_field(buf, 18))) {
		printf("%s: unreadable\n", label);
		return;
	}
	prio = strtol(p, &end, 10);
	nice = strtol(end, NULL, 10);
	printf("%s: priority %ld nice %ld\n", label, prio, nice);
}

static void basics(void)
{
	show_get("get own", PRIO_PROCESS, 0);
	SHOW("libc getpriority", getpriority(PRIO_PROCESS, 0));
	SHOW("set 5", setpriority(PRIO_PROCESS, 0, 5));
	show_get("get own", PRIO_PROCESS, 0);
	show_get("get by pid", PRIO_PROCESS, getpid());
	show_stat("stat", "/proc/self/stat");
	SHOW("set 100 (clamped)", setpriority(PRIO_PROCESS, 0, 100));
	show_get("get", PRIO_PROCESS, 0);
	SHOW("set -100 as root (clamped)", setpriority(PRIO_PROCESS, 0, -100));
	show_get("get", PRIO_PROCESS, 0);
	show_stat("stat", "/proc/self/stat");
	SHOW("set 0", setpriority(PRIO_PROCESS, 0, 0));
	SHOW("which 3", setpriority(3, 0, 0));
	show_get("get which -1", -1, 0);
	show_get("get pid -1", PRIO_PROCESS, -1);
	show_get("get a pid that does not exist", PRIO_PROCESS, 999999);
	SHOW("set a pid that does not exist", setpriority(PRIO_PROCESS, 999999, 1));
	show_get("get a group that does not exist", PRIO_PGRP, 999999);
	show_get("get a user with no processes", PRIO_USER, 54321);
}

static pid_t tid_of_thread;
static int thread_go[2], thread_done[2];

static void *thread_main(void *arg)
{
	char c;

	(void)arg;
	tid_of_thread = gettid();
	write(thread_done[1], "r", 1);
	read(thread_go[0], &c, 1);
	show_get("thread: own after the main thread's change", PRIO_PROCESS, 0);
	write(thread_done[1], "d", 1);
	return NULL;
}

static void threads(void)
{
	pthread_t th;
	char c, path[64];

	pipe(thread_go);
	pipe(thread_done);
	setpriority(PRIO_PROCESS, 0, 4);
	pthread_create(&th, NULL, thread_main, NULL);
	read(thread_done[0], &c, 1);
	show_get("a new thread inherits", PRIO_PROCESS, tid_of_thread);
	SHOW("set the thread's to 9", setpriority(PRIO_PROCESS, tid_of_thread, 9));
	show_get("the thread", PRIO_PROCESS, tid_of_thread);
	show_get("the main thread", PRIO_PROCESS, 0);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid_of_thread);
	show_stat("the thread's stat", path);
	show_stat("the process's stat", "/proc/self/stat");
	SHOW("main thread to 2", setpriority(PRIO_PROCESS, 0, 2));
	write(thread_go[1], "g", 1);
	read(thread_done[0], &c, 1);
	pthread_join(th, NULL);
	setpriority(PRIO_PROCESS, 0, 0);
}

static void forked(void)
{
	int p[2], status;
	pid_t pid;
	char c;

	setpriority(PRIO_PROCESS, 0, 3);
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit((int)raw_get(PRIO_PROCESS, 0));
	}
	close(p[0]);
	show_get("the child inherits", PRIO_PROCESS, pid);
	SHOW("set the child's to 7", setpriority(PRIO_PROCESS, pid, 7));
	show_get("ours unchanged", PRIO_PROCESS, 0);
	write(p[1], "x", 1);
	close(p[1]);
	waitpid(pid, &status, 0);
	printf("the child saw: %d\n", WEXITSTATUS(status));
	setpriority(PRIO_PROCESS, 0, 0);
}

/* A group of two processes of our own: this child leads it. */
static void group(void)
{
	int p[2];
	pid_t pid;
	char c;

	setpgid(0, 0);
	pipe(p);
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	SHOW("member to 6", setpriority(PRIO_PROCESS, pid, 6));
	SHOW("leader to 8", setpriority(PRIO_PROCESS, 0, 8));
	show_get("group: the highest priority", PRIO_PGRP, 0);
	show_get("group by id", PRIO_PGRP, getpgrp());
	SHOW("set the group to 10", setpriority(PRIO_PGRP, 0, 10));
	show_get("member", PRIO_PROCESS, pid);
	show_get("leader", PRIO_PROCESS, 0);
	write(p[1], "x", 1);
	close(p[1]);
	waitpid(pid, NULL, 0);
}

/* As TEST_UID, with RLIMIT_NICE 0 (Linux's default). A larger limit is
 * not tried: the host's root may lack CAP_SYS_RESOURCE to raise it. */
static void become_user(rlim_t nice_limit)
{
	struct rlimit rl = { nice_limit, nice_limit };

	setrlimit(RLIMIT_NICE, &rl);
	if (setresgid(TEST_UID, TEST_UID, TEST_UID) ||
	    setresuid(TEST_UID, TEST_UID, TEST_UID))
		printf("cannot become the test user\n");
}

static void unprivileged(void)
{
	pid_t parent = getppid();

	become_user(0);
	SHOW("raise to 5", setpriority(PRIO_PROCESS, 0, 5));
	SHOW("keep 5", setpriority(PRIO_PROCESS, 0, 5));
	SHOW("lower to 4", setpriority(PRIO_PROCESS, 0, 4));
	show_get("still", PRIO_PROCESS, 0);
	SHOW("root's process", setpriority(PRIO_PROCESS, parent, 10));
	show_get("get root's process (allowed)", PRIO_PROCESS, parent);
	show_get("our user", PRIO_USER, 0);
	show_get("our user by id", PRIO_USER, TEST_UID);
	SHOW("set our user to 12", setpriority(PRIO_USER, 0, 12));
	show_get("own", PRIO_PROCESS, 0);
}

int main(void)
{
	basics();
	threads();
	forked();
	abi_in_child("group", group);
	abi_in_child("unprivileged", unprivileged);
	return 0;
}
