/*
 * A host-built static program for the system suite
 * (runner/keeltool/suite_system.py), added to the image with
 * `keel run --add`: it says where it runs from, writes a file in its
 * working directory (which must be writable: /tmp), then re-executes
 * itself through /proc/self/exe, and the second run reads the file back.
 *
 *   selfexec          first run: prints "first: cwd CWD exe EXE", writes
 *                     selfexec.out, execs /proc/self/exe again
 *   selfexec again    prints "again: exe EXE read TEXT", exit 0
 *
 * Any failure prints what failed and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define OUT_FILE "selfexec.out"
#define OUT_TEXT "written before the exec"

static int fail(const char *what)
{
	printf("selfexec: %s: %s\n", what, strerror(errno));
	return 1;
}

static int first_run(const char *exe)
{
	char cwd[256];
	char *again[] = { "selfexec", "again", NULL };
	int fd;

	if (!getcwd(cwd, sizeof(cwd)))
		return fail("getcwd");
	printf("first: cwd %s exe %s\n", cwd, exe);
	fd = open(OUT_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fail("open " OUT_FILE " for writing");
	if (write(fd, OUT_TEXT, strlen(OUT_TEXT)) != (ssize_t)strlen(OUT_TEXT))
		return fail("write " OUT_FILE);
	close(fd);
	fflush(stdout);
	execv("/proc/self/exe", again);
	return fail("execv /proc/self/exe");
}

static int second_run(const char *exe)
{
	char text[64];
	ssize_t n;
	int fd = open(OUT_FILE, O_RDONLY);

	if (fd < 0)
		return fail("open " OUT_FILE);
	n = read(fd, text, sizeof(text) - 1);
	if (n < 0)
		return fail("read " OUT_FILE);
	text[n] = '\0';
	close(fd);
	printf("again: exe %s read %s\n", exe, text);
	return 0;
}

int main(int argc, char **argv)
{
	char exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return fail("readlink /proc/self/exe");
	exe[n] = '\0';
	if (argc > 1 && !strcmp(argv[1], "again"))
		return second_run(exe);
	return first_run(exe);
}
