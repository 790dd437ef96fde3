/* statx against stat: the basic fields agree for a file, a directory,
 * a symlink (followed and not), a device and an open fd (AT_EMPTY_PATH),
 * the basic stats are always in stx_mask, and the rejected arguments
 * (EINVAL for flags, a sync type of both kinds and the reserved mask
 * bit; ENOENT, EFAULT, EBADF). Through syscall(2): musl has no statx. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

struct ts {
	int64_t sec;
	uint32_t nsec;
	int32_t reserved;
};

/* struct statx, written out (musl's headers have none). */
struct sx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, spare0;
	uint64_t ino, size, blocks, attributes_mask;
	struct ts atime, btime, ctime, mtime;
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

#define BASIC 0x7ffu
#define NOFOLLOW 0x100
#define EMPTY_PATH 0x1000

static long sys_statx(int dirfd, const char *path, int flags, unsigned mask,
		      struct sx *buf)
{
	return syscall(SYS_statx, dirfd, path, flags, mask, buf);
}

/* Whether statx and (l)stat agree on path. */
static void agree(const char *label, int dirfd, const char *path, int flags)
{
	struct sx x;
	struct stat st;
	long r = sys_statx(dirfd, path, flags, BASIC, &x);
	int same;

	if (r) {
		SHOW(label, r);
		return;
	}
	if (flags & EMPTY_PATH)
		fstat(dirfd, &st);
	else if (flags & NOFOLLOW)
		lstat(path, &st);
	else
		stat(path, &st);
	same = x.mode == st.st_mode && x.nlink == st.st_nlink &&
	       x.uid == st.st_uid && x.gid == st.st_gid &&
	       x.ino == st.st_ino && x.size == (uint64_t)st.st_size &&
	       x.blocks == (uint64_t)st.st_blocks &&
	       x.mtime.sec == st.st_mtim.tv_sec &&
	       x.mtime.nsec == st.st_mtim.tv_nsec &&
	       x.ctime.sec == st.st_ctim.tv_sec &&
	       x.rdev_major == major(st.st_rdev) &&
	       x.rdev_minor == minor(st.st_rdev) &&
	       x.dev_major == major(st.st_dev) &&
	       x.dev_minor == minor(st.st_dev) && x.blksize == (uint32_t)st.st_blksize;
	printf("%s: agrees %s, basic stats %s\n", label, same ? "yes" : "no",
	       (x.mask & BASIC) == BASIC ? "yes" : "no");
}

int main(void)
{
	struct sx x;
	int fd;

	abi_scratch_enter();
	abi_write_file("f", "some data");
	mkdir("d", 0750);
	symlink("f", "l");
	agree("file", AT_FDCWD, "f", 0);
	agree("directory", AT_FDCWD, "d", 0);
	agree("symlink followed", AT_FDCWD, "l", 0);
	agree("symlink itself", AT_FDCWD, "l", NOFOLLOW);
	agree("/dev/null", AT_FDCWD, "/dev/null", 0);
	fd = open("f", O_RDONLY);
	agree("open fd, AT_EMPTY_PATH", fd, "", EMPTY_PATH);
	SHOW("a mask of 0 still fills", sys_statx(AT_FDCWD, "f", 0, 0, &x));
	abi_yes("type and size there", (x.mask & 0x201) == 0x201 && x.size == 9);
	SHOW("empty path without the flag", sys_statx(fd, "", 0, BASIC, &x));
	close(fd);
	SHOW("bad flag", sys_statx(AT_FDCWD, "f", 0x1, BASIC, &x));
	SHOW("both sync types", sys_statx(AT_FDCWD, "f", 0x6000, BASIC, &x));
	SHOW("force sync", sys_statx(AT_FDCWD, "f", 0x2000, BASIC, &x));
	SHOW("reserved mask bit", sys_statx(AT_FDCWD, "f", 0, 0x80000000u, &x));
	SHOW("missing", sys_statx(AT_FDCWD, "none", 0, BASIC, &x));
	SHOW("bad buffer", sys_statx(AT_FDCWD, "f", 0, BASIC, (void *)8));
	SHOW("bad path", syscall(SYS_statx, AT_FDCWD, (char *)8, 0, BASIC, &x));
	SHOW("bad dirfd", sys_statx(999, "f", 0, BASIC, &x));
	abi_scratch_leave();
	return 0;
}
