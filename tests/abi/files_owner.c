/* chown, lchown, fchown and fchownat as root: new owners, -1 keeping
 * one, the set-uid bit (and a group-executable set-gid bit) dropped from
 * files but not directories, symlinks themselves (lchown,
 * AT_SYMLINK_NOFOLLOW), AT_EMPTY_PATH, ctime moving, and the errors. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static void show(const char *label, const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		SHOW(label, -1);
	else
		printf("%s: mode %o uid %u gid %u\n", label,
		       (unsigned)st.st_mode & 07777, (unsigned)st.st_uid,
		       (unsigned)st.st_gid);
}

int main(void)
{
	struct stat before, after;
	struct timespec start, now;
	int fd;

	abi_scratch_enter();
	abi_write_file("f", "x");
	SHOW("chown", chown("f", 100, 200));
	show("f", "f");
	SHOW("chown -1 -1", chown("f", -1, -1));
	SHOW("chown uid only", chown("f", 5, -1));
	show("f", "f");
	chmod("f", 06755);
	SHOW("chown keeping both", chown("f", -1, -1));
	show("set-uid and set-gid dropped", "f");
	chmod("f", 06745);
	chown("f", 7, -1);
	show("set-gid without group x stays", "f");
	mkdir("d", 0755);
	chmod("d", 06755);
	SHOW("chown a directory", chown("d", 3, 3));
	show("d", "d");
	symlink("f", "l");
	SHOW("lchown", lchown("l", 9, 9));
	show("the link", "l");
	show("its target", "f");
	SHOW("chown follows", chown("l", 11, 12));
	show("its target", "f");
	SHOW("fchownat AT_SYMLINK_NOFOLLOW",
	     fchownat(AT_FDCWD, "l", 13, 14, AT_SYMLINK_NOFOLLOW));
	show("the link", "l");
	fd = open("f", O_RDONLY);
	SHOW("fchown", fchown(fd, 21, 22));
	show("f", "f");
	SHOW("fchownat AT_EMPTY_PATH", fchownat(fd, "", 23, 24, AT_EMPTY_PATH));
	show("f", "f");
	fstat(fd, &before);
	clock_gettime(CLOCK_REALTIME, &start);
	do
		clock_gettime(CLOCK_REALTIME, &now);
	while ((now.tv_sec - start.tv_sec) * 1000000000l +
		       (now.tv_nsec - start.tv_nsec) < 20000000);
	fchown(fd, -1, -1);
	fstat(fd, &after);
	abi_yes("ctime moves even for -1 -1",
		after.st_ctim.tv_sec > before.st_ctim.tv_sec ||
		(after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
		 after.st_ctim.tv_nsec > before.st_ctim.tv_nsec));
	close(fd);
	fd = open("f", O_PATH);
	SHOW("fchownat on an O_PATH fd, empty path",
	     fchownat(fd, "", 1, 1, AT_EMPTY_PATH));
	close(fd);
	SHOW("chown missing", chown("none", 0, 0));
	SHOW("fchown bad fd", fchown(999, 0, 0));
	SHOW("fchownat bad flag", fchownat(AT_FDCWD, "f", 0, 0, 0x1));
	SHOW("chown bad pointer", syscall(SYS_fchownat, AT_FDCWD, (char *)8, 0, 0, 0));
	chown("f", 0, 0);
	chown("d", 0, 0);
	abi_scratch_leave();
	return 0;
}
