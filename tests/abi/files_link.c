/* Hard links and symlinks: link counts, unlinking an open file, linkat
 * flags, symlink targets read back (readlink truncates, never adds a
 * NUL), lstat against stat, and the errors (EEXIST, EPERM, ENOENT,
 * EINVAL). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static long nlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_nlink;
}

static void hard_links(void)
{
	struct stat a, b;
	char buf[16] = "";
	int fd;

	abi_write_file("f", "content");
	SHOW("link", link("f", "g"));
	SHOW("nlink", nlink("f"));
	stat("f", &a);
	stat("g", &b);
	abi_yes("same inode", a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	SHOW("link existing", link("f", "g"));
	SHOW("link missing", link("none", "h"));
	SHOW("link into a missing directory", link("f", "none/h"));
	mkdir("d", 0755);
	SHOW("link a directory", link("d", "d2"));
	SHOW("link with a trailing slash", link("f", "h/"));
	SHOW("unlink one name", unlink("f"));
	SHOW("nlink after unlink", nlink("g"));
	fd = open("g", O_RDONLY);
	SHOW("unlink the last name", unlink("g"));
	SHOW("read the open unlinked file", read(fd, buf, sizeof(buf)));
	fstat(fd, &a);
	SHOW("its nlink", (long)a.st_nlink);
	close(fd);
	SHOW("unlink missing", unlink("g"));
	SHOW("linkat bad flag", linkat(AT_FDCWD, "d", AT_FDCWD, "x", 0x1));
}

static void symlinks(void)
{
	char buf[64];
	struct stat st;
	int fd;

	abi_write_file("target", "T");
	SHOW("symlink", symlink("target", "sl"));
	SHOW("symlink existing", symlink("target", "sl"));
	SHOW("symlink empty target", symlink("", "empty"));
	SHOW("symlink bad pointer", syscall(SYS_symlinkat, (char *)8, AT_FDCWD, "x"));
	memset(buf, '#', sizeof(buf));
	SHOW("readlink", readlink("sl", buf, sizeof(buf)));
	printf("target: %.8s\n", buf);
	memset(buf, '#', sizeof(buf));
	SHOW("readlink short buffer", readlink("sl", buf, 3));
	printf("truncated: %.6s\n", buf);
	SHOW("readlink size 0", readlink("sl", buf, 0));
	SHOW("readlink a file", readlink("target", buf, sizeof(buf)));
	SHOW("readlink missing", readlink("none", buf, sizeof(buf)));
	SHOW("readlink bad pointer", syscall(SYS_readlinkat, AT_FDCWD, "sl", (char *)8, 64));
	lstat("sl", &st);
	abi_yes("lstat: a symlink", S_ISLNK(st.st_mode));
	SHOW("lstat size is the target length", (long)st.st_size);
	printf("symlink mode: %o\n", (unsigned)st.st_mode & 07777);
	stat("sl", &st);
	abi_yes("stat: the target file", S_ISREG(st.st_mode));
	SHOW("stat size", (long)st.st_size);
	symlink("nowhere", "dangling");
	SHOW("stat dangling", stat("dangling", &st));
	SHOW("lstat dangling", lstat("dangling", &st));
	SHOW("unlink a symlink", unlink("dangling"));
	SHOW("target stays", access("target", F_OK));
	mkdir("dir", 0755);
	abi_write_file("dir/inside", "I");
	symlink("dir", "dl");
	fd = open("dl/inside", O_RDONLY);
	abi_yes("through a symlink to a directory", fd >= 0);
	close(fd);
	SHOW("rmdir a symlink to a directory", rmdir("dl"));
	SHOW("unlink with a trailing slash", unlink("dl/"));
	symlink("../target", "dir/up");
	SHOW("relative target from its own directory", access("dir/up", F_OK));
	SHOW("link to a symlink (not followed)", link("sl", "hl"));
	lstat("hl", &st);
	abi_yes("the new name is the symlink", S_ISLNK(st.st_mode));
	SHOW("linkat AT_SYMLINK_FOLLOW",
	     linkat(AT_FDCWD, "sl", AT_FDCWD, "hf", AT_SYMLINK_FOLLOW));
	lstat("hf", &st);
	abi_yes("the new name is the file", S_ISREG(st.st_mode));
	SHOW("target nlink", nlink("target"));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	hard_links();
	symlinks();
	abi_scratch_leave();
	return 0;
}
