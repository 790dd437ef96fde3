/* O_TMPFILE: an unnamed regular file in a directory (nlink 0, in no
 * listing, the umask on its mode, readable and writable through its fd),
 * the flags it needs (O_WRONLY or O_RDWR: EINVAL without; a directory:
 * ENOTDIR, ENOENT for a missing one; not with O_CREAT: EINVAL; O_PATH
 * wins), O_DIRECTORY | O_CREAT (EINVAL since Linux 6.4), linkat AT_EMPTY_PATH or through
 * /proc/self/fd giving it a name (nlink 1, contents kept), O_EXCL
 * forbidding that (ENOENT), and the fd of an unlinked ordinary file that
 * cannot be linked back either. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

static int entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

static void show_fd(const char *label, int fd)
{
	struct stat st;

	if (fstat(fd, &st)) {
		abi_show(label, -1);
		return;
	}
	printf("%s: %s mode %o nlink %lu size %ld\n", label,
	       S_ISREG(st.st_mode) ? "regular" : "other",
	       (unsigned)st.st_mode & 07777, (unsigned long)st.st_nlink,
	       (long)st.st_size);
}

static void unnamed(void)
{
	char buf[8] = "";
	int fd = open("d", O_TMPFILE | O_RDWR, 0666);

	abi_yes("O_TMPFILE|O_RDWR", fd >= 0);
	show_fd("it", fd);
	SHOW("entries in d", entries("d"));
	SHOW("write", write(fd, "temp", 4));
	SHOW("pread", pread(fd, buf, sizeof(buf), 0));
	printf("data: %s\n", buf);
	SHOW("F_GETFL has O_TMPFILE's bits",
	     (fcntl(fd, F_GETFL) & O_TMPFILE) == O_TMPFILE);
	SHOW("fchmod", fchmod(fd, 0600));
	show_fd("after fchmod", fd);
	SHOW("linkat AT_EMPTY_PATH", linkat(fd, "", AT_FDCWD, "d/named", AT_EMPTY_PATH));
	show_fd("named", fd);
	SHOW("entries in d", entries("d"));
	memset(buf, 0, sizeof(buf));
	SHOW("read through the name", ({
		int f = open("d/named", O_RDONLY);
		long r = read(f, buf, sizeof(buf));
		close(f);
		r;
	}));
	printf("data: %s\n", buf);
	SHOW("linkat it again", linkat(fd, "", AT_FDCWD, "d/named2", AT_EMPTY_PATH));
	show_fd("twice named", fd);
	close(fd);
}

static void through_proc(void)
{
	char path[64];
	int fd = open("d", O_TMPFILE | O_WRONLY, 0640);

	write(fd, "p", 1);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	SHOW("linkat /proc/self/fd/N AT_SYMLINK_FOLLOW",
	     linkat(AT_FDCWD, path, AT_FDCWD, "d/viaproc", AT_SYMLINK_FOLLOW));
	show_fd("it", fd);
	close(fd);
	fd = open("d", O_TMPFILE | O_WRONLY | O_EXCL, 0640);
	abi_yes("O_TMPFILE|O_EXCL", fd >= 0);
	SHOW("linkat AT_EMPTY_PATH of it", linkat(fd, "", AT_FDCWD, "d/excl", AT_EMPTY_PATH));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	SHOW("linkat /proc/self/fd/N of it",
	     linkat(AT_FDCWD, path, AT_FDCWD, "d/excl", AT_SYMLINK_FOLLOW));
	close(fd);
	abi_write_file("d/gone", "g");
	fd = open("d/gone", O_RDWR);
	unlink("d/gone");
	SHOW("linkat an unlinked file's fd", linkat(fd, "", AT_FDCWD, "d/back", AT_EMPTY_PATH));
	close(fd);
	SHOW("entries in d", entries("d"));
}

static void flags(void)
{
	int fd;

	SHOW("O_TMPFILE read-only", open("d", O_TMPFILE | O_RDONLY, 0600));
	SHOW("O_TMPFILE on a file", open("f", O_TMPFILE | O_RDWR, 0600));
	SHOW("O_TMPFILE in a missing directory", open("none", O_TMPFILE | O_RDWR, 0600));
	SHOW("O_TMPFILE|O_CREAT", open("d", O_TMPFILE | O_CREAT | O_RDWR, 0600));
	fd = open("d", O_TMPFILE | O_PATH | O_RDWR, 0600);
	abi_yes("O_TMPFILE|O_PATH opens the directory", fd >= 0 &&
		(fcntl(fd, F_GETFL) & O_PATH) && access("d", F_OK) == 0);
	close(fd);
	SHOW("O_DIRECTORY|O_CREAT on a new name", open("newdir", O_DIRECTORY | O_CREAT | O_RDONLY, 0700));
	SHOW("O_DIRECTORY|O_CREAT on a directory", open("d", O_DIRECTORY | O_CREAT | O_RDONLY, 0700));
	SHOW("newdir exists", access("newdir", F_OK));
	umask(077);
	fd = open(".", O_TMPFILE | O_WRONLY, 0666);
	show_fd("O_TMPFILE under umask 077", fd);
	close(fd);
	umask(022);
	fd = open("d/.", O_TMPFILE | O_WRONLY, 0644);
	abi_yes("O_TMPFILE in d/.", fd >= 0);
	close(fd);
	SHOW("entries in the scratch directory", entries("."));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	mkdir("d", 0755);
	abi_write_file("f", "f");
	unnamed();
	through_proc();
	flags();
	abi_scratch_leave();
	return 0;
}
