/* sched_getaffinity(2) and sched_setaffinity(2) of another process, by
 * its pid, as `taskset -p PID` does. Found by busybox's testsuite
 * (taskset.tests): Keel answered ESRCH for any pid but the caller's. A
 * forked child waits on a pipe while the parent reads its mask, pins it
 * to the first CPU the parent may use and reads it back; the child then
 * reports the mask it sees itself. A reaped child's pid is ESRCH. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

/* The lowest CPU in set. */
static int first_cpu(const cpu_set_t *set)
{
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set))
			return c;
	return -1;
}

int main(void)
{
	cpu_set_t own, got, one;
	int go[2], back[2], status;
	char c = 0;
	pid_t pid;

	if (sched_getaffinity(0, sizeof(own), &own) || pipe(go) || pipe(back))
		return 1;
	pid = fork();
	if (pid == 0) {
		/* The child: waits until the parent has set its mask. */
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		sched_getaffinity(0, sizeof(got), &got);
		c = (char)(CPU_COUNT(&got) == 1 &&
			   first_cpu(&got) == first_cpu(&own));
		write(back[1], &c, 1);
		_exit(0);
	}
	abi_show("get child", sched_getaffinity(pid, sizeof(got), &got));
	printf("child's mask is the parent's: %s\n",
	       CPU_EQUAL(&got, &own) ? "yes" : "no");
	CPU_ZERO(&one);
	CPU_SET(first_cpu(&own), &one);
	abi_show("set child", sched_setaffinity(pid, sizeof(one), &one));
	abi_show("get child again", sched_getaffinity(pid, sizeof(got), &got));
	printf("child's mask now one CPU: %s\n",
	       CPU_EQUAL(&got, &one) ? "yes" : "no");
	write(go[1], &c, 1);
	if (read(back[0], &c, 1) != 1)
		c = 0;
	printf("child sees one CPU: %s\n", c ? "yes" : "no");
	waitpid(pid, &status, 0);
	printf("child status: %d\n", WEXITSTATUS(status));
	abi_show("get reaped", sched_getaffinity(pid, sizeof(got), &got));
	abi_show("set reaped", sched_setaffinity(pid, sizeof(one), &one));
	abi_show("get own by pid",
		 sched_getaffinity(getpid(), sizeof(got), &got));
	return 0;
}
