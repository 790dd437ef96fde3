/* SIGKILL of a child that is entering pause(): the child is ended and
 * reaped every time. (Keel once lost the kill when it arrived between
 * the child's last system call and its sleep in pause: SIGKILL is never
 * queued, so pause's "a signal is deliverable" check must see the exit.)
 * The child prints first, so that the kill often lands in that window. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

int main(void)
{
	int killed = 0;

	for (int i = 0; i < 30; i++) {
		int status = 0;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			printf("%s", "");
			fflush(stdout);
			write(1, "", 0);
			pause();
			_exit(3);
		}
		kill(pid, SIGKILL);
		if (waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
		    WTERMSIG(status) == SIGKILL)
			killed++;
	}
	printf("killed: %d of 30\n", killed);
	return 0;
}
