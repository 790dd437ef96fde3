/* Changing attributes: chmod, fchmod, fchmodat, umask, access,
 * faccessat, faccessat2 (as root: everything but executing a file without
 * an execute bit), utimensat (UTIME_NOW, UTIME_OMIT, exact times,
 * symlinks) and truncate/ftruncate. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

static void show_mode(const char *label, const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		SHOW(label, -1);
	else
		printf("%s: %o\n", label, (unsigned)st.st_mode & 07777);
}

static void modes(void)
{
	int fd;

	abi_write_file("f", "data");
	SHOW("chmod", chmod("f", 0751));
	show_mode("mode", "f");
	SHOW("chmod keeps only 07777", chmod("f", 0177777));
	show_mode("mode", "f");
	SHOW("chmod missing", chmod("none", 0644));
	SHOW("chmod bad pointer", syscall(SYS_fchmodat, AT_FDCWD, (char *)8, 0644));
	fd = open("f", O_RDONLY);
	SHOW("fchmod on a read-only fd", fchmod(fd, 0640));
	show_mode("mode", "f");
	close(fd);
	SHOW("fchmod bad fd", fchmod(999, 0644));
	mkdir("d", 0755);
	fd = open("d", O_RDONLY | O_DIRECTORY);
	SHOW("fchmodat relative", fchmodat(fd, "../f", 0604, 0));
	show_mode("mode", "f");
	close(fd);
	symlink("f", "l");
	SHOW("chmod follows a symlink", chmod("l", 0644));
	show_mode("target mode", "f");
	show_mode("symlink mode", "l");
	SHOW("chmod a directory", chmod("d", 0700));
	show_mode("directory mode", "d");
	SHOW("umask", umask(027));
	SHOW("umask again", umask(0777777));
	SHOW("umask keeps 0777", umask(022));
	mkdir("masked", 0777);
	show_mode("mkdir under umask 022", "masked");
}

static void accesses(void)
{
	abi_write_file("r", "x");
	chmod("r", 0000);
	SHOW("F_OK", access("r", F_OK));
	SHOW("R_OK of a 000 file as root", access("r", R_OK));
	SHOW("W_OK of a 000 file as root", access("r", W_OK));
	SHOW("X_OK of a 000 file as root", access("r", X_OK));
	chmod("r", 0100);
	SHOW("X_OK with the owner's x bit", access("r", X_OK));
	chmod("r", 0001);
	SHOW("X_OK with only the other x bit", access("r", X_OK));
	SHOW("X_OK of a directory", access("d", X_OK));
	SHOW("missing", access("none", F_OK));
	SHOW("through a file", access("r/x", F_OK));
	SHOW("bad mode", access("r", 8));
	SHOW("bad pointer", syscall(SYS_faccessat, AT_FDCWD, (char *)8, F_OK));
	SHOW("faccessat", faccessat(AT_FDCWD, "r", R_OK, 0));
	SHOW("faccessat2 AT_EACCESS",
	     syscall(SYS_faccessat2, AT_FDCWD, "r", R_OK, AT_EACCESS));
	SHOW("faccessat2 AT_SYMLINK_NOFOLLOW on a dangling link",
	     (symlink("none", "dl"),
	      syscall(SYS_faccessat2, AT_FDCWD, "dl", F_OK, AT_SYMLINK_NOFOLLOW)));
	SHOW("faccessat2 following it",
	     syscall(SYS_faccessat2, AT_FDCWD, "dl", F_OK, 0));
	SHOW("faccessat2 bad flag", syscall(SYS_faccessat2, AT_FDCWD, "r", F_OK, 0x1));
	SHOW("faccessat2 AT_EMPTY_PATH", ({
		int fd = open("r", O_PATH);
		long r = syscall(SYS_faccessat2, fd, "", F_OK, AT_EMPTY_PATH);
		close(fd);
		r;
	}));
}

static void times(void)
{
	struct timespec ts[2] = { { 1000000000, 123456789 },
				  { 1500000000, 987654321 } };
	struct timespec now = { 0, UTIME_NOW }, omit = { 0, UTIME_OMIT };
	struct stat st, before;
	int fd;

	abi_write_file("t", "x");
	SHOW("utimensat exact", utimensat(AT_FDCWD, "t", ts, 0));
	stat("t", &st);
	printf("atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0] = omit;
	ts[1].tv_sec = 1600000000;
	SHOW("utimensat UTIME_OMIT atime", utimensat(AT_FDCWD, "t", ts, 0));
	stat("t", &st);
	printf("atime %ld mtime %ld\n", (long)st.st_atim.tv_sec,
	       (long)st.st_mtim.tv_sec);
	before = st;
	ts[0] = now;
	ts[1] = omit;
	SHOW("utimensat UTIME_NOW atime", utimensat(AT_FDCWD, "t", ts, 0));
	stat("t", &st);
	abi_yes("atime is now", st.st_atim.tv_sec > 1600000000);
	abi_yes("mtime kept", st.st_mtim.tv_sec == before.st_mtim.tv_sec);
	SHOW("utimensat NULL (both now)", utimensat(AT_FDCWD, "t", NULL, 0));
	stat("t", &st);
	abi_yes("mtime is now", st.st_mtim.tv_sec > 1600000000);
	ts[0].tv_sec = 5;
	ts[0].tv_nsec = 1000000000;
	SHOW("utimensat bad nsec", utimensat(AT_FDCWD, "t", ts, 0));
	ts[0].tv_nsec = -1;
	SHOW("utimensat negative nsec", utimensat(AT_FDCWD, "t", ts, 0));
	SHOW("utimensat bad flag", utimensat(AT_FDCWD, "t", NULL, 0x1));
	SHOW("utimensat missing", utimensat(AT_FDCWD, "none", NULL, 0));
	SHOW("utimensat bad times pointer",
	     syscall(SYS_utimensat, AT_FDCWD, "t", (void *)8, 0));
	symlink("t", "tl");
	ts[0] = (struct timespec){ 2000000, 0 };
	ts[1] = (struct timespec){ 3000000, 0 };
	SHOW("utimensat AT_SYMLINK_NOFOLLOW",
	     utimensat(AT_FDCWD, "tl", ts, AT_SYMLINK_NOFOLLOW));
	lstat("tl", &st);
	SHOW("symlink mtime", (long)st.st_mtim.tv_sec);
	stat("tl", &st);
	abi_yes("target untouched", st.st_mtim.tv_sec != 3000000);
	fd = open("t", O_RDONLY);
	SHOW("futimens", futimens(fd, ts));
	fstat(fd, &st);
	SHOW("its mtime", (long)st.st_mtim.tv_sec);
	SHOW("utimensat fd with a NULL path", syscall(SYS_utimensat, fd, NULL, ts, 0));
	close(fd);
	SHOW("futimens bad fd", futimens(999, ts));
}

static void truncation(void)
{
	struct stat st;
	int fd;

	abi_write_file("s", "0123456789");
	SHOW("truncate shorter", truncate("s", 4));
	stat("s", &st);
	SHOW("size", (long)st.st_size);
	SHOW("truncate longer", truncate("s", 8192));
	stat("s", &st);
	SHOW("size", (long)st.st_size);
	SHOW("truncate negative", truncate("s", -1));
	SHOW("truncate a directory", truncate("d", 0));
	SHOW("truncate missing", truncate("none", 0));
	fd = open("s", O_RDONLY);
	SHOW("ftruncate read-only", ftruncate(fd, 0));
	close(fd);
	fd = open("s", O_RDWR);
	SHOW("ftruncate", ftruncate(fd, 2));
	SHOW("ftruncate negative", ftruncate(fd, -5));
	fstat(fd, &st);
	SHOW("size", (long)st.st_size);
	close(fd);
	fd = open("d", O_RDONLY);
	SHOW("ftruncate a directory", ftruncate(fd, 0));
	close(fd);
	SHOW("ftruncate bad fd", ftruncate(999, 0));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	modes();
	accesses();
	times();
	truncation();
	abi_scratch_leave();
	return 0;
}
