/* wait4(2), waitpid(3) and waitid(2): ECHILD without children, WNOHANG
 * while a child runs, a chosen pid among several, exit codes and signals,
 * waitid's siginfo (CLD_EXITED, CLD_KILLED), WNOWAIT leaving the zombie,
 * P_PGID and P_ALL, WUNTRACED/WCONTINUED for a stopped and continued
 * child, SIGCHLD's siginfo, rusage, and bad input: options (EINVAL), a
 * bad status pointer (EFAULT: the child is reaped all the same), an
 * orphan handed on when its parent exits. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int chld_code, chld_status, chld_pid_ok, chld_hits;
static pid_t expected;

static void on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_hits++;
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_pid_ok = si->si_pid == expected;
}

/* A child that exits with code at once. */
static pid_t child_exiting(int code)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(code);
	return pid;
}

/* A child that waits until *flag is set (shared memory), then exits. */
static pid_t child_waiting(volatile int *flag, int code)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		while (!*flag)
			sched_yield();
		_exit(code);
	}
	return pid;
}

static void basics(volatile int *flag)
{
	int status = 0;
	pid_t a, b, c;

	SHOW("wait4 without children", wait4(-1, &status, 0, NULL));
	SHOW("waitid without children", waitid(P_ALL, 0, NULL, WEXITED));
	*flag = 0;
	a = child_waiting(flag, 1);
	SHOW("WNOHANG while it runs", waitpid(a, &status, WNOHANG));
	b = child_exiting(2);
	c = child_exiting(3);
	abi_yes("waitpid picks the one asked for",
		waitpid(c, &status, 0) == c);
	printf("its status: exited %d\n", WEXITSTATUS(status));
	abi_yes("then the other", waitpid(b, &status, 0) == b);
	printf("its status: exited %d\n", WEXITSTATUS(status));
	*flag = 1;
	abi_yes("wait(-1) gets the last", wait4(-1, &status, 0, NULL) == a);
	printf("its status: exited %d\n", WEXITSTATUS(status));
	SHOW("then none", waitpid(-1, &status, WNOHANG));
}

static void with_waitid(void)
{
	siginfo_t si;
	pid_t a = child_exiting(7), b;

	memset(&si, 0xff, sizeof(si));
	SHOW("waitid WNOWAIT", waitid(P_PID, a, &si, WEXITED | WNOWAIT));
	abi_yes("si_pid", si.si_pid == a);
	printf("si_signo %d si_code %d si_status %d\n", si.si_signo,
	       si.si_code, si.si_status);
	memset(&si, 0, sizeof(si));
	SHOW("waitid again", waitid(P_PID, a, &si, WEXITED));
	printf("si_code %d si_status %d\n", si.si_code, si.si_status);
	SHOW("and it is gone", waitid(P_PID, a, &si, WEXITED));
	fflush(stdout);
	b = fork();
	if (b == 0) {
		raise(SIGKILL);
		_exit(0);
	}
	SHOW("waitid P_PGID 0", waitid(P_PGID, 0, &si, WEXITED));
	abi_yes("killed child's pid", si.si_pid == b);
	printf("si_code %d si_status %d\n", si.si_code, si.si_status);
	a = child_exiting(0);
	memset(&si, 0, sizeof(si));
	SHOW("waitid P_ALL", waitid(P_ALL, 0, &si, WEXITED));
	abi_yes("its pid", si.si_pid == a);
	SHOW("waitid WNOHANG without a ready child",
	     waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
}

static void stops(volatile int *flag)
{
	int status = 0;
	pid_t a;

	*flag = 0;
	fflush(stdout);
	a = fork();
	if (a == 0) {
		raise(SIGSTOP);
		while (!*flag) /* until the parent saw it continue */
			sched_yield();
		_exit(5);
	}
	abi_yes("WUNTRACED", waitpid(a, &status, WUNTRACED) == a);
	printf("stopped %d by %d\n", WIFSTOPPED(status), WSTOPSIG(status));
	SHOW("reported once", waitpid(a, &status, WUNTRACED | WNOHANG));
	kill(a, SIGCONT);
	abi_yes("WCONTINUED", waitpid(a, &status, WCONTINUED) == a);
	printf("continued %d\n", WIFCONTINUED(status));
	*flag = 1;
	abi_yes("then it exits", waitpid(a, &status, 0) == a);
	printf("exited %d with %d\n", WIFEXITED(status), WEXITSTATUS(status));
}

static void sigchld(void)
{
	struct sigaction sa;
	sigset_t set, old;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);
	expected = child_exiting(9);
	waitpid(expected, &status, 0);
	sigprocmask(SIG_SETMASK, &old, NULL); /* still pending: runs now */
	printf("SIGCHLD: %d, code %d status %d pid %d\n", chld_hits,
	       chld_code, chld_status, chld_pid_ok);
	signal(SIGCHLD, SIG_DFL);
}

static void bad_input(void)
{
	struct rusage ru;
	int status;
	pid_t a;

	a = child_exiting(0);
	SHOW("wait4 bad options", wait4(a, &status, 0x1000, NULL));
	SHOW("waitid no event", waitid(P_PID, a, NULL, 0));
	SHOW("waitid bad idtype", waitid(42, a, NULL, WEXITED));
	SHOW("waitid P_PID 0", waitid(P_PID, 0, NULL, WEXITED));
	SHOW("wait4 bad status pointer",
	     wait4(a, (int *)16, 0, NULL));
	SHOW("reaped all the same", waitpid(a, &status, 0));
	a = child_exiting(0);
	abi_yes("wait4 with rusage", wait4(a, &status, 0, &ru) == a);
	SHOW("getrusage children",
	     getrusage(RUSAGE_CHILDREN, &ru));
}

static void orphan(volatile int *flag)
{
	pid_t mid, me = getpid();
	int status;

	*flag = 0;
	fflush(stdout);
	mid = fork();
	if (mid == 0) {
		pid_t mine = getpid();

		if (fork() == 0) {
			/* Until the middle process is gone. */
			while (getppid() == mine)
				sched_yield();
			*flag = getppid() != me ? 1 : 2;
			_exit(0);
		}
		_exit(0);
	}
	waitpid(mid, &status, 0);
	while (!*flag)
		sched_yield();
	abi_yes("the orphan was handed on, not to us", *flag == 1);
	SHOW("and is not our child", waitpid(-1, &status, WNOHANG));
}

int main(void)
{
	volatile int *flag = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	/* The first program of an ABI batch is pid 1 on Keel, and pid 1
	 * adopts orphans itself (Linux's init too): the test runs in a
	 * child then, so that "not to us" means the same as natively. */
	if (getpid() == 1) {
		int status;
		pid_t c = fork();

		if (c > 0) {
			waitpid(c, &status, 0);
			return WEXITSTATUS(status);
		}
	}
	basics(flag);
	with_waitid();
	stops(flag);
	sigchld();
	bad_input();
	orphan(flag);
	return 0;
}
