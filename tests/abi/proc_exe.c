/* /proc/self/exe names the file that runs, with symlinks resolved, as
 * Linux's d_path of the exec'd file: the program execs itself through a
 * symlink in /tmp, through /proc/self/exe, and through /proc/self/exe a
 * second time from there (which loops with ELOOP if the link named
 * "/proc/self/exe" itself); each run prints whether its exe link is the
 * first run's path. Paths differ between machines, so only the
 * comparisons are printed. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define LINK "/tmp/keel-abi-proc-exe-link"

static char first[PATH_MAX];

static int exe(char *buf)
{
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Runs path (argv: NAME STEP FIRST) in a child and waits for it. */
static void run(const char *label, const char *path, const char *step)
{
	char *argv[] = { "proc_exe", (char *)step, first, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(path, argv);
		printf("%s: exec: -1 %s\n", label, abi_errname(errno));
		_exit(1);
	}
	waitpid(pid, &status, 0);
	printf("%s: status %d\n", label, WEXITSTATUS(status));
}

/* A re-run: is its exe the first run's? Step "again" execs once more
 * through /proc/self/exe. */
static int rerun(const char *step, const char *want)
{
	char now[PATH_MAX];

	if (exe(now) < 0) {
		printf("  %s: readlink: -1 %s\n", step, abi_errname(errno));
		return 1;
	}
	printf("  %s: exe is the program: %s\n", step,
	       strcmp(now, want) ? "no" : "yes");
	if (!strcmp(step, "again")) {
		char *argv[] = { "proc_exe", "third", (char *)want, NULL };

		fflush(stdout);
		execv("/proc/self/exe", argv);
		printf("  again: exec /proc/self/exe: -1 %s\n",
		       abi_errname(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3)
		return rerun(argv[1], argv[2]);
	if (exe(first) < 0) {
		printf("readlink: -1 %s\n", abi_errname(errno));
		return 1;
	}
	printf("exe is absolute: %s\n", first[0] == '/' ? "yes" : "no");
	unlink(LINK);
	if (symlink(first, LINK) < 0) {
		printf("symlink: -1 %s\n", abi_errname(errno));
		return 1;
	}
	run("through a symlink", LINK, "symlink");
	run("through /proc/self/exe", "/proc/self/exe", "proc");
	run("through /proc/self/exe twice", "/proc/self/exe", "again");
	unlink(LINK);
	return 0;
}
