/* Trailing slashes and "."/".." as the last component, call by call:
 * a trailing slash asks for a directory, so on a file it is ENOTDIR, on
 * a missing name EISDIR for O_CREAT but fine for mkdir, and on a
 * symlink it follows the link for lookups but not for the calls that act
 * on the name itself (unlink, rmdir, rename: ENOTDIR); "." and ".." are
 * refused by the calls that would create or remove them (EEXIST,
 * EINVAL, ENOTEMPTY, EBUSY). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static const char *kind(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return abi_errname(errno);
	return S_ISDIR(st.st_mode) ? "directory" : S_ISLNK(st.st_mode) ? "symlink" :
	       S_ISREG(st.st_mode) ? "file" : "other";
}

static void on_a_file(void)
{
	struct stat st;

	SHOW("open file/", open("f/", O_RDONLY));
	SHOW("open file/ O_CREAT", open("f/", O_RDWR | O_CREAT, 0644));
	SHOW("stat file/", stat("f/", &st));
	SHOW("lstat file/", lstat("f/", &st));
	SHOW("unlink file/", unlink("f/"));
	SHOW("rmdir file/", rmdir("f/"));
	SHOW("rename file/ to g", rename("f/", "g"));
	SHOW("rename file to g/", rename("f", "g/"));
	SHOW("rename file over file2/", rename("f", "f2/"));
	SHOW("link file/ to g", link("f/", "g"));
	SHOW("link file to g/", link("f", "g/"));
	SHOW("symlink to g/", symlink("f", "g/"));
	SHOW("mkdir file/", mkdir("f/", 0755));
	SHOW("chmod file/", chmod("f/", 0600));
	SHOW("truncate file/", truncate("f/", 0));
	printf("f is: %s\n", kind("f"));
	printf("g is: %s\n", kind("g"));
}

static void on_a_missing_name(void)
{
	int fd;

	SHOW("open new/ O_CREAT", open("new/", O_RDWR | O_CREAT, 0644));
	SHOW("open new/ O_CREAT|O_EXCL", open("new/", O_RDWR | O_CREAT | O_EXCL, 0644));
	SHOW("mknod new/", mknod("new/", S_IFIFO | 0644, 0));
	SHOW("mkdir new/", mkdir("new/", 0755));
	printf("new is: %s\n", kind("new"));
	SHOW("mkdir new2//", mkdir("new2//", 0755));
	SHOW("rename new/ to moved/", rename("new/", "moved/"));
	printf("moved is: %s\n", kind("moved"));
	SHOW("rename moved to moved2/", rename("moved", "moved2/"));
	fd = open("moved2/", O_RDONLY);
	abi_yes("open a directory with a slash", fd >= 0);
	close(fd);
	SHOW("rmdir moved2/", rmdir("moved2/"));
	SHOW("rmdir new2//", rmdir("new2//"));
	SHOW("unlink missing/", unlink("missing/"));
	SHOW("rmdir missing/", rmdir("missing/"));
}

static void on_symlinks(void)
{
	struct stat st;

	mkdir("d", 0755);
	symlink("d", "ld");
	symlink("f", "lf");
	symlink("nowhere", "dangling");
	SHOW("lstat ld/ follows", lstat("ld/", &st));
	abi_yes("it is the directory", S_ISDIR(st.st_mode));
	SHOW("lstat lf/", lstat("lf/", &st));
	SHOW("open lf/", open("lf/", O_RDONLY));
	SHOW("unlink ld/", unlink("ld/"));
	SHOW("rmdir ld/", rmdir("ld/"));
	SHOW("rename ld/ to x", rename("ld/", "x"));
	SHOW("unlink lf/", unlink("lf/"));
	SHOW("mkdir dangling/", mkdir("dangling/", 0755));
	SHOW("open dangling/ O_CREAT", open("dangling/", O_RDWR | O_CREAT, 0644));
	printf("nowhere is: %s\n", kind("nowhere"));
	printf("ld is: %s\n", kind("ld"));
	SHOW("unlink ld", unlink("ld"));
	printf("d is: %s\n", kind("d"));
}

static void dots(void)
{
	mkdir("d/sub", 0755);
	SHOW("mkdir d/.", mkdir("d/.", 0755));
	SHOW("mkdir d/..", mkdir("d/..", 0755));
	SHOW("rmdir d/sub/.", rmdir("d/sub/."));
	SHOW("rmdir d/sub/..", rmdir("d/sub/.."));
	SHOW("unlink d/.", unlink("d/."));
	SHOW("unlink d/..", unlink("d/.."));
	SHOW("rename d/sub/. to y", rename("d/sub/.", "y"));
	SHOW("rename d/sub to d/.", rename("d/sub", "d/."));
	SHOW("rename d/sub to d/..", rename("d/sub", "d/.."));
	SHOW("link f to d/.", link("f", "d/."));
	SHOW("symlink to d/..", symlink("f", "d/.."));
	SHOW("open d/. O_CREAT", open("d/.", O_RDWR | O_CREAT, 0644));
	SHOW("open d/. O_CREAT read-only", open("d/.", O_RDONLY | O_CREAT, 0644));
	SHOW("mknod d/.", mknod("d/.", S_IFIFO | 0644, 0));
	printf("d/sub is: %s\n", kind("d/sub"));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	abi_write_file("f", "F");
	abi_write_file("f2", "2");
	on_a_file();
	on_a_missing_name();
	on_symlinks();
	dots();
	abi_scratch_leave();
	return 0;
}
