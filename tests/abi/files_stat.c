/* stat, lstat, fstat, newfstatat (AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW)
 * types, permission bits, owners, sizes, link counts, inode
 * identity and how the time stamps move (compared, never printed). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static const char *type(mode_t m)
{
	return S_ISREG(m) ? "regular" : S_ISDIR(m) ? "directory" :
	       S_ISLNK(m) ? "symlink" : S_ISFIFO(m) ? "fifo" :
	       S_ISCHR(m) ? "char" : "other";
}

static void show_stat(const char *label, const struct stat *st)
{
	printf("%s: %s %o uid %u gid %u nlink %lu\n", label,
	       type(st->st_mode), (unsigned)st->st_mode & 07777,
	       (unsigned)st->st_uid, (unsigned)st->st_gid,
	       (unsigned long)st->st_nlink);
}

static int ts_cmp(struct timespec a, struct timespec b)
{
	if (a.tv_sec != b.tv_sec)
		return a.tv_sec < b.tv_sec ? -1 : 1;
	return a.tv_nsec < b.tv_nsec ? -1 : a.tv_nsec > b.tv_nsec;
}

static void kinds(void)
{
	struct stat st;
	int fd;

	abi_write_file("f", "12345");
	mkdir("d", 0700);
	symlink("f", "l");
	mkfifo("p", 0600);
	stat("f", &st);
	show_stat("file", &st);
	SHOW("file size", (long)st.st_size);
	abi_yes("blocks for data", st.st_blocks > 0);
	abi_yes("blksize", st.st_blksize > 0);
	stat("d", &st);
	show_stat("directory", &st);
	lstat("l", &st);
	show_stat("symlink", &st);
	SHOW("symlink size", (long)st.st_size);
	stat("l", &st);
	show_stat("symlink followed", &st);
	lstat("p", &st);
	show_stat("fifo", &st);
	stat("/dev/null", &st);
	/* Its owner is the host's business (a container maps it away). */
	printf("/dev/null: %s %o\n", type(st.st_mode),
	       (unsigned)st.st_mode & 07777);
	printf("rdev: %u:%u\n", major(st.st_rdev), minor(st.st_rdev));
	fd = open("f", O_RDONLY);
	SHOW("fstat", fstat(fd, &st));
	show_stat("fstat file", &st);
	SHOW("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
	SHOW("fstatat empty path without the flag", fstatat(fd, "", &st, 0));
	SHOW("fstatat bad flag", fstatat(AT_FDCWD, "f", &st, 0x1));
	SHOW("fstat bad fd", fstat(999, &st));
	SHOW("fstat bad pointer", syscall(SYS_fstat, fd, (void *)8));
	close(fd);
	SHOW("fstatat AT_SYMLINK_NOFOLLOW",
	     fstatat(AT_FDCWD, "l", &st, AT_SYMLINK_NOFOLLOW));
	abi_yes("is the symlink", S_ISLNK(st.st_mode));
	SHOW("stat missing", stat("none", &st));
	SHOW("stat through a file", stat("f/x", &st));
	SHOW("stat bad path pointer", syscall(SYS_newfstatat, AT_FDCWD, (char *)8, &st, 0));
	SHOW("stat bad buffer", syscall(SYS_newfstatat, AT_FDCWD, "f", (void *)8, 0));
}

static void identity(void)
{
	struct stat a, b, c;

	abi_write_file("one", "1");
	abi_write_file("two", "2");
	link("one", "same");
	stat("one", &a);
	stat("two", &b);
	stat("same", &c);
	abi_yes("different files, different inodes", a.st_ino != b.st_ino);
	abi_yes("links share an inode", a.st_ino == c.st_ino);
	abi_yes("one device", a.st_dev == b.st_dev);
}

/* Waits until the real-time clock has moved on by 20 ms (a spin: the
 * test must not need nanosleep), so that a time stamp taken now is later
 * than one taken before even where the file system stamps coarsely (a
 * 4 ms tick). */
static void clock_moves_on(void)
{
	struct timespec start, now;

	clock_gettime(CLOCK_REALTIME, &start);
	do
		clock_gettime(CLOCK_REALTIME, &now);
	while ((now.tv_sec - start.tv_sec) * 1000000000l +
		       (now.tv_nsec - start.tv_nsec) < 20000000);
}

static void times(void)
{
	struct stat before, after, dir_before, dir_after;
	int fd;

	abi_write_file("t", "x");
	stat("t", &before);
	stat(".", &dir_before);
	clock_moves_on();
	fd = open("t", O_WRONLY | O_APPEND);
	write(fd, "more", 4);
	fstat(fd, &after);
	close(fd);
	abi_yes("write moves mtime", ts_cmp(after.st_mtim, before.st_mtim) > 0);
	abi_yes("write moves ctime", ts_cmp(after.st_ctim, before.st_ctim) > 0);
	abi_yes("mtime equals ctime after a write",
		ts_cmp(after.st_mtim, after.st_ctim) == 0);
	before = after;
	clock_moves_on();
	chmod("t", 0600);
	stat("t", &after);
	abi_yes("chmod moves ctime", ts_cmp(after.st_ctim, before.st_ctim) > 0);
	abi_yes("chmod keeps mtime", ts_cmp(after.st_mtim, before.st_mtim) == 0);
	abi_write_file("new", "n");
	stat(".", &dir_after);
	abi_yes("creating a file moves the directory's mtime",
		ts_cmp(dir_after.st_mtim, dir_before.st_mtim) > 0);
	before = after;
	clock_moves_on();
	link("t", "t2");
	stat("t", &after);
	abi_yes("link moves ctime", ts_cmp(after.st_ctim, before.st_ctim) > 0);
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	kinds();
	identity();
	times();
	abi_scratch_leave();
	return 0;
}
