/* Credentials, run as root (natively too: the oracle runs as root):
 * setgroups/getgroups (sorted, EINVAL for a short buffer), then in forked
 * children that drop privileges: the ids each set*id call leaves (setuid,
 * setreuid, setresuid, setfsuid, the gid calls), EPERM for regaining
 * root, EACCES on a root 0600 file and access by group and others, kill
 * of a root process refused, the saved uid letting an euid-root process
 * come back, /proc/self/status's Uid/Gid/Groups lines, and the ids a
 * child inherits over fork. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"
#include "abi_files.h"

static void show_ids(const char *who)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("%s: uid %u %u %u fsuid %d gid %u %u %u fsgid %d\n", who, r,
	       e, s, setfsuid(-1), gr, ge, gs, setfsgid(-1));
}

static void show_groups(const char *who)
{
	gid_t g[16];
	int n = getgroups(16, g);

	printf("%s: %d groups:", who, n);
	for (int i = 0; i < n; i++)
		printf(" %u", g[i]);
	printf("\n");
}

/* Prints the Uid, Gid and Groups lines of /proc/self/status. */
static void show_status(void)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");

	if (!f) {
		SHOW("open /proc/self/status", -1);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) ||
		    !strncmp(line, "Groups:", 7))
			printf("status %s", line);
	fclose(f);
}

static void try_open(const char *label, const char *path, int flags)
{
	int fd;

	errno = 0;
	fd = open(path, flags);
	abi_show(label, fd < 0 ? -1 : 0);
	if (fd >= 0)
		close(fd);
}

/* The full drop: groups, gids, then uids; nothing brings root back. */
static void drop_all(void)
{
	struct timespec now;
	gid_t g[] = { 100 };

	SHOW("setgroups", setgroups(1, g));
	SHOW("setresgid 100", setresgid(100, 100, 100));
	SHOW("setresuid 1000", setresuid(1000, 1000, 1000));
	show_ids("dropped");
	show_groups("dropped");
	show_status();
	SHOW("setuid 0", setuid(0));
	SHOW("seteuid 0", seteuid(0));
	SHOW("setresuid -1 0 -1", setresuid(-1, 0, -1));
	SHOW("setreuid 0 -1", setreuid(0, -1));
	SHOW("setgid 0", setgid(0));
	SHOW("setgroups", setgroups(1, g));
	SHOW("setfsuid 0 (old)", setfsuid(0));
	SHOW("setfsuid -1 (still)", setfsuid(-1));
	SHOW("setuid 1000 (own)", setuid(1000));
	SHOW("setuid -1", setuid(-1));
	try_open("open root 0600 read", "secret", O_RDONLY);
	try_open("open root 0600 write", "secret", O_WRONLY);
	SHOW("access root 0600", access("secret", R_OK));
	try_open("open root:100 0640 read", "group-file", O_RDONLY);
	try_open("open root:100 0640 write", "group-file", O_WRONLY);
	try_open("open root 0604 read", "other-file", O_RDONLY);
	SHOW("create in a root 0755 dir", open("ro-dir/x", O_CREAT | O_WRONLY,
					       0644));
	SHOW("chmod a root file", chmod("other-file", 0666));
	SHOW("chown to myself", chown("other-file", 1000, -1));
	SHOW("kill root parent", kill(getppid(), 0));
	SHOW("kill myself", kill(getpid(), 0));
	SHOW("sethostname", sethostname("x", 1));
	clock_gettime(CLOCK_REALTIME, &now);
	SHOW("clock_settime", clock_settime(CLOCK_REALTIME, &now));
}

/* Own files: created with the fs ids; chown within one's groups. */
static void own_files(void)
{
	struct stat st;
	gid_t g[] = { 100, 200 };
	int fd;

	setgroups(2, g);
	setresgid(100, 100, 100);
	setresuid(1000, 1000, 1000);
	fd = open("tmp-dir/mine", O_CREAT | O_WRONLY, 0600);
	SHOW("create in a 1777 dir", fd < 0 ? -1 : 0);
	close(fd);
	stat("tmp-dir/mine", &st);
	printf("mine: uid %u gid %u\n", st.st_uid, st.st_gid);
	SHOW("chgrp to a group of mine", chown("tmp-dir/mine", -1, 200));
	SHOW("chgrp to another group", chown("tmp-dir/mine", -1, 300));
	SHOW("chown to another user", chown("tmp-dir/mine", 1001, -1));
	SHOW("chmod mine", chmod("tmp-dir/mine", 0644));
	stat("tmp-dir/mine", &st);
	printf("mine: mode %o gid %u\n", st.st_mode & 07777, st.st_gid);
	SHOW("unlink mine", unlink("tmp-dir/mine"));
}

/* Only the effective uid dropped: the saved root brings it back. */
static void drop_effective(void)
{
	SHOW("seteuid 1000", seteuid(1000));
	show_ids("euid 1000");
	try_open("open root 0600 read", "secret", O_RDONLY);
	/* access checks the real uid, which is still root. */
	SHOW("access root 0600", access("secret", R_OK));
	SHOW("faccessat AT_EACCESS", faccessat(AT_FDCWD, "secret", R_OK,
					       AT_EACCESS));
	SHOW("setgroups as euid 1000", setgroups(0, NULL));
	SHOW("seteuid 0", seteuid(0));
	show_ids("euid 0 again");
	try_open("open root 0600 read", "secret", O_RDONLY);
	SHOW("setreuid 1000 2000", setreuid(1000, 2000));
	show_ids("setreuid");
	SHOW("setreuid 2000 1000", setreuid(2000, 1000));
	show_ids("swapped");
	SHOW("setreuid -1 0", setreuid(-1, 0));
}

/* Only the fs uid dropped: files are checked as 1000, the rest as root. */
static void drop_fsuid(void)
{
	SHOW("setfsuid 1000 (old)", setfsuid(1000));
	show_ids("fsuid 1000");
	try_open("open root 0600 read", "secret", O_RDONLY);
	SHOW("kill root parent", kill(getppid(), 0));
	SHOW("setfsuid 0 (old)", setfsuid(0));
	try_open("open root 0600 read", "secret", O_RDONLY);
	SHOW("setfsgid 100 (old)", setfsgid(100));
	SHOW("setfsgid 100 (old)", setfsgid(100));
}

/* The ids survive fork and exec. */
static void inherited(void)
{
	int status;
	pid_t pid;

	setresgid(100, 200, 300);
	setresuid(1000, 2000, 3000);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		show_ids("forked child");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	/* A same-uid grandchild may be signalled. */
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	SHOW("kill own child", kill(pid, SIGKILL));
	waitpid(pid, &status, 0);
	abi_yes("child killed", WIFSIGNALED(status));
}

/* After exec: the auxv's ids and AT_SECURE, and the ids exec left
 * (saved and fs ids become the effective ones). */
static void after_exec(void)
{
	printf("AT_UID %lu AT_EUID %lu AT_GID %lu AT_EGID %lu AT_SECURE %lu\n",
	       getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID),
	       getauxval(AT_EGID), getauxval(AT_SECURE));
	show_ids("after exec");
	show_groups("after exec");
}

static void exec_keeps(void)
{
	gid_t g[] = { 7 };
	char *argv[] = { "creds", "after-exec", NULL };

	setgroups(1, g);
	setresgid(100, 200, 300);
	setresuid(1000, 2000, 3000);
	setfsuid(3000);
	show_ids("before exec");
	fflush(stdout);
	execv("/proc/self/exe", argv);
	abi_show("execv", -1);
}

static void exec_plain(void)
{
	char *argv[] = { "creds", "after-exec", NULL };

	setresgid(100, 100, 100);
	setresuid(1000, 1000, 1000);
	fflush(stdout);
	execv("/proc/self/exe", argv);
	abi_show("execv", -1);
}

int main(int argc, char **argv)
{
	gid_t g[] = { 30, 10, 20, 10 };
	gid_t small[2];

	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		after_exec();
		return 0;
	}
	abi_scratch_enter();
	chmod(".", 0755);
	abi_write_file("secret", "s\n");
	chmod("secret", 0600);
	abi_write_file("group-file", "g\n");
	chown("group-file", 0, 100);
	chmod("group-file", 0640);
	abi_write_file("other-file", "o\n");
	chmod("other-file", 0604);
	mkdir("ro-dir", 0755);
	mkdir("tmp-dir", 0777);
	chmod("tmp-dir", 01777);

	show_ids("root");
	SHOW("setgroups 4", setgroups(4, g));
	show_groups("root");
	SHOW("getgroups 0", getgroups(0, NULL));
	SHOW("getgroups too small", getgroups(2, small));
	SHOW("getgroups negative", syscall(SYS_getgroups, -1, small));
	SHOW("setgroups bad pointer", setgroups(2, (gid_t *)8));
	SHOW("setgroups negative", syscall(SYS_setgroups, -1, g));
	SHOW("setgroups too many", syscall(SYS_setgroups, 65537, g));
	SHOW("setgroups 0", setgroups(0, NULL));
	show_groups("root");

	abi_in_child("drop all", drop_all);
	abi_in_child("own files", own_files);
	abi_in_child("drop effective", drop_effective);
	abi_in_child("drop fsuid", drop_fsuid);
	abi_in_child("inherited", inherited);
	abi_in_child("exec keeps", exec_keeps);
	abi_in_child("exec plain", exec_plain);
	show_ids("parent still");
	abi_scratch_leave();
	return 0;
}
