/* mknod(2)/mknodat(2) beyond files_io.c: as root, character and block
 * devices with their st_rdev (major, minor) and type, a character node
 * for /dev/null's number that then works as /dev/null (a node's device
 * number picks the driver, not its name or place), opening nodes of no
 * driver or device (ENXIO), socket nodes (ENXIO to open), the umask on every
 * type, EEXIST over any name, mknodat relative to a directory fd; as a
 * user in a child: devices are EPERM, fifos, sockets and regular files
 * are allowed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

static void show_node(const char *label, const char *path)
{
	struct stat st;

	if (lstat(path, &st)) {
		abi_show(label, -1);
		return;
	}
	printf("%s: %s mode %o", label,
	       S_ISCHR(st.st_mode) ? "char" : S_ISBLK(st.st_mode) ? "block" :
	       S_ISSOCK(st.st_mode) ? "socket" : S_ISFIFO(st.st_mode) ? "fifo" :
	       S_ISREG(st.st_mode) ? "regular" : "other",
	       (unsigned)st.st_mode & 07777);
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		printf(" rdev %u:%u", major(st.st_rdev), minor(st.st_rdev));
	else
		printf(" rdev %s", st.st_rdev ? "set" : "0");
	printf(" size %ld\n", (long)st.st_size);
}

static void devices(void)
{
	char buf[4] = "xyz";
	int fd;

	SHOW("mknod char 1:3", mknod("null", S_IFCHR | 0666, makedev(1, 3)));
	show_node("null", "null");
	fd = open("null", O_RDWR);
	abi_yes("it opens", fd >= 0);
	SHOW("writes vanish", write(fd, "abc", 3));
	SHOW("reads end", read(fd, buf, sizeof(buf)));
	close(fd);
	chmod("null", 0666);
	SHOW("mknod char 1:5", mknod("zero", S_IFCHR | 0644, makedev(1, 5)));
	fd = open("zero", O_RDONLY);
	SHOW("it reads zeros", (read(fd, buf, 3), buf[0] + buf[1] + buf[2]));
	close(fd);
	SHOW("mknod char 240:77", mknod("big", S_IFCHR | 0600, makedev(240, 77)));
	show_node("big", "big");
	SHOW("open a char node of no driver", open("big", O_RDONLY));
	SHOW("mknod block 240:200", mknod("blk", S_IFBLK | 0640, makedev(240, 200)));
	show_node("blk", "blk");
	SHOW("open a block node of no device", open("blk", O_RDONLY));
	SHOW("mknod socket", mknod("sock", S_IFSOCK | 0755, 0));
	show_node("sock", "sock");
	SHOW("open a socket node", open("sock", O_RDWR));
	SHOW("mknod fifo with a device number", mknod("fifo", S_IFIFO | 0644, makedev(1, 3)));
	show_node("fifo", "fifo");
	SHOW("mknod regular with a device number", mknod("reg", S_IFREG | 0644, makedev(1, 3)));
	show_node("reg", "reg");
}

static void masks(void)
{
	umask(027);
	mknod("m_chr", S_IFCHR | 0777, makedev(1, 3));
	mknod("m_fifo", S_IFIFO | 0777, 0);
	mknod("m_sock", S_IFSOCK | 0777, 0);
	mknod("m_reg", S_IFREG | 0777, 0);
	mknod("m_sticky", S_IFIFO | 07777, 0);
	umask(022);
	show_node("char under umask 027", "m_chr");
	show_node("fifo under umask 027", "m_fifo");
	show_node("socket under umask 027", "m_sock");
	show_node("regular under umask 027", "m_reg");
	show_node("fifo 07777 under umask 027", "m_sticky");
}

static void existing(void)
{
	int dfd;

	mkdir("d", 0755);
	SHOW("mknod over a directory", mknod("d", S_IFIFO | 0644, 0));
	SHOW("mknod over a device", mknod("null", S_IFCHR | 0644, makedev(1, 3)));
	SHOW("mknod over a dangling symlink", (symlink("none", "dl"), mknod("dl", S_IFIFO | 0644, 0)));
	SHOW("the symlink's target stays missing", access("none", F_OK));
	dfd = open("d", O_RDONLY | O_DIRECTORY);
	SHOW("mknodat in a directory fd", mknodat(dfd, "n", S_IFCHR | 0644, makedev(1, 3)));
	show_node("d/n", "d/n");
	SHOW("mknodat on a file fd", mknodat(open("reg", O_RDONLY), "x", S_IFIFO | 0644, 0));
	SHOW("mknodat bad fd", mknodat(999, "x", S_IFIFO | 0644, 0));
	close(dfd);
}

static void as_user(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("user: char", mknod("u/c", S_IFCHR | 0644, makedev(1, 3)));
	SHOW("user: block", mknod("u/b", S_IFBLK | 0644, makedev(7, 0)));
	SHOW("user: fifo", mknod("u/p", S_IFIFO | 0644, 0));
	SHOW("user: socket", mknod("u/s", S_IFSOCK | 0644, 0));
	SHOW("user: regular", mknod("u/r", S_IFREG | 0644, 0));
	SHOW("user: char in a directory it cannot write", mknod("d/c", S_IFCHR | 0644, makedev(1, 3)));
	SHOW("user: fifo there", mknod("d/p", S_IFIFO | 0644, 0));
	SHOW("user: writes to the root-made null", ({
		int fd = open("null", O_WRONLY);
		long r = fd >= 0 ? write(fd, "x", 1) : -1;
		if (fd >= 0)
			close(fd);
		r;
	}));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	chmod(".", 0755);
	devices();
	masks();
	existing();
	mkdir("u", 0777);
	chmod("u", 0777);
	abi_in_child("user", as_user);
	show_node("u/p", "u/p");
	show_node("u/s", "u/s");
	abi_scratch_leave();
	return 0;
}
