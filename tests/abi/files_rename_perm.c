/* rename and unlink rules beyond files_rename.c: RENAME_WHITEOUT (as
 * root: the old name becomes a character device 0:0 of mode 0; EINVAL
 * with RENAME_EXCHANGE; a user may make them too, since Linux 5.8), the
 * permissions a user needs
 * (write and search on both parents: EACCES; write on a directory moved
 * to another parent, for its ".."), the sticky bit (only the owner of
 * the file or of the directory may unlink or rename out of it, or
 * replace a name in it: EPERM otherwise), and an open file or a cwd
 * surviving its rename. The user steps run in children. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#endif
#ifndef RENAME_WHITEOUT
#define RENAME_WHITEOUT 4
#endif

static long rename2(const char *a, const char *b, unsigned flags)
{
	return syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, flags);
}

static void show_node(const char *label, const char *path)
{
	struct stat st;

	if (lstat(path, &st)) {
		abi_show(label, -1);
		return;
	}
	printf("%s: %s mode %o rdev %u:%u uid %u\n", label,
	       S_ISCHR(st.st_mode) ? "char" : S_ISREG(st.st_mode) ? "regular" :
	       S_ISDIR(st.st_mode) ? "directory" : "other",
	       (unsigned)st.st_mode & 07777, major(st.st_rdev),
	       minor(st.st_rdev), (unsigned)st.st_uid);
}

static long nlink(const char *path)
{
	struct stat st;

	return lstat(path, &st) ? -1 : (long)st.st_nlink;
}

static void whiteout(void)
{
	mkdir("w", 0755);
	abi_write_file("w/a", "A");
	SHOW("WHITEOUT", rename2("w/a", "w/b", RENAME_WHITEOUT));
	show_node("the old name", "w/a");
	show_node("the new name", "w/b");
	SHOW("nlink of the directory", nlink("w"));
	SHOW("WHITEOUT onto the whiteout", rename2("w/b", "w/a", RENAME_WHITEOUT));
	show_node("a again", "w/a");
	show_node("b now", "w/b");
	SHOW("WHITEOUT|EXCHANGE", rename2("w/a", "w/b", RENAME_WHITEOUT | RENAME_EXCHANGE));
	SHOW("WHITEOUT|NOREPLACE onto an existing name",
	     rename2("w/a", "w/b", RENAME_WHITEOUT | RENAME_NOREPLACE));
	SHOW("WHITEOUT|NOREPLACE", rename2("w/a", "w/c", RENAME_WHITEOUT | RENAME_NOREPLACE));
	show_node("a after it", "w/a");
	mkdir("w/dir", 0755);
	SHOW("WHITEOUT a directory", rename2("w/dir", "w/dir2", RENAME_WHITEOUT));
	show_node("the directory's old name", "w/dir");
	SHOW("nlink of the parent", nlink("w"));
	SHOW("WHITEOUT a missing name", rename2("w/none", "w/x", RENAME_WHITEOUT));
	SHOW("WHITEOUT a name to itself", rename2("w/c", "w/c", RENAME_WHITEOUT));
	show_node("c after it", "w/c");
}

static void user_whiteout(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("user: WHITEOUT", rename2("open/u1", "open/u2", RENAME_WHITEOUT));
	SHOW("user: WHITEOUT|EXCHANGE", rename2("open/u1", "open/u2", RENAME_WHITEOUT | RENAME_EXCHANGE));
	SHOW("user: WHITEOUT of a missing name", rename2("open/none", "open/u2", RENAME_WHITEOUT));
	show_node("open/u1", "open/u1");
}

static void user_permissions(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("out of a directory it cannot write", rename("ro/f", "open/f"));
	SHOW("into a directory it cannot write", rename("open/mine", "ro/mine"));
	SHOW("within a directory it can write", rename("open/mine", "open/mine2"));
	SHOW("its own directory to another parent", rename("open/mydir", "open/sub/mydir"));
	SHOW("root's writable-by-none directory to another parent",
	     rename("open/rootdir", "open/sub/rootdir"));
	SHOW("the same, within its parent", rename("open/rootdir", "open/rootdir2"));
	SHOW("unlink in a directory it cannot write", unlink("ro/f"));
	SHOW("unlink root's file in a directory it can write", unlink("open/rootfile"));
}

static void user_sticky(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("sticky: unlink root's file", unlink("sticky/root"));
	SHOW("sticky: rename root's file", rename("sticky/root", "sticky/r2"));
	SHOW("sticky: rename root's file out", rename("sticky/root", "open/r2"));
	SHOW("sticky: replace root's file", rename("sticky/own", "sticky/root"));
	SHOW("sticky: rmdir root's empty directory", rmdir("sticky/rootdir"));
	SHOW("sticky: unlink its own file", unlink("sticky/own2"));
	SHOW("sticky: rename its own file", rename("sticky/own", "sticky/own3"));
	SHOW("sticky: EXCHANGE with root's file", rename2("sticky/own3", "sticky/root", RENAME_EXCHANGE));
	SHOW("sticky, its own directory: unlink root's file", unlink("mysticky/root"));
	SHOW("sticky: a missing name", unlink("sticky/none"));
}

static void survivors(void)
{
	char buf[8] = "";
	int fd, dfd;

	abi_write_file("kept", "kept");
	fd = open("kept", O_RDONLY);
	rename("kept", "moved");
	SHOW("read the renamed open file", read(fd, buf, sizeof(buf)));
	close(fd);
	abi_write_file("over", "over");
	fd = open("over", O_RDONLY);
	rename("moved", "over");
	SHOW("read the replaced open file", read(fd, buf, sizeof(buf)));
	printf("it still reads: %.4s\n", buf);
	SHOW("and its nlink", ({
		struct stat st;
		fstat(fd, &st);
		(long)st.st_nlink;
	}));
	close(fd);
	mkdir("cwd", 0755);
	dfd = open(".", O_RDONLY | O_DIRECTORY);
	chdir("cwd");
	rename("../cwd", "../cwd2");
	SHOW("create in a renamed cwd", abi_write_file("x", "x"));
	fchdir(dfd);
	close(dfd);
	SHOW("it is there", access("cwd2/x", F_OK));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	chmod(".", 0755);
	whiteout();
	mkdir("open", 0777);
	chmod("open", 0777);
	abi_write_file("open/u1", "u");
	chown("open/u1", 1000, 1000);
	abi_in_child("user whiteout", user_whiteout);
	mkdir("ro", 0755);
	abi_write_file("ro/f", "f");
	chmod("ro/f", 0666);
	abi_write_file("open/mine", "m");
	chown("open/mine", 1000, 1000);
	mkdir("open/sub", 0777);
	chmod("open/sub", 0777);
	mkdir("open/mydir", 0755);
	chown("open/mydir", 1000, 1000);
	mkdir("open/rootdir", 0555);
	abi_write_file("open/rootfile", "r");
	abi_in_child("user permissions", user_permissions);
	show_node("open/sub/mydir", "open/sub/mydir");
	show_node("open/rootfile", "open/rootfile");
	mkdir("sticky", 0777);
	chmod("sticky", 01777);
	abi_write_file("sticky/root", "r");
	chmod("sticky/root", 0666);
	mkdir("sticky/rootdir", 0777);
	abi_write_file("sticky/own", "o");
	chown("sticky/own", 1000, 1000);
	abi_write_file("sticky/own2", "o");
	chown("sticky/own2", 1000, 1000);
	mkdir("mysticky", 0777);
	chmod("mysticky", 01777);
	chown("mysticky", 1000, 1000);
	abi_write_file("mysticky/root", "r");
	abi_in_child("user sticky", user_sticky);
	show_node("sticky/root", "sticky/root");
	survivors();
	abi_scratch_leave();
	return 0;
}
