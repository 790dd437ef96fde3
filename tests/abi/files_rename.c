/* rename, renameat and renameat2: replacing files and empty
 * directories, RENAME_NOREPLACE and RENAME_EXCHANGE, and the refusals
 * (EISDIR, ENOTDIR, ENOTEMPTY, EINVAL into its own subdirectory, EBUSY
 * for . and ..). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif

static long rename2(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

/* The first bytes of a file, or "-" when it cannot be read. */
static void show_file(const char *label, const char *path)
{
	char buf[32] = "-";
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		buf[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	printf("%s: %s\n", label, buf);
}

static long nlink(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_nlink;
}

static void files(void)
{
	abi_write_file("a", "A");
	abi_write_file("b", "B");
	SHOW("rename to a new name", rename("a", "c"));
	SHOW("old name gone", access("a", F_OK));
	show_file("c", "c");
	SHOW("rename over a file", rename("c", "b"));
	show_file("b", "b");
	SHOW("rename missing", rename("a", "z"));
	SHOW("rename into a missing directory", rename("b", "none/b"));
	SHOW("rename to itself", rename("b", "b"));
	link("b", "b2");
	SHOW("rename between hard links", rename("b", "b2"));
	SHOW("both names stay", access("b", F_OK) | access("b2", F_OK));
	unlink("b2");
	SHOW("rename a file with a trailing slash", rename("b", "x/"));
	SHOW("rename bad pointer", syscall(SYS_renameat2, AT_FDCWD, (char *)8,
					    AT_FDCWD, "x", 0));
}

static void directories(void)
{
	mkdir("d1", 0755);
	mkdir("d2", 0755);
	mkdir("full", 0755);
	abi_write_file("full/x", "X");
	abi_write_file("f", "F");
	mkdir("d1/sub", 0755);
	SHOW("directory over an empty directory", rename("d1", "d2"));
	SHOW("its child moved", access("d2/sub", F_OK));
	SHOW("directory over a non-empty one", rename("d2", "full"));
	SHOW("directory over a file", rename("d2", "f"));
	SHOW("file over a directory", rename("f", "d2"));
	SHOW("into its own subdirectory", rename("d2", "d2/sub/in"));
	SHOW("onto its own child", rename("d2", "d2/sub"));
	SHOW("a parent onto its child's name", rename("d2/sub", "d2"));
	SHOW("rename .", rename(".", "dot"));
	SHOW("rename ..", rename("d2/..", "dotdot"));
	SHOW("rename onto .", rename("f", "d2/."));
	SHOW("directory with a trailing slash", rename("d2/", "d3/"));
	SHOW("nlink of the scratch directory", nlink("."));
	mkdir("p1", 0755);
	mkdir("p2", 0755);
	mkdir("p1/c", 0755);
	SHOW("move a directory to another parent", rename("p1/c", "p2/c"));
	SHOW("old parent nlink", nlink("p1"));
	SHOW("new parent nlink", nlink("p2"));
}

static void flags(void)
{
	abi_write_file("x", "X");
	abi_write_file("y", "Y");
	mkdir("dx", 0755);
	SHOW("NOREPLACE onto an existing name", rename2("x", "y", RENAME_NOREPLACE));
	SHOW("NOREPLACE to a new name", rename2("x", "x2", RENAME_NOREPLACE));
	SHOW("EXCHANGE", rename2("x2", "y", RENAME_EXCHANGE));
	show_file("x2 now", "x2");
	show_file("y now", "y");
	SHOW("EXCHANGE with a missing name", rename2("y", "nope", RENAME_EXCHANGE));
	SHOW("EXCHANGE a file and a directory", rename2("y", "dx", RENAME_EXCHANGE));
	abi_yes("y is now the directory", access("y/.", F_OK) == 0);
	SHOW("NOREPLACE|EXCHANGE", rename2("x2", "dx", RENAME_NOREPLACE | RENAME_EXCHANGE));
	SHOW("unknown flag", rename2("x2", "dx", 0x80));
	SHOW("renameat with dirfds", ({
		int fd = open("y", O_RDONLY | O_DIRECTORY);
		long r = syscall(SYS_renameat2, AT_FDCWD, "x2", fd, "in", 0);
		close(fd);
		r;
	}));
	show_file("moved", "y/in");
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	files();
	directories();
	flags();
	abi_scratch_leave();
	return 0;
}
