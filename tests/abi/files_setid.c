/* The set-id bits and their rules beyond files_owner.c and files_attr.c:
 * a set-gid directory gives new files its group and new subdirectories
 * its group and its set-gid bit (also for a user outside that group, whose
 * own set-gid bit on a new group-executable file is then dropped); a
 * user's write or truncate drops a file's set-uid bit and, when group
 * executable, its set-gid bit, root's does not; chmod by a user that does
 * not own the file is EPERM, by the owner outside the file's group drops
 * the set-gid bit it asks for, the sticky bit on a file stays; a user's
 * chown to its own group drops the set-id bits; fchmodat2
 * AT_SYMLINK_NOFOLLOW on a symlink is EOPNOTSUPP. User steps run in
 * children. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static void show(const char *label, const char *path)
{
	struct stat st;

	if (lstat(path, &st)) {
		abi_show(label, -1);
		return;
	}
	printf("%s: mode %o uid %u gid %u\n", label,
	       (unsigned)st.st_mode & 07777, (unsigned)st.st_uid,
	       (unsigned)st.st_gid);
}

static void become_user(void)
{
	gid_t groups[] = { 1000, 3000 };

	setgroups(2, groups);
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
}

static void inherit_as_root(void)
{
	SHOW("a file in a set-gid directory", abi_write_file("sg/f", "f"));
	show("sg/f", "sg/f");
	SHOW("mkdir in it", mkdir("sg/sub", 0755));
	show("sg/sub", "sg/sub");
	SHOW("mkdir in that", mkdir("sg/sub/deeper", 0700));
	show("sg/sub/deeper", "sg/sub/deeper");
	SHOW("mknod fifo in it", mknod("sg/fifo", S_IFIFO | 0644, 0));
	show("sg/fifo", "sg/fifo");
	SHOW("symlink in it", symlink("f", "sg/link"));
	printf("sg/link gid: %u\n", ({
		struct stat st;
		lstat("sg/link", &st);
		(unsigned)st.st_gid;
	}));
	SHOW("chmod g-s of the directory", chmod("sg/sub", 0755));
	show("sg/sub", "sg/sub");
	SHOW("a file after that", abi_write_file("sg/sub/g", "g"));
	show("sg/sub/g", "sg/sub/g");
}

static void inherit_as_user(void)
{
	become_user();
	SHOW("user: a file in a set-gid directory of another group",
	     abi_write_file("sg/uf", "u"));
	show("sg/uf", "sg/uf");
	SHOW("user: mkdir there", mkdir("sg/udir", 0775));
	show("sg/udir", "sg/udir");
	SHOW("user: a set-gid group-executable file there",
	     close(open("sg/ux", O_CREAT | O_WRONLY, 02755)));
	show("sg/ux", "sg/ux");
	SHOW("user: a set-gid file without group x there",
	     close(open("sg/ulock", O_CREAT | O_WRONLY, 02745)));
	show("sg/ulock", "sg/ulock");
	SHOW("user: a set-gid file in its own group's set-gid directory",
	     close(open("sg3000/ok", O_CREAT | O_WRONLY, 02755)));
	show("sg3000/ok", "sg3000/ok");
}

static void writes_as_user(void)
{
	int fd;

	become_user();
	fd = open("suid", O_WRONLY);
	SHOW("user: write to a set-uid file", write(fd, "x", 1));
	close(fd);
	show("suid", "suid");
	fd = open("sgidx", O_WRONLY);
	SHOW("user: write to a set-gid group-executable file", write(fd, "x", 1));
	close(fd);
	show("sgidx", "sgidx");
	fd = open("sgidlock", O_WRONLY);
	SHOW("user: write to a set-gid file without group x", write(fd, "x", 1));
	close(fd);
	show("sgidlock", "sgidlock");
	SHOW("user: truncate a set-uid file", truncate("suid2", 0));
	show("suid2", "suid2");
	fd = open("suid3", O_WRONLY);
	SHOW("user: a write of 0 bytes", write(fd, "", 0));
	close(fd);
	show("suid3", "suid3");
}

static void writes_as_root(void)
{
	int fd = open("rsuid", O_WRONLY);

	SHOW("root: write to a set-uid file", write(fd, "x", 1));
	close(fd);
	show("rsuid", "rsuid");
	SHOW("root: truncate it", truncate("rsuid", 0));
	show("rsuid", "rsuid");
}

static void chmods_as_user(void)
{
	become_user();
	SHOW("user: chmod root's file", chmod("rootfile", 0777));
	SHOW("user: chmod g+s, file of a group it is not in", chmod("mine_g0", 02755));
	show("mine_g0", "mine_g0");
	SHOW("user: chmod g+s, file of a supplementary group", chmod("mine_g3000", 02755));
	show("mine_g3000", "mine_g3000");
	SHOW("user: chmod u+s", chmod("mine_g3000", 04755));
	show("mine_g3000", "mine_g3000");
	SHOW("user: chmod +t on a file", chmod("mine_g3000", 01644));
	show("mine_g3000", "mine_g3000");
	SHOW("user: chown to its supplementary group", chown("mine_sid", -1, 3000));
	show("mine_sid", "mine_sid");
	SHOW("user: chown to a group it is not in", chown("mine_sid", -1, 0));
	SHOW("user: chown -1 -1", chown("mine_sid", -1, -1));
	SHOW("user: chown to itself", chown("mine_sid", 1000, -1));
	SHOW("user: chown to another user", chown("mine_sid", 1001, -1));
}

static void nofollow(void)
{
	symlink("rootfile", "sl");
	SHOW("fchmodat2 AT_SYMLINK_NOFOLLOW on a symlink",
	     syscall(SYS_fchmodat2, AT_FDCWD, "sl", 0600, AT_SYMLINK_NOFOLLOW));
	SHOW("fchmodat2 AT_SYMLINK_NOFOLLOW on a file",
	     syscall(SYS_fchmodat2, AT_FDCWD, "rootfile", 0640, AT_SYMLINK_NOFOLLOW));
	show("rootfile", "rootfile");
	SHOW("fchmodat2 following the symlink",
	     syscall(SYS_fchmodat2, AT_FDCWD, "sl", 0604, 0));
	show("rootfile", "rootfile");
	SHOW("fchmodat2 AT_EMPTY_PATH", ({
		int fd = open("rootfile", O_PATH);
		long r = syscall(SYS_fchmodat2, fd, "", 0600, AT_EMPTY_PATH);
		close(fd);
		r;
	}));
	show("rootfile", "rootfile");
}

static void make_file(const char *path, unsigned mode, unsigned uid,
		      unsigned gid)
{
	abi_write_file(path, "data");
	chown(path, uid, gid);
	chmod(path, mode);
}

int main(void)
{
	abi_scratch_enter();
	umask(0);
	chmod(".", 0777);
	mkdir("sg", 0777);
	chown("sg", 0, 2000);
	chmod("sg", 02777);
	mkdir("sg3000", 0777);
	chown("sg3000", 0, 3000);
	chmod("sg3000", 02777);
	inherit_as_root();
	abi_in_child("inherit as a user", inherit_as_user);
	make_file("suid", 04777, 0, 0);
	make_file("suid2", 04777, 0, 0);
	make_file("suid3", 04777, 0, 0);
	make_file("sgidx", 02777, 0, 0);
	make_file("sgidlock", 02767, 0, 0);
	abi_in_child("writes as a user", writes_as_user);
	make_file("rsuid", 06777, 1000, 1000);
	writes_as_root();
	make_file("rootfile", 0644, 0, 0);
	make_file("mine_g0", 0755, 1000, 0);
	make_file("mine_g3000", 0755, 1000, 3000);
	make_file("mine_sid", 06755, 1000, 1000);
	abi_in_child("chmod as a user", chmods_as_user);
	show("mine_sid", "mine_sid");
	nofollow();
	abi_scratch_leave();
	return 0;
}
