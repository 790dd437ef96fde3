/* umask(2) on every call that makes a node: open O_CREAT, creat, mkdir,
 * mknod (fifo, regular, socket), mkfifo, a bound unix socket, O_TMPFILE;
 * never on symlinks (always 0777) or on chmod; mode bits past 0777 in
 * the create calls (set-uid/set-gid kept by open for root, mkdir keeping
 * only the sticky bit); the mask itself (only 0777 kept, the old one
 * returned), inherited by a child whose own changes stay its own. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

static void show_mode(const char *label, const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		abi_show(label, -1);
	else
		printf("%s: %o\n", label, (unsigned)st.st_mode & 07777);
}

static void make_all(const char *dir, mode_t mask)
{
	char p[64];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, s;

	umask(mask);
	mkdir(dir, 0777);
	chmod(dir, 0777);
	snprintf(p, sizeof(p), "%s/open", dir);
	close(open(p, O_CREAT | O_WRONLY, 0777));
	snprintf(p, sizeof(p), "%s/creat", dir);
	close(creat(p, 0666));
	snprintf(p, sizeof(p), "%s/mkdir", dir);
	mkdir(p, 0777);
	snprintf(p, sizeof(p), "%s/fifo", dir);
	mknod(p, S_IFIFO | 0777, 0);
	snprintf(p, sizeof(p), "%s/mkfifo", dir);
	mkfifo(p, 0666);
	snprintf(p, sizeof(p), "%s/reg", dir);
	mknod(p, S_IFREG | 0777, 0);
	snprintf(p, sizeof(p), "%s/sock", dir);
	mknod(p, S_IFSOCK | 0777, 0);
	snprintf(p, sizeof(p), "%s/symlink", dir);
	symlink("x", p);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/bound", dir);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
	fd = open(dir, O_TMPFILE | O_WRONLY, 0777);
	snprintf(p, sizeof(p), "%s/tmpfile", dir);
	linkat(fd, "", AT_FDCWD, p, AT_EMPTY_PATH);
	close(fd);
	umask(022);
}

static void show_all(const char *dir)
{
	static const char *const names[] = { "open", "creat", "mkdir", "fifo",
		"mkfifo", "reg", "sock", "symlink", "bound", "tmpfile" };
	char p[64];

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		show_mode(p, p);
	}
}

static void high_bits(void)
{
	umask(0);
	close(open("o7777", O_CREAT | O_WRONLY, 07777));
	show_mode("open with 07777", "o7777");
	mkdir("d7777", 07777);
	show_mode("mkdir with 07777", "d7777");
	mkfifo("f7777", 07777);
	show_mode("mkfifo with 07777", "f7777");
	umask(07022);
	close(open("om", O_CREAT | O_WRONLY, 07777));
	show_mode("open 07777 under umask 07022", "om");
	umask(022);
	abi_write_file("ch", "c");
	SHOW("chmod 0777 under umask 022", chmod("ch", 0777));
	show_mode("ch", "ch");
}

static void the_mask(void)
{
	pid_t pid;

	SHOW("umask 0", umask(0));
	SHOW("umask 0777 returns", umask(0777));
	SHOW("umask 01777 returns", umask(01777));
	SHOW("umask 0 returns", umask(0));
	SHOW("umask -1 returns", umask((mode_t)-1));
	SHOW("and keeps", umask(027));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		SHOW("child: inherited", umask(077));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	SHOW("parent: its own after the child's", umask(022));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	make_all("m000", 0);
	make_all("m022", 022);
	make_all("m077", 077);
	make_all("m777", 0777);
	show_all("m000");
	show_all("m022");
	show_all("m077");
	show_all("m777");
	high_bits();
	the_mask();
	abi_scratch_leave();
	return 0;
}
