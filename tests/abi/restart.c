/* restart_syscall(2): nanosleep and clock_nanosleep (relative and
 * absolute) that a stop and continue interrupts go on to their first
 * deadline and return 0 (Linux restarts a relative sleep through
 * restart_syscall, an absolute one as it was), rather than failing with
 * EINTR; restart_syscall called with nothing to restart is EINTR. The
 * stop comes while the child is asleep (or, on a slow machine, just
 * before it sleeps: the output is the same). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static int sync_fd[2];

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Tells the parent a sleep starts, sleeps one second with call, prints
 * the result and whether the whole second passed. */
static void one(const char *label, int which)
{
	struct timespec sec = { 1, 0 }, rem = { 0, 0 }, until;
	double start = now_s();
	long r;

	write(sync_fd[1], "s", 1);
	errno = 0;
	if (which == 0) {
		r = nanosleep(&sec, &rem);
	} else if (which == 1) {
		r = clock_nanosleep(CLOCK_MONOTONIC, 0, &sec, &rem);
	} else {
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until,
				    NULL);
	}
	if (which && r) { /* clock_nanosleep returns the error */
		errno = (int)r;
		r = -1;
	}
	abi_show(label, r);
	abi_yes("  slept the whole second", now_s() - start >= 0.999);
	fflush(stdout);
}

static void sleeper(void)
{
	one("nanosleep after a stop", 0);
	one("clock_nanosleep after a stop", 1);
	one("clock_nanosleep TIMER_ABSTIME after a stop", 2);
}

int main(void)
{
	struct timespec pause_a_bit = { 0, 200 * 1000 * 1000 };
	int status, stopped = 0;
	pid_t kid;
	char c;

	SHOW("restart_syscall with nothing to restart",
	     syscall(SYS_restart_syscall));
	if (pipe(sync_fd))
		return 1;
	fflush(stdout);
	kid = fork();
	if (kid == 0) {
		sleeper();
		_exit(0);
	}
	for (int i = 0; i < 3; i++) {
		if (read(sync_fd[0], &c, 1) != 1)
			break;
		nanosleep(&pause_a_bit, NULL);
		kill(kid, SIGSTOP);
		waitpid(kid, &status, WUNTRACED);
		stopped += WIFSTOPPED(status);
		kill(kid, SIGCONT);
	}
	waitpid(kid, &status, 0);
	printf("child stopped: %d times\n", stopped);
	printf("child exit: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}
