/* Changing time stamps as a user (files_attr.c has root's calls): setting
 * both to now needs ownership or write permission (EACCES otherwise),
 * setting an exact time, or one now and one exact, needs ownership
 * (EPERM), omitting both needs nothing; utimes(2) and utime(2) through
 * the same rules; UTIME_NOW with a tv_sec that is ignored; futimens on a
 * read-only fd (the file's permission decides, not the fd's mode); ctime
 * moves with each change (compared with times set in the past, never
 * printed as such). User steps run in children. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

static const struct timespec past[2] = { { 1000, 100 }, { 2000, 200 } };

static void times_of(const char *label, const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		abi_show(label, -1);
		return;
	}
	printf("%s: atime %s mtime %s\n", label,
	       st.st_atim.tv_sec == 1000 ? "past" :
	       st.st_atim.tv_sec > 100000 ? "now" : "set",
	       st.st_mtim.tv_sec == 2000 ? "past" :
	       st.st_mtim.tv_sec > 100000 ? "now" : "set");
}

static void reset(const char *path)
{
	utimensat(AT_FDCWD, path, past, 0);
}

static void as_user(void)
{
	struct timespec ts[2];
	struct timeval tv[2] = { { 5000, 0 }, { 6000, 0 } };
	struct utimbuf ub = { 7000, 8000 };
	int fd;

	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("writable: NULL (both now)", utimensat(AT_FDCWD, "w", NULL, 0));
	times_of("w", "w");
	ts[0] = ts[1] = (struct timespec){ 12345, UTIME_NOW };
	SHOW("writable: both UTIME_NOW (tv_sec ignored)", utimensat(AT_FDCWD, "w", ts, 0));
	ts[0] = (struct timespec){ 3000, 0 };
	ts[1] = (struct timespec){ 0, UTIME_OMIT };
	SHOW("writable: an exact atime", utimensat(AT_FDCWD, "w", ts, 0));
	ts[0] = (struct timespec){ 0, UTIME_NOW };
	ts[1] = (struct timespec){ 0, UTIME_OMIT };
	SHOW("writable: atime now, mtime omitted", utimensat(AT_FDCWD, "w", ts, 0));
	ts[0] = ts[1] = (struct timespec){ 0, UTIME_OMIT };
	SHOW("writable: both omitted", utimensat(AT_FDCWD, "w", ts, 0));
	SHOW("writable: utimes NULL", utimes("w", NULL));
	SHOW("writable: utimes exact", utimes("w", tv));
	SHOW("writable: utime NULL", utime("w", NULL));
	SHOW("writable: utime exact", utime("w", &ub));
	SHOW("read-only: NULL", utimensat(AT_FDCWD, "r", NULL, 0));
	SHOW("read-only: exact", utimensat(AT_FDCWD, "r", past, 0));
	ts[0] = ts[1] = (struct timespec){ 0, UTIME_OMIT };
	SHOW("read-only: both omitted", utimensat(AT_FDCWD, "r", ts, 0));
	times_of("r", "r");
	SHOW("own read-only: exact", utimensat(AT_FDCWD, "mine", past, 0));
	times_of("mine", "mine");
	SHOW("own read-only: NULL", utimensat(AT_FDCWD, "mine", NULL, 0));
	times_of("mine", "mine");
	fd = open("w", O_RDONLY);
	SHOW("futimens NULL on a read-only fd of a writable file", futimens(fd, NULL));
	SHOW("futimens exact on it", futimens(fd, past));
	close(fd);
	SHOW("missing", utimensat(AT_FDCWD, "none", NULL, 0));
	SHOW("in a directory without search permission",
	     utimensat(AT_FDCWD, "closed/f", NULL, 0));
}

static void ctimes(void)
{
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
	struct stat a, b;

	abi_write_file("c", "c");
	stat("c", &a);
	utimensat(AT_FDCWD, "c", past, 0);
	stat("c", &b);
	abi_yes("ctime after setting past times is not in the past",
		b.st_ctim.tv_sec >= a.st_ctim.tv_sec);
	times_of("c", "c");
	SHOW("both omitted", utimensat(AT_FDCWD, "c", ts, 0));
	times_of("c", "c");
	ts[1] = (struct timespec){ 0, UTIME_NOW };
	SHOW("mtime now", utimensat(AT_FDCWD, "c", ts, 0));
	times_of("c", "c");
	SHOW("the raw call with NULL times", syscall(SYS_utimensat, AT_FDCWD, "c", NULL, 0));
	times_of("c", "c");
}

int main(void)
{
	abi_scratch_enter();
	umask(0);
	chmod(".", 0755);
	abi_write_file("w", "w");
	chmod("w", 0666);
	abi_write_file("r", "r");
	chmod("r", 0644);
	abi_write_file("mine", "m");
	chown("mine", 1000, 1000);
	chmod("mine", 0444);
	mkdir("closed", 0700);
	abi_write_file("closed/f", "f");
	chmod("closed/f", 0666);
	reset("w");
	reset("r");
	reset("mine");
	abi_in_child("user", as_user);
	times_of("w", "w");
	times_of("r", "r");
	ctimes();
	abi_scratch_leave();
	return 0;
}
