/* The working directory beyond files_dir.c: getcwd's exact sizes
 * (ERANGE at the length, fits at the length plus the NUL; the raw call
 * returns that length), a cwd deeper than PATH_MAX (getcwd
 * ENAMETOOLONG, relative paths still work), the name following a rename
 * of an ancestor, chdir through a symlink (the real name), fchdir on an
 * O_PATH directory, a cwd that was removed (ENOENT to create in it,
 * ".." still leads out), a forked child's own cwd, and search permission
 * (EACCES for a user, in a child). Only names under the scratch directory
 * are printed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

static long getcwd_(char *buf, size_t size)
{
	return syscall(SYS_getcwd, buf, size);
}

/* Prints the cwd relative to the scratch directory. */
static void show_cwd(const char *label)
{
	char buf[PATH_MAX];
	size_t n = strlen(abi_scratch_dir);

	if (getcwd_(buf, sizeof(buf)) < 0)
		abi_show(label, -1);
	else if (strncmp(buf, abi_scratch_dir, n))
		printf("%s: outside the scratch directory\n", label);
	else
		printf("%s: .%s\n", label, buf + n);
}

static void sizes(void)
{
	char buf[PATH_MAX];
	size_t len;

	mkdir("a", 0755);
	chdir("a");
	getcwd(buf, sizeof(buf));
	len = strlen(buf);
	SHOW("raw getcwd returns the length with the NUL",
	     getcwd_(buf, sizeof(buf)) == (long)len + 1);
	SHOW("a buffer of the length", getcwd_(buf, len));
	SHOW("a buffer of the length + 1", getcwd_(buf, len + 1) == (long)len + 1);
	SHOW("a buffer of 0", getcwd_(buf, 0));
	SHOW("a NULL buffer", getcwd_(NULL, sizeof(buf)));
	SHOW("a bad buffer", getcwd_((char *)8, sizeof(buf)));
	chdir("..");
}

static void deep(void)
{
	char name[201], buf[PATH_MAX];
	int depth = 0, fd;

	memset(name, 'd', 200);
	name[200] = '\0';
	fd = open(".", O_RDONLY | O_DIRECTORY);
	while (depth < 25 && !mkdir(name, 0755) && !chdir(name))
		depth++;
	SHOW("levels made", depth);
	SHOW("getcwd deeper than PATH_MAX", getcwd_(buf, sizeof(buf)));
	SHOW("getcwd with a huge buffer", ({
		char *big = malloc(65536);
		long r = getcwd_(big, 65536);
		free(big);
		r;
	}));
	SHOW("relative paths still work", abi_write_file("here", "h"));
	snprintf(buf, sizeof(buf), "../%s/here", name);
	SHOW("and ..", access(buf, F_OK));
	fchdir(fd);
	close(fd);
	show_cwd("back");
}

static void renamed(void)
{
	int fd = open(".", O_RDONLY | O_DIRECTORY);

	mkdir("p", 0755);
	mkdir("p/q", 0755);
	chdir("p/q");
	show_cwd("in p/q");
	SHOW("rename p while inside", rename("../../p", "../../renamed"));
	show_cwd("after the rename");
	fchdir(fd);
	symlink("renamed/q", "link");
	SHOW("chdir through a symlink", chdir("link"));
	show_cwd("the real name");
	fchdir(fd);
	close(fd);
	fd = open("renamed", O_PATH | O_DIRECTORY);
	SHOW("fchdir O_PATH", fchdir(fd));
	show_cwd("there");
	close(fd);
	chdir("..");
}

static void removed(void)
{
	int fd;

	mkdir("gone", 0755);
	chdir("gone");
	rmdir("../gone");
	SHOW("getcwd", getcwd_((char[PATH_MAX]){ 0 }, PATH_MAX));
	SHOW("create in it", open("f", O_RDWR | O_CREAT, 0644));
	SHOW("mkdir in it", mkdir("sub", 0755));
	fd = open(".", O_RDONLY);
	abi_yes("open . still works", fd >= 0);
	SHOW("fstat it: links", ({
		struct stat st;
		fstat(fd, &st) ? -1L : (long)st.st_nlink;
	}));
	close(fd);
	SHOW("stat ..", access("..", F_OK));
	SHOW("chdir ..", chdir(".."));
	show_cwd("out");
}

static void child_cwd(void)
{
	pid_t pid;

	mkdir("c", 0755);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		chdir("c");
		show_cwd("child");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	show_cwd("parent after the child's chdir");
}

static void as_user(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("chdir without search permission", chdir("closed"));
	SHOW("chdir with only search permission", chdir("xonly"));
	SHOW("getcwd there", getcwd_((char[PATH_MAX]){ 0 }, PATH_MAX) > 0);
	SHOW("list it", open(".", O_RDONLY));
	SHOW("chdir ..", chdir(".."));
	SHOW("chdir into a file", chdir("plain"));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	chmod(".", 0755);
	sizes();
	deep();
	renamed();
	removed();
	child_cwd();
	mkdir("closed", 0700);
	mkdir("xonly", 0711);
	chmod("xonly", 0111);
	abi_write_file("plain", "p");
	abi_in_child("user", as_user);
	abi_scratch_leave();
	return 0;
}
