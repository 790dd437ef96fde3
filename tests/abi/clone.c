/* Threads and clone(2)/clone3(2): pthreads (one pid, their own tids,
 * shared memory, join through CLONE_CHILD_CLEARTID and a futex wake),
 * clone() with PARENT_SETTID/CHILD_SETTID/CHILD_CLEARTID on a shared
 * address space, exit from one thread leaving the others, exit_group
 * from a thread ending the process, and the flag checks: EINVAL for
 * THREAD without SIGHAND, SIGHAND without VM, clone3's size, exit
 * signal and stack rules; E2BIG and EFAULT for clone3's struct. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#ifndef SYS_clone3
#define SYS_clone3 435 /* the same on x86-64 and riscv64 */
#endif

/* clone3's struct clone_args (VER2), spelt out: musl has no
 * <linux/sched.h>. */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack,
		stack_size, tls, set_tid, set_tid_size, cgroup;
};

static int shared_counter; /* added to atomically: threads run at once */
static pid_t main_pid;
static volatile pid_t child_tid_seen, child_ctid_seen;
static volatile pid_t ctid = -1, ptid = -1;

static void *worker(void *arg)
{
	int same_pid = getpid() == main_pid;
	int own_tid = syscall(SYS_gettid) != main_pid;

	__atomic_fetch_add(&shared_counter, (int)(intptr_t)arg, __ATOMIC_RELAXED);
	return (void *)(intptr_t)(same_pid && own_tid ? 100 : 1);
}

static void pthreads(void)
{
	pthread_t t[4];
	void *ret;
	int ok = 1;

	main_pid = getpid();
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)(i + 1));
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		ok &= ret == (void *)100;
	}
	abi_yes("threads share the pid, have their own tids", ok);
	printf("shared counter: %d\n", shared_counter);
}

static int clone_fn(void *arg)
{
	(void)arg;
	child_tid_seen = syscall(SYS_gettid);
	child_ctid_seen = ctid;
	return 0;
}

static void raw_clone(void)
{
	size_t size = 64 * 1024;
	char *stack = malloc(size);
	int status;
	pid_t pid;

	fflush(stdout);
	pid = clone(clone_fn, stack + size,
		    CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |
			    CLONE_CHILD_CLEARTID | SIGCHLD,
		    NULL, &ptid, NULL, &ctid);
	abi_yes("clone returned the child", pid > 0);
	waitpid(pid, &status, 0);
	abi_yes("PARENT_SETTID wrote the pid", ptid == pid);
	abi_yes("CHILD_SETTID: the child saw its tid",
		child_ctid_seen == pid && child_tid_seen == pid);
	printf("CHILD_CLEARTID after the exit: %d\n", (int)ctid);
	printf("status: exited %d\n", WEXITSTATUS(status));
	free(stack);
}

static volatile int thread_ran;

static void *exiting_thread(void *arg)
{
	thread_ran = 1;
	syscall(SYS_exit, 0); /* this thread only (not joinable after it) */
	return arg;
}

static void *group_exiting_thread(void *arg)
{
	(void)arg;
	syscall(SYS_exit_group, 7);
	return NULL;
}

static void endings(void)
{
	pthread_t t;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, exiting_thread, NULL);
		while (!thread_ran)
			sched_yield();
		for (int i = 0; i < 100; i++)
			sched_yield();
		_exit(4); /* main goes on after the thread's exit */
	}
	waitpid(pid, &status, 0);
	printf("exit of one thread, then the main: exited %d\n",
	       WEXITSTATUS(status));
	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, group_exiting_thread, NULL);
		for (;;)
			sched_yield();
	}
	waitpid(pid, &status, 0);
	printf("exit_group from a thread: exited %d\n", WEXITSTATUS(status));
}

static long clone3(struct clone_args *a, size_t size)
{
	return syscall(SYS_clone3, a, size);
}

static void checks(void)
{
	struct clone_args a;
	static char big[8192];
	static volatile uintptr_t bad = 16;

	SHOW("clone THREAD without SIGHAND",
	     syscall(SYS_clone, CLONE_THREAD | CLONE_VM, 0, 0, 0, 0));
	SHOW("clone SIGHAND without VM",
	     syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0));
	memset(&a, 0, sizeof(a));
	SHOW("clone3 size 32", clone3(&a, 32));
	a.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM;
	a.exit_signal = SIGCHLD;
	SHOW("clone3 THREAD with an exit signal", clone3(&a, sizeof(a)));
	memset(&a, 0, sizeof(a));
	a.exit_signal = 65;
	SHOW("clone3 exit signal 65", clone3(&a, sizeof(a)));
	memset(&a, 0, sizeof(a));
	a.stack = (uintptr_t)big;
	SHOW("clone3 stack without a size", clone3(&a, sizeof(a)));
	memset(&a, 0, sizeof(a));
	a.flags = CSIGNAL & SIGCHLD;
	SHOW("clone3 signal in flags", clone3(&a, sizeof(a)));
	memset(big, 0, sizeof(big));
	big[100] = 1;
	SHOW("clone3 unknown bytes set", clone3((struct clone_args *)big, 128));
	SHOW("clone3 larger than a page",
	     clone3((struct clone_args *)big, 4097));
	SHOW("clone3 bad pointer", clone3((struct clone_args *)bad, 64));
}

static void clone3_fork(void)
{
	struct clone_args a;
	int status;
	long pid;

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	fflush(stdout);
	pid = clone3(&a, sizeof(a));
	if (pid == 0)
		_exit(6);
	abi_yes("clone3 as fork", pid > 0 && waitpid(pid, &status, 0) == pid);
	printf("status: exited %d\n", WEXITSTATUS(status));
}

int main(void)
{
	pthreads();
	raw_clone();
	endings();
	checks();
	clone3_fork();
	return 0;
}
