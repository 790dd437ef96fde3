/* open, openat, creat and close: which flags create, truncate, append
 * and refuse, what F_GETFL keeps, the umask, *at() directory fds and the
 * errors (ENOENT, ENOTDIR, EISDIR, EEXIST, ELOOP, EBADF, EFAULT). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static void show_mode(const char *label, const char *path)
{
	struct stat st;

	if (stat(path, &st))
		SHOW(label, -1);
	else
		printf("%s: %o\n", label, (unsigned)st.st_mode & 07777);
}

static void create_and_exclusive(void)
{
	int fd = open("f", O_RDWR | O_CREAT | O_EXCL, 0640);
	char buf[16] = "";

	abi_yes("create O_EXCL", fd >= 0);
	show_mode("mode 0640 under umask 022", "f");
	SHOW("O_EXCL again", open("f", O_RDWR | O_CREAT | O_EXCL, 0600));
	SHOW("write", write(fd, "hello", 5));
	close(fd);
	fd = open("f", O_RDWR | O_CREAT, 0600);
	SHOW("O_CREAT on existing keeps data", read(fd, buf, sizeof(buf)));
	close(fd);
	fd = open("f", O_RDWR | O_TRUNC);
	SHOW("size after O_TRUNC", lseek(fd, 0, SEEK_END));
	close(fd);
	fd = open("f", O_RDONLY | O_TRUNC);
	SHOW("O_RDONLY|O_TRUNC opens", fd >= 0);
	close(fd);
	umask(077);
	fd = open("g", O_WRONLY | O_CREAT, 0666);
	show_mode("mode 0666 under umask 077", "g");
	close(fd);
	umask(022);
	fd = creat("h", 0644);
	SHOW("creat is write-only", fcntl(fd, F_GETFL) & O_ACCMODE);
	SHOW("read from creat fd", read(fd, buf, 1));
	close(fd);
}

static void flags_kept(void)
{
	int fd = open("f", O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC);
	int fl = fcntl(fd, F_GETFL);

	SHOW("F_GETFL access", fl & O_ACCMODE);
	abi_yes("F_GETFL O_APPEND", fl & O_APPEND);
	abi_yes("F_GETFL O_NONBLOCK", fl & O_NONBLOCK);
	abi_yes("F_GETFL no O_CREAT", !(fl & O_CREAT));
	abi_yes("F_GETFL no O_CLOEXEC", !(fl & O_CLOEXEC));
	SHOW("F_GETFD cloexec", fcntl(fd, F_GETFD));
	SHOW("append write", write(fd, "!", 1));
	SHOW("position at end", lseek(fd, 0, SEEK_CUR));
	close(fd);
	fd = open("f", O_RDONLY);
	SHOW("F_GETFD without O_CLOEXEC", fcntl(fd, F_GETFD));
	close(fd);
}

static void errors(void)
{
	char buf[4];
	int fd;

	mkdir("d", 0755);
	symlink("f", "lnk");
	symlink("missing", "dangling");
	SHOW("missing", open("nothere", O_RDONLY));
	SHOW("missing directory", open("nodir/f", O_RDONLY));
	SHOW("file as directory", open("f/x", O_RDONLY));
	SHOW("trailing slash on a file", open("f/", O_RDONLY));
	SHOW("O_DIRECTORY on a file", open("f", O_RDONLY | O_DIRECTORY));
	SHOW("directory O_WRONLY", open("d", O_WRONLY));
	SHOW("directory O_RDWR", open("d", O_RDWR));
	SHOW("directory O_CREAT", open("d", O_RDONLY | O_CREAT, 0644));
	SHOW("O_CREAT with trailing slash", open("new/", O_RDWR | O_CREAT, 0644));
	SHOW("O_CREAT|O_EXCL on a symlink", open("lnk", O_RDWR | O_CREAT | O_EXCL, 0644));
	SHOW("O_NOFOLLOW on a symlink", open("lnk", O_RDONLY | O_NOFOLLOW));
	SHOW("dangling symlink", open("dangling", O_RDONLY));
	fd = open("dangling", O_RDWR | O_CREAT, 0644);
	abi_yes("O_CREAT through a dangling symlink", fd >= 0);
	close(fd);
	SHOW("its target now exists", access("missing", F_OK));
	SHOW("empty path", open("", O_RDONLY));
	SHOW("bad pointer", syscall(SYS_openat, AT_FDCWD, (char *)8, O_RDONLY));
	fd = open("d", O_RDONLY | O_DIRECTORY);
	SHOW("directory read", read(fd, buf, sizeof(buf)));
	SHOW("directory write", write(fd, buf, 1));
	close(fd);
	SHOW("close a bad fd", close(999));
	SHOW("close a negative fd", close(-1));
	fd = open("f", O_RDONLY);
	close(fd);
	SHOW("close twice", close(fd));
}

static void at_calls(void)
{
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	int ffd = open("f", O_RDONLY);
	int fd;

	fd = openat(dfd, "inner", O_RDWR | O_CREAT, 0644);
	abi_yes("openat relative to a directory fd", fd >= 0);
	close(fd);
	SHOW("it is in the directory", access("d/inner", F_OK));
	fd = openat(ffd, "/tmp", O_RDONLY);
	abi_yes("absolute path ignores dirfd", fd >= 0);
	close(fd);
	SHOW("openat on a file fd", openat(ffd, "x", O_RDONLY));
	SHOW("openat on a bad fd", openat(999, "x", O_RDONLY));
	fd = openat(AT_FDCWD, "f", O_RDONLY);
	abi_yes("openat AT_FDCWD", fd >= 0);
	close(fd);
	close(dfd);
	close(ffd);
}

static void o_path(void)
{
	char buf[4];
	struct stat st;
	int fd = open("f", O_PATH);

	abi_yes("O_PATH opens", fd >= 0);
	SHOW("O_PATH read", read(fd, buf, 1));
	SHOW("O_PATH write", write(fd, buf, 1));
	SHOW("O_PATH fstat", fstat(fd, &st));
	SHOW("O_PATH F_GETFL", fcntl(fd, F_GETFL) & ~0100000 /* O_LARGEFILE */);
	close(fd);
	fd = open("lnk", O_PATH | O_NOFOLLOW);
	abi_yes("O_PATH|O_NOFOLLOW on a symlink", fd >= 0);
	fstat(fd, &st);
	abi_yes("it is the symlink", S_ISLNK(st.st_mode));
	close(fd);
	SHOW("O_PATH|O_DIRECTORY on a file", open("f", O_PATH | O_DIRECTORY));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	create_and_exclusive();
	flags_kept();
	errors();
	at_calls();
	o_path();
	abi_scratch_leave();
	return 0;
}
