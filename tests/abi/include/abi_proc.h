/*
 * Running a step of an ABI test in a forked child (tests/abi/creds.c,
 * rlimit_enforce.c...), so that what it changes (ids, limits) is gone
 * for the next step: the child's output comes first, then how it ended.
 */
#ifndef ABI_PROC_H
#define ABI_PROC_H

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Prints "-- name", runs fn in a child and prints "name exit: N" or
 * "name killed by signal N". */
static inline void abi_in_child(const char *name, void (*fn)(void))
{
	int status;
	pid_t pid;

	printf("-- %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status))
		printf("%s killed by signal %d\n", name, WTERMSIG(status));
	else
		printf("%s exit: %d\n", name, WEXITSTATUS(status));
}

#endif
