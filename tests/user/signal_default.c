/*
 * Default actions: with argument "term" the program sends itself SIGTERM
 * (terminate: status 143), with "core" SIGQUIT (terminate with a core
 * dump: 131, and the kernel says so), after checking that an ignored
 * signal and one whose default is to ignore change nothing.
 */
#include <user.h>

#define SIGQUIT 3

int main(int argc, char **argv)
{
	int core = argc > 1 && strcmp(argv[1], "core") == 0;

	sig_install(SIGUSR1, (usighandler)1, 0, 0, NULL);
	sys_kill((int)sys_getpid(), SIGUSR1);
	sys_kill((int)sys_getpid(), SIGCHLD);
	uputs("ignored SIGUSR1 and SIGCHLD: still running");
	sys_kill((int)sys_getpid(), core ? SIGQUIT : SIGTERM);
	uputs("still alive: FAILED");
	return 1;
}
