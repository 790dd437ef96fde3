/* O_PATH descriptors call by call: what they may do (fstat, fstatfs,
 * fchdir, *at() lookups, dup, close, fcntl F_GETFD/F_SETFD/F_GETFL/
 * F_DUPFD, readlinkat and fstatat on a symlink opened with O_NOFOLLOW,
 * opening a file the caller may not read, in a child as a user) and what
 * is EBADF (read, write, lseek, fchmod, fchown, ftruncate, fsync, ioctl,
 * mmap, getdents64, flock, F_SETFL, F_SETLK, fgetxattr), and which open
 * flags O_PATH keeps. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

#define FL(fd) (fcntl((fd), F_GETFL) & ~0100000 /* O_LARGEFILE */)

static void allowed(void)
{
	struct stat st;
	struct statfs sfs;
	int fd = open("f", O_PATH), dfd = open("d", O_PATH), cwd, fd2;

	SHOW("fstat", fstat(fd, &st));
	SHOW("size", (long)st.st_size);
	SHOW("fstatfs", fstatfs(fd, &sfs));
	SHOW("fstatat AT_EMPTY_PATH", fstatat(fd, "", &st, AT_EMPTY_PATH));
	SHOW("F_GETFD", fcntl(fd, F_GETFD));
	SHOW("F_SETFD", fcntl(fd, F_SETFD, FD_CLOEXEC));
	SHOW("F_GETFD after it", fcntl(fd, F_GETFD));
	fd2 = fcntl(fd, F_DUPFD, 0);
	abi_yes("F_DUPFD", fd2 >= 0);
	SHOW("the copy's F_GETFL", FL(fd2));
	close(fd2);
	fd2 = dup(fd);
	abi_yes("dup", fd2 >= 0);
	SHOW("close the dup", close(fd2));
	SHOW("openat below a directory fd", (fd2 = openat(dfd, "in", O_RDONLY)) >= 0);
	close(fd2);
	SHOW("faccessat below it", faccessat(dfd, "in", R_OK, 0));
	SHOW("openat on a file fd", openat(fd, "x", O_RDONLY));
	cwd = open(".", O_RDONLY | O_DIRECTORY);
	SHOW("fchdir", fchdir(dfd));
	SHOW("now inside", access("in", F_OK));
	fchdir(cwd);
	SHOW("fchdir to a file", fchdir(fd));
	close(cwd);
	close(fd);
	close(dfd);
}

static void refused(void)
{
	char buf[8];
	int fd = open("f", O_PATH), dfd = open("d", O_PATH | O_DIRECTORY), n;
	struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

	SHOW("read", read(fd, buf, 1));
	SHOW("write", write(fd, "x", 1));
	SHOW("pread", pread(fd, buf, 1, 0));
	SHOW("lseek", lseek(fd, 0, SEEK_SET));
	SHOW("fchmod", fchmod(fd, 0600));
	SHOW("fchown", fchown(fd, 0, 0));
	SHOW("ftruncate", ftruncate(fd, 0));
	SHOW("fsync", fsync(fd));
	SHOW("fdatasync", fdatasync(fd));
	SHOW("ioctl FIONREAD", ioctl(fd, FIONREAD, &n));
	SHOW("ioctl FIOCLEX", ioctl(fd, FIOCLEX));
	SHOW("mmap", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0) == MAP_FAILED ? -1 : 0);
	SHOW("getdents64", syscall(SYS_getdents64, dfd, buf, sizeof(buf)));
	SHOW("flock", flock(fd, LOCK_SH));
	SHOW("F_SETFL", fcntl(fd, F_SETFL, O_NONBLOCK));
	SHOW("F_SETLK", fcntl(fd, F_SETLK, &lk));
	SHOW("F_GETLK", fcntl(fd, F_GETLK, &lk));
	SHOW("fgetxattr", fgetxattr(fd, "user.x", buf, sizeof(buf)));
	SHOW("fchownat AT_EMPTY_PATH works", syscall(SYS_fchownat, fd, "", -1, -1, AT_EMPTY_PATH));
	SHOW("fstat size unchanged", ({
		struct stat st;
		fstat(fd, &st);
		(long)st.st_size;
	}));
	close(fd);
	close(dfd);
}

static void flags(void)
{
	struct stat st;
	char buf[16] = "";
	int fd;

	fd = open("f", O_PATH | O_RDWR | O_APPEND | O_NONBLOCK | O_TRUNC);
	SHOW("O_PATH|O_RDWR|O_APPEND|O_NONBLOCK|O_TRUNC F_GETFL", FL(fd));
	SHOW("O_TRUNC ignored", (fstat(fd, &st), (long)st.st_size));
	close(fd);
	fd = open("f", O_PATH | O_CLOEXEC);
	SHOW("O_PATH|O_CLOEXEC F_GETFD", fcntl(fd, F_GETFD));
	close(fd);
	SHOW("O_PATH|O_CREAT of a new name", open("new", O_PATH | O_CREAT, 0644));
	SHOW("O_PATH|O_CREAT of an existing file", (fd = open("f", O_PATH | O_CREAT, 0644)) >= 0);
	close(fd);
	SHOW("new exists", access("new", F_OK));
	SHOW("O_PATH|O_DIRECTORY on a file", open("f", O_PATH | O_DIRECTORY));
	SHOW("O_PATH on a dangling symlink", open("dl", O_PATH));
	fd = open("dl", O_PATH | O_NOFOLLOW);
	abi_yes("O_PATH|O_NOFOLLOW on a dangling symlink", fd >= 0);
	fstat(fd, &st);
	abi_yes("it is the symlink", S_ISLNK(st.st_mode));
	SHOW("readlinkat with an empty path", readlinkat(fd, "", buf, sizeof(buf)));
	printf("target: %s\n", buf);
	SHOW("fstatat AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW",
	     fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
	abi_yes("still the symlink", S_ISLNK(st.st_mode));
	SHOW("openat on it", openat(fd, "", O_RDONLY));
	close(fd);
	fd = open("/dev/null", O_PATH);
	SHOW("write to a /dev/null O_PATH", write(fd, "x", 1));
	close(fd);
}

static void as_user(void)
{
	int fd;

	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("open O_RDONLY without read permission", open("secret", O_RDONLY));
	fd = open("secret", O_PATH);
	abi_yes("open O_PATH without read permission", fd >= 0);
	SHOW("fstat it", ({
		struct stat st;
		fstat(fd, &st) ? -1L : (long)(st.st_mode & 07777);
	}));
	close(fd);
	SHOW("O_PATH in a directory without search permission",
	     open("closed/f", O_PATH));
	fd = open("closed", O_PATH);
	abi_yes("O_PATH of that directory", fd >= 0);
	SHOW("fchdir to it", fchdir(fd));
	close(fd);
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	abi_write_file("f", "0123456789");
	mkdir("d", 0755);
	abi_write_file("d/in", "in");
	symlink("nowhere", "dl");
	allowed();
	refused();
	flags();
	abi_write_file("secret", "s");
	chmod("secret", 0600);
	mkdir("closed", 0700);
	abi_write_file("closed/f", "f");
	chmod(".", 0755);
	abi_in_child("user", as_user);
	abi_scratch_leave();
	return 0;
}
