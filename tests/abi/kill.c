/* kill(2), tkill(2) and tgkill(2) to other processes and threads: a
 * signal to a child (its handler runs, or its default action kills it,
 * as its parent's wait shows), to a process group (-pgid: never the
 * test's own group, which natively holds the runner), to
 * a zombie (succeeds, changes nothing), signal 0 as an existence check,
 * tgkill to a thread of another process, and the errors: ESRCH for no
 * such process, group or thread (also tgkill with the wrong group),
 * EINVAL for a bad signal or tid. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

static volatile int *shared;

static void on_usr1(int sig)
{
	(void)sig;
	shared[1] = 1;
}

/* A child that waits (yielding) until it is told to stop or killed;
 * with its handler for SIGUSR1 it exits 3 once the handler ran. */
static pid_t spinner(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, on_usr1);
		shared[0] = getpid();
		while (!shared[1])
			sched_yield();
		_exit(3);
	}
	while (shared[0] != pid)
		sched_yield();
	return pid;
}

static void report(const char *label, pid_t pid)
{
	int status = 0;

	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s: killed by %d\n", label, WTERMSIG(status));
	else
		printf("%s: exited %d\n", label, WEXITSTATUS(status));
}

int main(void)
{
	pid_t pid;

	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	shared[0] = shared[1] = 0;
	pid = spinner();
	SHOW("kill 0 to a live child", kill(pid, 0));
	SHOW("kill SIGUSR1 to its handler", kill(pid, SIGUSR1));
	report("after the handler", pid);
	shared[0] = shared[1] = 0;
	pid = spinner();
	SHOW("kill SIGTERM", kill(pid, SIGTERM));
	report("default action", pid);
	shared[0] = shared[1] = 0;
	pid = spinner();
	setpgid(pid, pid);
	SHOW("kill to its group", kill(-pid, SIGKILL));
	report("group member", pid);
	SHOW("kill to a reaped child", kill(pid, SIGTERM));
	SHOW("kill to no such group", kill(-pid, SIGTERM));
	shared[0] = shared[1] = 0;
	pid = spinner();
	SHOW("tgkill to its thread", syscall(SYS_tgkill, pid, pid, SIGUSR1));
	report("after tgkill", pid);
	shared[0] = shared[1] = 0;
	pid = spinner();
	SHOW("tgkill wrong group", syscall(SYS_tgkill, getpid(), pid, SIGKILL));
	SHOW("tkill", syscall(SYS_tkill, pid, SIGKILL));
	report("after tkill", pid);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(9);
	while (waitid(P_PID, pid, &(siginfo_t){ 0 }, WEXITED | WNOWAIT))
		;
	SHOW("kill to a zombie", kill(pid, SIGKILL));
	report("the zombie", pid);
	SHOW("bad signal", kill(getpid(), 65));
	SHOW("negative signal", kill(getpid(), -1));
	SHOW("tkill tid 0", syscall(SYS_tkill, 0, SIGUSR2));
	SHOW("tgkill bad signal", syscall(SYS_tgkill, getpid(), getpid(), 99));
	SHOW("tkill no such thread", syscall(SYS_tkill, 0x7ffffff0, 0));
	SHOW("kill no such process", kill(0x7ffffff0, 0));
	return 0;
}
