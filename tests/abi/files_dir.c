/* Directories: mkdir and rmdir with their errors, link counts, reading
 * entries (getdents64 and readdir, sorted: the order is the file
 * system's), and the working directory (getcwd, chdir, fchdir). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the entries of directory path, sorted, with their types. */
static void list(const char *label, const char *path)
{
	char *names[64];
	int n = 0;
	struct dirent *e;
	DIR *d = opendir(path);

	if (!d) {
		SHOW(label, -1);
		return;
	}
	while ((e = readdir(d)) && n < 64) {
		char *s = malloc(300);

		snprintf(s, 300, "%s(%c)", e->d_name,
			 e->d_type == DT_DIR ? 'd' :
			 e->d_type == DT_REG ? 'f' :
			 e->d_type == DT_LNK ? 'l' :
			 e->d_type == DT_FIFO ? 'p' : '?');
		names[n++] = s;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	printf("%s:", label);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static long nlink(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : (long)st.st_nlink;
}

static void make_and_remove(void)
{
	struct stat st;

	SHOW("mkdir", mkdir("a", 0750));
	stat("a", &st);
	printf("mode: %o dir: %d\n", (unsigned)st.st_mode & 07777,
	       S_ISDIR(st.st_mode));
	SHOW("mkdir existing", mkdir("a", 0755));
	SHOW("mkdir with trailing slash", mkdir("b/", 0755));
	SHOW("mkdir in a missing directory", mkdir("x/y", 0755));
	SHOW("mkdir over a file", (abi_write_file("f", "x"), mkdir("f", 0755)));
	SHOW("mkdir under a file", mkdir("f/y", 0755));
	SHOW("mkdir .", mkdir(".", 0755));
	SHOW("mkdir bad pointer", syscall(SYS_mkdirat, AT_FDCWD, (char *)8, 0755));
	SHOW("nlink of a new directory", nlink("a"));
	mkdir("a/s1", 0755);
	mkdir("a/s2", 0755);
	abi_write_file("a/file", "data");
	SHOW("nlink with two subdirectories", nlink("a"));
	SHOW("rmdir not empty", rmdir("a"));
	SHOW("rmdir a file", rmdir("a/file"));
	SHOW("rmdir .", rmdir("a/."));
	SHOW("rmdir ..", rmdir("a/s1/.."));
	SHOW("rmdir missing", rmdir("a/none"));
	SHOW("unlink a directory", unlink("a/s1"));
	SHOW("unlinkat AT_REMOVEDIR", unlinkat(AT_FDCWD, "a/s1", AT_REMOVEDIR));
	SHOW("unlinkat bad flag", unlinkat(AT_FDCWD, "a/s2", 0x1));
	SHOW("nlink after rmdir", nlink("a"));
	SHOW("rmdir with trailing slash", rmdir("a/s2/"));
	SHOW("unlink a file with a trailing slash", unlink("a/file/"));
	SHOW("unlinkat file AT_REMOVEDIR", unlinkat(AT_FDCWD, "a/file", AT_REMOVEDIR));
	SHOW("unlink file", unlink("a/file"));
	SHOW("rmdir now empty", rmdir("a"));
}

static void entries(void)
{
	char buf[4096];
	int fd;

	mkdir("e", 0755);
	mkdir("e/sub", 0755);
	abi_write_file("e/one", "1");
	abi_write_file("e/two", "2");
	symlink("one", "e/link");
	mkfifo("e/fifo", 0644);
	list("entries", "e");
	fd = open("e", O_RDONLY | O_DIRECTORY);
	SHOW("getdents64 too small", syscall(SYS_getdents64, fd, buf, 10));
	abi_yes("getdents64 fills", syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0);
	SHOW("getdents64 at the end", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	lseek(fd, 0, SEEK_SET);
	abi_yes("getdents64 after rewind", syscall(SYS_getdents64, fd, buf, sizeof(buf)) > 0);
	SHOW("getdents64 bad pointer", (lseek(fd, 0, SEEK_SET),
		syscall(SYS_getdents64, fd, (void *)8, sizeof(buf))));
	close(fd);
	fd = open("e/one", O_RDONLY);
	SHOW("getdents64 on a file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	SHOW("getdents64 bad fd", syscall(SYS_getdents64, 999, buf, sizeof(buf)));
	unlink("e/two");
	abi_write_file("e/three", "3");
	list("after changes", "e");
	mkdir("gone", 0755);
	fd = open("gone", O_RDONLY | O_DIRECTORY);
	rmdir("gone");
	SHOW("getdents64 of a removed directory",
	     syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
}

static void cwd(void)
{
	char buf[4096], *base;
	int fd;

	mkdir("w", 0755);
	mkdir("w/in", 0755);
	SHOW("chdir", chdir("w/in"));
	getcwd(buf, sizeof(buf));
	base = strstr(buf, "/w/in");
	abi_yes("getcwd ends in /w/in", base && !strcmp(base, "/w/in"));
	SHOW("getcwd too small", syscall(SYS_getcwd, buf, 3));
	SHOW("getcwd bad pointer", syscall(SYS_getcwd, (char *)8, sizeof(buf)));
	SHOW("chdir ..", chdir(".."));
	SHOW("chdir to a file", (abi_write_file("file", ""), chdir("file")));
	SHOW("chdir missing", chdir("none"));
	SHOW("chdir empty", chdir(""));
	fd = open("in", O_RDONLY | O_DIRECTORY);
	SHOW("fchdir", fchdir(fd));
	close(fd);
	SHOW("now in in", access("../file", F_OK));
	fd = open("../file", O_RDONLY);
	SHOW("fchdir to a file", fchdir(fd));
	close(fd);
	SHOW("fchdir bad fd", fchdir(999));
	chdir("..");
	rmdir("in");
	mkdir("in", 0755);
	chdir("in");
	rmdir("../in");
	SHOW("getcwd of a removed directory", syscall(SYS_getcwd, buf, sizeof(buf)));
	SHOW("chdir .. from it", chdir(".."));
	abi_yes("back in w", access("file", F_OK) == 0);
	chdir(abi_scratch_dir);
	SHOW("chdir / then ..", (chdir("/"), chdir("..")));
	getcwd(buf, sizeof(buf));
	printf("cwd: %s\n", buf);
	chdir(abi_scratch_dir);
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	make_and_remove();
	entries();
	cwd();
	abi_scratch_leave();
	return 0;
}
