/* The scheduling policy calls: sched_getscheduler, sched_setscheduler
 * (SCHED_OTHER, BATCH, IDLE, FIFO, RR, with SCHED_RESET_ON_FORK),
 * sched_getparam and sched_setparam, the priority ranges, and
 * sched_rr_get_interval (positive, 0 for FIFO); EINVAL for bad policies,
 * priorities, pids and NULL, EFAULT, ESRCH; /proc/self/stat's priority,
 * rt_priority and policy fields; a fork inherits the policy, or loses a
 * real-time one under SCHED_RESET_ON_FORK (and the flag); without root:
 * no real-time policy with RLIMIT_RTPRIO 0, no leaving SCHED_IDLE with
 * RLIMIT_NICE 0, no clearing SCHED_RESET_ON_FORK, no other user's thread.
 * Native runs change only the test's own processes, which spend their
 * real-time moments blocked or printing. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"
#include "abi_procfs.h"

#define TEST_UID 12346

static long set_sched(pid_t pid, int policy, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return syscall(SYS_sched_setscheduler, pid, policy, &sp);
}

/* The raw call: musl's sched_getscheduler is ENOSYS on purpose. */
static long get_sched(pid_t pid)
{
	return syscall(SYS_sched_getscheduler, pid);
}

static long set_param(pid_t pid, int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return syscall(SYS_sched_setparam, pid, &sp);
}

static void show_param(const char *label, pid_t pid)
{
	struct sched_param sp = { .sched_priority = -7 };

	if (SHOW(label, syscall(SYS_sched_getparam, pid, &sp)) == 0)
		printf("  priority %d\n", sp.sched_priority);
}

/* stat fields 18 (priority), 40 (rt_priority) and 41 (policy). */
static void show_stat(const char *label)
{
	char buf[1024];
	const char *prio, *rt;

	if (abi_slurp("/proc/self/stat", buf, sizeof(buf)) <= 0 ||
	    !(prio = abi_stat_field(buf, 18)) || !(rt = abi_stat_field(buf, 40))) {
		printf("%s: unreadable\n", label);
		return;
	}
	printf("%s: priority %ld rt_priority %ld", label, strtol(prio, NULL, 10),
	       strtol(rt, NULL, 10));
	printf(" policy %ld\n", strtol(abi_stat_field(buf, 41), NULL, 10));
}

/* Policy 7 is left out: SCHED_EXT since Linux 6.12. */
static void ranges(void)
{
	static const int policies[] = { SCHED_OTHER, SCHED_FIFO, SCHED_RR,
					SCHED_BATCH, 4, SCHED_IDLE, 6, -1 };

	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		printf("policy %d:\n", policies[i]);
		SHOW("  max", syscall(SYS_sched_get_priority_max, policies[i]));
		SHOW("  min", syscall(SYS_sched_get_priority_min, policies[i]));
	}
}

/* The value for SCHED_OTHER is the fair class's slice, which Linux
 * computes from the run queue: only FIFO's 0 and RR's positive value are
 * fixed. */
static void rr_interval(const char *label, bool show)
{
	struct timespec ts = { -1, -1 };

	SHOW(label, syscall(SYS_sched_rr_get_interval, 0, &ts));
	if (!show)
		return;
	if (ts.tv_sec == 0 && ts.tv_nsec == 0)
		printf("  interval 0\n");
	else
		abi_yes("  interval positive", ts.tv_sec > 0 || ts.tv_nsec > 0);
}

static void errors(void)
{
	struct sched_param sp = { 0 };
	struct timespec ts;

	SHOW("getscheduler -1", syscall(SYS_sched_getscheduler, -1));
	SHOW("getscheduler no such pid", syscall(SYS_sched_getscheduler, 0x7fffffff));
	SHOW("getparam NULL", syscall(SYS_sched_getparam, 0, NULL));
	SHOW("getparam -1", syscall(SYS_sched_getparam, -1, &sp));
	SHOW("getparam bad pointer", syscall(SYS_sched_getparam, 0, (void *)8));
	SHOW("getparam no such pid", syscall(SYS_sched_getparam, 0x7fffffff, &sp));
	SHOW("setscheduler NULL", syscall(SYS_sched_setscheduler, 0, 0, NULL));
	SHOW("setscheduler policy -1", set_sched(0, -1, 0));
	SHOW("setscheduler policy 4", set_sched(0, 4, 0));
	SHOW("setscheduler DEADLINE", set_sched(0, 6, 0));
	SHOW("setscheduler OTHER priority 1", set_sched(0, SCHED_OTHER, 1));
	SHOW("setscheduler FIFO priority 0", set_sched(0, SCHED_FIFO, 0));
	SHOW("setscheduler FIFO priority 100", set_sched(0, SCHED_FIFO, 100));
	SHOW("setscheduler RR priority -1", set_sched(0, SCHED_RR, -1));
	SHOW("setscheduler pid -1", set_sched(-1, SCHED_OTHER, 0));
	SHOW("setscheduler no such pid", set_sched(0x7fffffff, SCHED_OTHER, 0));
	SHOW("setscheduler bad pointer",
	     syscall(SYS_sched_setscheduler, 0, 0, (void *)8));
	SHOW("setparam NULL", syscall(SYS_sched_setparam, 0, NULL));
	SHOW("setparam OTHER priority 3", set_param(0, 3));
	SHOW("rr_get_interval -1", syscall(SYS_sched_rr_get_interval, -1, &ts));
	SHOW("rr_get_interval bad pointer",
	     syscall(SYS_sched_rr_get_interval, 0, (void *)8));
}

static void as_root(void)
{
	SHOW("getscheduler", get_sched(0));
	show_param("getparam", 0);
	show_stat("stat");
	rr_interval("rr_get_interval OTHER", false);
	SHOW("to BATCH", set_sched(0, SCHED_BATCH, 0));
	SHOW("getscheduler", get_sched(0));
	SHOW("to IDLE", set_sched(0, SCHED_IDLE, 0));
	SHOW("getscheduler by pid", get_sched(getpid()));
	SHOW("setparam 0 keeps IDLE", set_param(0, 0));
	SHOW("setparam 1 under IDLE", set_param(0, 1));
	SHOW("to RR 5", set_sched(0, SCHED_RR, 5));
	SHOW("getscheduler", get_sched(0));
	show_param("getparam", 0);
	rr_interval("rr_get_interval RR", true);
	SHOW("setparam 7", set_param(0, 7));
	show_param("getparam", 0);
	show_stat("stat");
	SHOW("to FIFO 3 with RESET_ON_FORK",
	     set_sched(0, SCHED_FIFO | SCHED_RESET_ON_FORK, 3));
	SHOW("getscheduler", get_sched(0));
	rr_interval("rr_get_interval FIFO", true);
	show_stat("stat");
	SHOW("back to OTHER", set_sched(0, SCHED_OTHER, 0));
	SHOW("getscheduler", get_sched(0));
	show_param("getparam", 0);
}

/* Forks a child that prints its own policy and priority. */
static void show_child(const char *label)
{
	pid_t pid = fork();

	if (pid == 0) {
		printf("%s: policy %ld", label, get_sched(0));
		printf(" nice %d\n", getpriority(PRIO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void inherit(void)
{
	set_sched(0, SCHED_BATCH, 0);
	show_child("BATCH child");
	set_sched(0, SCHED_RR, 2);
	show_child("RR child");
	set_sched(0, SCHED_RR | SCHED_RESET_ON_FORK, 2);
	show_child("RR + RESET_ON_FORK child");
	set_sched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0);
	setpriority(PRIO_PROCESS, 0, -5);
	show_child("BATCH nice -5 + RESET_ON_FORK child");
	set_sched(0, SCHED_OTHER, 0);
	setpriority(PRIO_PROCESS, 0, 0);
}

static void *thread_main(void *arg)
{
	(void)arg;
	printf("thread: policy %ld\n", get_sched(0));
	return NULL;
}

static void threads(void)
{
	pthread_t th;

	set_sched(0, SCHED_IDLE, 0);
	pthread_create(&th, NULL, thread_main, NULL);
	pthread_join(th, NULL);
	set_sched(0, SCHED_OTHER, 0);
}

static void become_user(void)
{
	struct rlimit zero = { 0, 0 };

	setrlimit(RLIMIT_RTPRIO, &zero);
	setrlimit(RLIMIT_NICE, &zero);
	if (setresgid(TEST_UID, TEST_UID, TEST_UID) ||
	    setresuid(TEST_UID, TEST_UID, TEST_UID))
		printf("cannot become the test user\n");
}

static void unprivileged(void)
{
	pid_t parent = getppid();

	become_user();
	SHOW("to FIFO 1", set_sched(0, SCHED_FIFO, 1));
	SHOW("to RR 1", set_sched(0, SCHED_RR, 1));
	SHOW("to BATCH", set_sched(0, SCHED_BATCH, 0));
	SHOW("back to OTHER", set_sched(0, SCHED_OTHER, 0));
	SHOW("root's process", set_sched(parent, SCHED_OTHER, 0));
	SHOW("get root's process (allowed)", get_sched(parent));
	SHOW("to IDLE", set_sched(0, SCHED_IDLE, 0));
	SHOW("leave IDLE (RLIMIT_NICE 0)", set_sched(0, SCHED_OTHER, 0));
	SHOW("getscheduler", get_sched(0));
}

static void unprivileged_reset(void)
{
	set_sched(0, SCHED_OTHER | SCHED_RESET_ON_FORK, 0);
	become_user();
	SHOW("getscheduler", get_sched(0));
	SHOW("clear RESET_ON_FORK", set_sched(0, SCHED_OTHER, 0));
	SHOW("keep RESET_ON_FORK", set_sched(0, SCHED_BATCH | SCHED_RESET_ON_FORK, 0));
	SHOW("setparam keeps it", set_param(0, 0));
	SHOW("getscheduler", get_sched(0));
}

int main(void)
{
	ranges();
	errors();
	abi_in_child("as root", as_root);
	abi_in_child("inherit", inherit);
	abi_in_child("threads", threads);
	abi_in_child("unprivileged", unprivileged);
	abi_in_child("unprivileged reset", unprivileged_reset);
	return 0;
}
