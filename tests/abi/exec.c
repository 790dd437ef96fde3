/* execve(2) and execveat(2) through the file system: the program re-runs
 * itself (/proc/self/exe) as a child that prints its arguments,
 * environment, name and descriptors; #! scripts written to /tmp (one
 * optional argument, the script path spliced in, nested interpreters up
 * to the kernel's limit, ENOEXEC for a missing or cut interpreter name);
 * the errors: ENOENT, ENOTDIR, EACCES (no execute bit, a directory),
 * ENOEXEC, ELOOP, EFAULT, E2BIG, EINVAL. Each exec runs in a forked
 * child the parent waits for, so output stays in order. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"

#define SELF "/proc/self/exe"

extern char **environ;

/* The re-run program: prints what it got, then exits 5. */
static int child_main(int argc, char **argv)
{
	char name[16] = { 0 };

	prctl(PR_GET_NAME, name);
	printf("  argc %d:", argc);
	for (int i = 1; i < argc; i++) {
		if (strlen(argv[i]) > 64)
			printf(" [%zu bytes]", strlen(argv[i]));
		else
			printf(" [%s]", argv[i]);
	}
	printf("\n  env:");
	for (char **e = environ; *e; e++)
		printf(" [%s]", *e);
	printf("\n  comm: %s\n", name);
	for (int fd = 3; fd < 6; fd++)
		printf("  fd %d: %s\n", fd,
		       fcntl(fd, F_GETFD) < 0 ? "closed" : "open");
	fflush(stdout);
	_exit(5);
}

/* Runs path with argv and envp in a child; prints the error or the
 * child's output and status. */
static void run(const char *label, const char *path, char *const argv[],
		char *const envp[])
{
	int status = 0;
	pid_t pid;

	printf("%s:\n", label);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execve(path, argv, envp);
		printf("  -1 %s\n", abi_errname(errno));
		fflush(stdout);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	printf("  status %d\n", WEXITSTATUS(status));
}

static void write_file(const char *path, const char *text, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	write(fd, text, strlen(text));
	close(fd);
}

static char *const no_env[] = { NULL };
static volatile uintptr_t bad = 16; /* unmapped */

static void programs(void)
{
	char *argv[] = { "name", "child", "two words", "", NULL };
	char *envp[] = { "FOO=bar", "EMPTY=", NULL };
	int keep = open("/tmp", O_RDONLY | O_DIRECTORY);
	int gone = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	printf("fds %d %d\n", keep, gone);
	run("self with arguments and an environment", SELF, argv, envp);
	close(keep);
	close(gone);
}

static void scripts(void)
{
	char *argv[] = { "ignored", "x", "y", NULL };
	char path[32], text[64], line[300], label[16];

	write_file("/tmp/s-plain", "#!" SELF " child\necho\n", 0755);
	run("script", "/tmp/s-plain", argv, no_env);
	write_file("/tmp/s-arg", "#!  " SELF "   child one  two \t\n", 0755);
	run("script with spaces", "/tmp/s-arg", argv, no_env);
	write_file("/tmp/s-noarg", "#!" SELF, 0755);
	run("script without a newline", "/tmp/s-noarg", argv, no_env);
	write_file("/tmp/s-none", "#!\n", 0755);
	run("no interpreter", "/tmp/s-none", argv, no_env);
	write_file("/tmp/s-blank", "#!   \t \n", 0755);
	run("blank interpreter", "/tmp/s-blank", argv, no_env);
	write_file("/tmp/s-missing", "#!/tmp/no-such-interpreter\n", 0755);
	run("missing interpreter", "/tmp/s-missing", argv, no_env);
	memset(line, 'a', sizeof(line));
	memcpy(line, "#!/tmp/", 7);
	line[sizeof(line) - 1] = '\0';
	write_file("/tmp/s-long", line, 0755);
	run("interpreter name past 256 bytes", "/tmp/s-long", argv, no_env);
	/* Nested: s-nest1 runs SELF, s-nestN runs s-nest(N-1). */
	write_file("/tmp/s-nest1", "#!" SELF " child\n", 0755);
	for (int n = 2; n <= 7; n++) {
		snprintf(path, sizeof(path), "/tmp/s-nest%d", n);
		snprintf(text, sizeof(text), "#!/tmp/s-nest%d\n", n - 1);
		write_file(path, text, 0755);
		snprintf(label, sizeof(label), "depth %d", n);
		run(label, path, argv, no_env);
	}
}

static void errors(void)
{
	char *argv[] = { "x", "child", NULL };
	char *big = malloc(200000);
	char **many = calloc(40, sizeof(char *));
	struct rlimit stack = { 8 << 20, 8 << 20 };

	setrlimit(RLIMIT_STACK, &stack);
	write_file("/tmp/e-noexec", "#!" SELF "\n", 0644);
	write_file("/tmp/e-garbage", "\177ELF garbage", 0755);
	symlink("/tmp/e-loop2", "/tmp/e-loop1");
	symlink("/tmp/e-loop1", "/tmp/e-loop2");
	symlink(SELF, "/tmp/e-link");
	run("missing file", "/tmp/no-such-file", argv, no_env);
	run("through a file", "/tmp/e-garbage/x", argv, no_env);
	run("no execute bit", "/tmp/e-noexec", argv, no_env);
	run("a directory", "/tmp", argv, no_env);
	run("not a program", "/tmp/e-garbage", argv, no_env);
	run("symlink loop", "/tmp/e-loop1", argv, no_env);
	run("bad argv", SELF, (char **)bad, no_env);
	run("bad path", (char *)bad, argv, no_env);
	memset(big, 'b', 200000 - 1);
	big[200000 - 1] = '\0';
	argv[0] = big;
	run("one string over 128 KiB", SELF, argv, no_env);
	big[131072 - 1] = '\0';
	run("one string of 128 KiB with its NUL", SELF, argv, no_env);
	big[131072 - 2] = '\0';
	many[0] = "child";
	for (int i = 1; i < 10; i++)
		many[i] = big;
	run("1.1 MiB of arguments under an 8 MiB stack", SELF, many, no_env);
	for (int i = 10; i < 39; i++)
		many[i] = big;
	run("5 MiB of arguments under an 8 MiB stack", SELF, many, no_env);
	printf("execveat AT_SYMLINK_NOFOLLOW on a link:\n");
	SHOW("  ", syscall(SYS_execveat, AT_FDCWD, "/tmp/e-link", argv,
			   no_env, AT_SYMLINK_NOFOLLOW));
	SHOW("execveat bad flags", syscall(SYS_execveat, AT_FDCWD, SELF, argv,
					   no_env, 0x4));
	SHOW("execveat empty path", syscall(SYS_execveat, AT_FDCWD, "", argv,
					    no_env, 0));
	free(big);
	free(many);
}

int main(int argc, char **argv)
{
	/* Run with arguments, it is an exec'd child (never recurse). */
	if (argc != 1)
		return child_main(argc, argv);
	programs();
	scripts();
	errors();
	return 0;
}
