/* /proc/self/exe after execve names the file that runs, by its absolute
 * name with symlinks resolved, however it was reached: a path relative
 * to the cwd, a symlink, a #! script (the interpreter runs, so the link
 * names it). Found by the busybox shell suite: busybox's static glibc
 * reads the link at start-up and asserts that it is absolute, so
 * `./script.sh` aborted on Keel, which kept the path as given. The
 * program copies itself to a directory under /tmp and execs the copy each
 * way; the child compares the link with realpath of the copy. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#define DIR "/tmp/bb_exe.d"
#define PROG DIR "/prog"

/* The exec'd copy: argv[1] "child", its last argument the file it should
 * be (a script's argv has the script's name before it). */
static int child_main(int argc, char **argv)
{
	char link[PATH_MAX], *want = realpath(argv[argc - 1], NULL);
	ssize_t n = readlink("/proc/self/exe", link, sizeof(link) - 1);

	if (n < 0 || !want) {
		printf("  readlink or realpath: -1 %s\n", abi_errname(errno));
		return 1;
	}
	link[n] = '\0';
	printf("  exe absolute: %s\n", link[0] == '/' ? "yes" : "no");
	printf("  exe is the program: %s\n",
	       strcmp(link, want) == 0 ? "yes" : "no");
	free(want);
	fflush(stdout);
	return 0;
}

/* Runs path as a child with argv, prints its output's verdict. */
static void run(const char *label, const char *path, char *const argv[])
{
	int status = 0;
	pid_t pid;

	printf("%s:\n", label);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(path, argv);
		printf("  execv: -1 %s\n", abi_errname(errno));
		fflush(stdout);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("  status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(int argc, char **argv)
{
	char *child[] = { "prog", "child", PROG, NULL };
	char *script[] = { "script", PROG, NULL };
	char link[PATH_MAX];
	ssize_t n;
	FILE *f;

	if (argc > 2 && strcmp(argv[1], "child") == 0)
		return child_main(argc, argv);
	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	printf("own exe absolute: %s\n", n > 0 && link[0] == '/' ? "yes" : "no");
	mkdir(DIR, 0755);
	if (abi_copy_file("/proc/self/exe", PROG) || chdir(DIR)) {
		printf("setup: -1 %s\n", abi_errname(errno));
		return 1;
	}
	unlink("link");
	if (symlink("prog", "link"))
		printf("symlink: -1 %s\n", abi_errname(errno));
	f = fopen("script", "w");
	if (!f)
		return 1;
	fprintf(f, "#!" PROG " child\n");
	fclose(f);
	chmod("script", 0755);
	run("absolute path", PROG, child);
	run("relative path", "./prog", child);
	run("symlink", "./link", child);
	/* The kernel runs PROG child ./script PROG: the interpreter. */
	run("script", "./script", script);
	unlink("script");
	unlink("link");
	unlink("prog");
	chdir("/");
	rmdir(DIR);
	return 0;
}
