/* Path resolution limits and errors: symlink loops and the 40-link
 * limit (ELOOP), NAME_MAX and PATH_MAX (ENAMETOOLONG), ENOTDIR, EISDIR,
 * ENOTEMPTY, a rename into its own subdirectory (EINVAL), "." and "..",
 * and ".." at the root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static void loops(void)
{
	char name[16], next[16];
	struct stat st;

	symlink("loop2", "loop1");
	symlink("loop1", "loop2");
	SHOW("open a symlink loop", open("loop1", O_RDONLY));
	SHOW("stat a symlink loop", stat("loop1", &st));
	SHOW("lstat a symlink loop", lstat("loop1", &st));
	SHOW("a loop in the middle", open("loop1/x", O_RDONLY));
	symlink("self", "self");
	SHOW("a link to itself", open("self", O_RDONLY));
	/* c0 -> c1 -> ... -> c41 -> end: from c2 there are 40 links to
	 * follow, Linux's limit; from c1 one more. */
	abi_write_file("end", "E");
	for (int i = 0; i <= 41; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		if (i == 41)
			strcpy(next, "end");
		else
			snprintf(next, sizeof(next), "c%d", i + 1);
		symlink(next, name);
	}
	SHOW("41 links (the limit is 40)", open("c1", O_RDONLY));
	{
		int fd = open("c2", O_RDONLY);

		abi_yes("40 links", fd >= 0);
		close(fd);
	}
	SHOW("O_NOFOLLOW on a link in a chain", open("c41", O_RDONLY | O_NOFOLLOW));
}

static void lengths(void)
{
	char *name = malloc(NAME_MAX + 2);
	char *path = malloc(PATH_MAX + 2);
	int fd;
	size_t len;

	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	fd = open(name, O_RDWR | O_CREAT, 0644);
	abi_yes("a NAME_MAX name", fd >= 0);
	close(fd);
	SHOW("stat it", access(name, F_OK));
	SHOW("unlink it", unlink(name));
	name[NAME_MAX] = 'n';
	name[NAME_MAX + 1] = '\0';
	SHOW("NAME_MAX + 1 create", open(name, O_RDWR | O_CREAT, 0644));
	SHOW("NAME_MAX + 1 lookup", access(name, F_OK));
	SHOW("NAME_MAX + 1 mkdir", mkdir(name, 0755));
	SHOW("NAME_MAX + 1 symlink", symlink("x", name));
	SHOW("NAME_MAX + 1 rename target", (abi_write_file("r", "r"), rename("r", name)));
	/* "./././...": PATH_MAX - 1 bytes resolve, PATH_MAX bytes do not
	 * (the NUL must fit too). */
	for (len = 0; len + 2 <= PATH_MAX - 2; len += 2)
		memcpy(path + len, "./", 2);
	memcpy(path + len, "r", 2);
	SHOW("a path of PATH_MAX - 1 bytes", (long)strlen(path) == PATH_MAX - 1 ?
	     access(path, F_OK) : -2);
	path[len] = '.';
	path[len + 1] = 'r';
	path[len + 2] = '\0';
	SHOW("a path of PATH_MAX bytes", (long)strlen(path) == PATH_MAX ?
	     access(path, F_OK) : -2);
	SHOW("PATH_MAX bytes to mkdir", mkdir(path, 0755));
	free(name);
	free(path);
}

static void kinds(void)
{
	int fd;

	abi_write_file("file", "F");
	mkdir("dir", 0755);
	mkdir("dir/sub", 0755);
	mkdir("dir/sub/deep", 0755);
	SHOW("ENOTDIR: a file as a directory", open("file/x", O_RDONLY));
	SHOW("ENOTDIR: trailing slash", access("file/", F_OK));
	SHOW("ENOTDIR: file/..", access("file/..", F_OK));
	SHOW("ENOTDIR: rmdir a file", rmdir("file"));
	SHOW("EISDIR: write-open a directory", open("dir", O_WRONLY));
	SHOW("EISDIR: unlink a directory", unlink("dir"));
	SHOW("ENOTEMPTY", rmdir("dir"));
	SHOW("EINVAL: rename into its own subdirectory",
	     rename("dir", "dir/sub/deep/moved"));
	SHOW("ENOENT: empty path", access("", F_OK));
	SHOW("ENOENT: missing component", access("none/x", F_OK));
	SHOW("dots", access("dir/./sub/../sub/deep/../../../file", F_OK));
	SHOW("dots after a file", access("dir/../file/.", F_OK));
	SHOW("many slashes", access("dir////sub//", F_OK));
	fd = open("/..", O_RDONLY | O_DIRECTORY);
	abi_yes("/.. opens", fd >= 0);
	{
		struct stat a, b;

		fstat(fd, &a);
		stat("/", &b);
		abi_yes("/.. is /", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	}
	close(fd);
	symlink("dir/sub", "tosub");
	SHOW("through a symlink then ..", access("tosub/../sub", F_OK));
	SHOW("a symlink with a trailing slash", access("tosub/", F_OK));
	symlink("file", "tofile");
	SHOW("a symlink to a file with a trailing slash", access("tofile/", F_OK));
	symlink("/", "toroot");
	abi_yes("an absolute symlink", access("toroot/tmp", F_OK) == 0);
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	loops();
	lengths();
	kinds();
	abi_scratch_leave();
	return 0;
}
