/* mount(2), umount2(2), statfs(2)/fstatfs(2) and chroot(2) inside the
 * scratch directory: new tmpfs, proc, sysfs and devtmpfs instances, their
 * statfs magic, mount flags (MS_RDONLY enforced as EROFS, the others in
 * f_flags and /proc/self/mounts), MS_REMOUNT, MS_BIND, stacked and nested
 * mounts, EBUSY while a file or cwd is inside, MNT_DETACH, the errors,
 * /proc/self/mountinfo's fields, and chroot in a child. Runs as root
 * (natively too: the oracle needs CAP_SYS_ADMIN). Only the lines of the
 * test's own mounts are printed, with the scratch prefix cut off, and
 * only the option words both kernels agree on. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef ST_RELATIME
#define ST_RELATIME 4096
#endif

static const char *const words[] = { "rw", "ro", "nosuid", "nodev",
				     "noexec", "noatime", "relatime", NULL };

/* Prints the comma list opts keeping only the words above. */
static void show_words(const char *opts)
{
	char buf[512], *save, *w;
	int first = 1;

	snprintf(buf, sizeof(buf), "%s", opts);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save))
		for (int k = 0; words[k]; k++)
			if (!strcmp(w, words[k])) {
				printf("%s%s", first ? "" : ",", w);
				first = 0;
			}
}

/* The /proc/self/mounts lines of mounts inside the scratch directory. */
static void show_mounts(const char *label)
{
	char line[1024], src[256], dir[512], type[64], opts[512];
	size_t n = strlen(abi_scratch_dir);
	FILE *f = fopen("/proc/self/mounts", "r");

	printf("%s:\n", label);
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %511s %63s %511s", src, dir, type,
			   opts) != 4 ||
		    strncmp(dir, abi_scratch_dir, n) || dir[n] != '/')
			continue;
		printf("  %s %s %s ", src, dir + n + 1, type);
		show_words(opts);
		printf("\n");
	}
	if (f)
		fclose(f);
}

/* mountinfo's root, mount point, mount options, type and source of the
 * scratch mounts (optional fields such as shared:N skipped). */
static void show_mountinfo(void)
{
	char line[1024];
	size_t n = strlen(abi_scratch_dir);
	FILE *f = fopen("/proc/self/mountinfo", "r");

	printf("mountinfo:\n");
	while (f && fgets(line, sizeof(line), f)) {
		char root[256], dir[512], opts[256], type[64], src[256];
		char *dash = strstr(line, " - ");
		int id, parent;

		if (!dash ||
		    sscanf(line, "%d %d %*s %255s %511s %255s", &id, &parent,
			   root, dir, opts) != 5 ||
		    sscanf(dash, " - %63s %255s", type, src) != 2 ||
		    strncmp(dir, abi_scratch_dir, n) || dir[n] != '/')
			continue;
		printf("  root %s at %s ", root, dir + n + 1);
		show_words(opts);
		printf(" - %s %s ids-differ %d\n", type, src, id != parent);
	}
	if (f)
		fclose(f);
}

static void show_statfs(const char *label, const char *path)
{
	struct statfs st;

	if (SHOW(label, statfs(path, &st)) == 0)
		printf("  type %#lx namelen %ld rdonly %d nosuid %d nodev %d "
		       "noexec %d\n",
		       (long)st.f_type, (long)st.f_namelen,
		       !!(st.f_flags & ST_RDONLY), !!(st.f_flags & ST_NOSUID),
		       !!(st.f_flags & ST_NODEV), !!(st.f_flags & ST_NOEXEC));
}

static void tmpfs_basics(void)
{
	struct stat st;
	int fd;

	mkdir("m", 0700);
	SHOW("mount tmpfs", mount("kt", "m", "tmpfs", 0, NULL));
	stat("m", &st);
	printf("root mode: %o\n", st.st_mode & 07777);
	show_statfs("statfs tmpfs", "m");
	abi_write_file("m/f", "on tmpfs");
	show_mounts("mounts");
	fd = open("m/f", O_RDONLY);
	SHOW("umount with a file open", umount("m"));
	close(fd);
	SHOW("chdir inside", chdir("m"));
	SHOW("umount of the cwd's mount", umount("../m"));
	SHOW("chdir back", chdir(".."));
	SHOW("umount", umount("m"));
	SHOW("the file went with it", access("m/f", F_OK));
	SHOW("umount again", umount("m"));
	SHOW("mount with mode=750", mount("kt", "m", "tmpfs", 0, "mode=750"));
	stat("m", &st);
	printf("root mode: %o\n", st.st_mode & 07777);
	SHOW("umount", umount("m"));
	SHOW("bad tmpfs option", mount("kt", "m", "tmpfs", 0, "bogus=1"));
}

static void flags_and_remount(void)
{
	int fd;

	SHOW("mount ro,nosuid,nodev,noexec",
	     mount("kf", "m", "tmpfs",
		   MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
	show_statfs("statfs", "m");
	show_mounts("mounts");
	SHOW("create on ro", open("m/x", O_CREAT | O_WRONLY, 0644));
	SHOW("mkdir on ro", mkdir("m/d", 0755));
	SHOW("open dir for write", open("m", O_RDWR));
	SHOW("remount rw", mount(NULL, "m", NULL, MS_REMOUNT | MS_NOSUID, NULL));
	fd = SHOW("create after remount", open("m/x", O_CREAT | O_WRONLY, 0644));
	close(fd);
	show_statfs("statfs", "m");
	SHOW("remount ro", mount(NULL, "m", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	SHOW("open existing for write", open("m/x", O_WRONLY));
	SHOW("unlink on ro", unlink("m/x"));
	fd = SHOW("open existing for read", open("m/x", O_RDONLY));
	close(fd);
	SHOW("remount of a non-mount", mount(NULL, "m/x", NULL, MS_REMOUNT, NULL));
	SHOW("private propagation", mount(NULL, "m", NULL, MS_PRIVATE, NULL));
	SHOW("umount", umount("m"));
}

static void stacks_binds(void)
{
	SHOW("mount lower", mount("lower", "m", "tmpfs", 0, NULL));
	abi_write_file("m/lower", "1");
	SHOW("mount upper on it", mount("upper", "m", "tmpfs", 0, NULL));
	SHOW("lower hidden", access("m/lower", F_OK));
	mkdir("m/sub", 0755);
	abi_write_file("m/sub/in-sub", "2");
	mkdir("m/n", 0755);
	SHOW("nested mount", mount("nested", "m/n", "tmpfs", 0, NULL));
	mkdir("b", 0755);
	SHOW("bind m/sub on b", mount("m/sub", "b", NULL, MS_BIND, NULL));
	SHOW("seen through the bind", access("b/in-sub", F_OK));
	show_mounts("mounts");
	show_mountinfo();
	SHOW("umount upper with a mount inside", umount("m"));
	SHOW("umount nested", umount("m/n"));
	SHOW("umount the bind", umount("b"));
	SHOW("umount upper", umount("m"));
	SHOW("lower seen again", access("m/lower", F_OK));
	SHOW("umount lower", umount("m"));
}

static void detach(void)
{
	char buf[16] = "";
	struct statfs st;
	int fd;

	SHOW("mount", mount("kd", "m", "tmpfs", 0, NULL));
	abi_write_file("m/f", "kept");
	fd = open("m/f", O_RDONLY);
	SHOW("umount busy", umount2("m", 0));
	SHOW("MNT_DETACH", umount2("m", MNT_DETACH));
	SHOW("gone from the tree", access("m/f", F_OK));
	SHOW("the open file reads", read(fd, buf, sizeof(buf) - 1));
	printf("read: %s\n", buf);
	SHOW("fstatfs on it", fstatfs(fd, &st));
	printf("type %#lx\n", (long)st.f_type);
	close(fd);
}

static void other_types(void)
{
	mkdir("p", 0755);
	SHOW("mount proc", mount("kproc", "p", "proc", MS_NOSUID, NULL));
	show_statfs("statfs proc", "p");
	SHOW("proc has self", access("p/self/status", R_OK));
	SHOW("umount proc", umount("p"));
	SHOW("mount sysfs", mount("ksys", "p", "sysfs", 0, NULL));
	show_statfs("statfs sysfs", "p");
	SHOW("sysfs has cpu/online",
	     access("p/devices/system/cpu/online", R_OK));
	SHOW("umount sysfs", umount("p"));
	SHOW("mount devtmpfs", mount("kdev", "p", "devtmpfs", 0, NULL));
	show_statfs("statfs devtmpfs", "p");
	SHOW("devtmpfs has null", access("p/null", F_OK));
	show_mounts("mounts");
	SHOW("umount devtmpfs", umount("p"));
}

static void errors(void)
{
	struct statfs st;
	int fds[2];

	abi_write_file("file", "x");
	SHOW("unknown type", mount("x", "m", "nosuchfs", 0, NULL));
	SHOW("NULL type", mount("x", "m", NULL, 0, NULL));
	SHOW("missing target", mount("x", "nowhere", "tmpfs", 0, NULL));
	SHOW("target a file", mount("x", "file", "tmpfs", 0, NULL));
	SHOW("bad target pointer", mount("x", (char *)8, "tmpfs", 0, NULL));
	SHOW("umount not a mount", umount("m"));
	SHOW("umount missing", umount("nowhere"));
	SHOW("umount2 bad flags", umount2("m", 0x100));
	SHOW("umount2 EXPIRE|DETACH", umount2("m", MNT_EXPIRE | MNT_DETACH));
	SHOW("statfs missing", statfs("nowhere", &st));
	/* raw: musl's wrapper clears the buffer first */
	SHOW("statfs bad buffer", syscall(SYS_statfs, ".", 8));
	SHOW("fstatfs bad fd", fstatfs(99, &st));
	if (pipe(fds) == 0) {
		SHOW("fstatfs pipe", fstatfs(fds[0], &st));
		printf("pipe type %#lx\n", (long)st.f_type);
		close(fds[0]);
		close(fds[1]);
	}
}

static void chroot_child(void)
{
	pid_t pid;
	int status;

	SHOW("mount for chroot", mount("kc", "m", "tmpfs", 0, NULL));
	abi_write_file("m/inside", "in the new root");
	mkdir("m/d", 0755);
	SHOW("chroot to a file", chroot("file"));
	SHOW("chroot missing", chroot("nowhere"));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char cwd[64];

		SHOW("chroot", chroot("m"));
		SHOW("chdir /", chdir("/"));
		SHOW("/inside", access("/inside", F_OK));
		SHOW("chdir /..", chdir("/.."));
		SHOW("still inside", access("inside", F_OK));
		SHOW("chdir /d", chdir("/d"));
		printf("cwd: %s\n", getcwd(cwd, sizeof(cwd)));
		SHOW("../../../inside", access("../../../inside", F_OK));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("child: %d\n", WEXITSTATUS(status));
	SHOW("umount", umount("m"));
}

int main(void)
{
	abi_scratch_enter();
	tmpfs_basics();
	flags_and_remount();
	stacks_binds();
	detach();
	other_types();
	errors();
	chroot_child();
	abi_scratch_leave();
	return 0;
}
