/* access(2), faccessat(2) and faccessat2(2) for users, in children
 * (files_attr.c has root's answers): which class of bits applies (the
 * owner's even when others' grant more, the group's by the primary or a
 * supplementary group), search permission on every directory of the
 * path (EACCES, before ENOENT for a missing name), real against
 * effective ids (access uses the real ones, AT_EACCESS the effective
 * ones), root's real id with a user's effective id and back, and the
 * same checks on open(2). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"
#include "abi_proc.h"

#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

static long access2(const char *path, int mode, int flags)
{
	return syscall(SYS_faccessat2, AT_FDCWD, path, mode, flags);
}

/* Prints R, W and X of path as y/n, for access (real ids) and with
 * AT_EACCESS (effective ids). */
static void rwx(const char *label, const char *path)
{
	printf("%s: real %c%c%c effective %c%c%c\n", label,
	       access(path, R_OK) ? '-' : 'r', access(path, W_OK) ? '-' : 'w',
	       access(path, X_OK) ? '-' : 'x',
	       access2(path, R_OK, AT_EACCESS) ? '-' : 'r',
	       access2(path, W_OK, AT_EACCESS) ? '-' : 'w',
	       access2(path, X_OK, AT_EACCESS) ? '-' : 'x');
}

static void classes(void)
{
	gid_t groups[] = { 2000 };

	setgroups(1, groups);
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	rwx("root's 0600", "own0700");
	rwx("owner 0077 (others could)", "own0077");
	rwx("group 0070", "grp0070");
	rwx("group 0707 (others could)", "grp0707");
	rwx("supplementary group 0050", "sup0050");
	rwx("other 0007", "oth0007");
	rwx("other 0770", "oth0770");
	rwx("a directory 0711 of root", "dir0711");
	SHOW("R_OK|W_OK where only R", access("oth0004", R_OK | W_OK));
	SHOW("F_OK of an unreadable file", access("own0077", F_OK));
	SHOW("open O_RDONLY of 0077 owned", open("own0077", O_RDONLY));
	SHOW("open O_WRONLY of a group 0050", open("sup0050", O_WRONLY));
}

static void paths(void)
{
	setresgid(1000, 1000, 1000);
	setresuid(1000, 1000, 1000);
	SHOW("through a directory without x", access("nox/f", F_OK));
	SHOW("a missing name there", access("nox/none", F_OK));
	SHOW("the directory itself", access("nox", R_OK));
	SHOW("through a directory with only x", access("xonly/f", R_OK));
	SHOW("a missing name there", access("xonly/none", F_OK));
	SHOW("deeper without x", access("deep/nox/f", F_OK));
	SHOW("open through a directory without x", open("nox/f", O_RDONLY));
	SHOW("faccessat with a dirfd of it", ({
		setresuid(0, 1000, 0);
		int fd = open("nox", O_RDONLY | O_DIRECTORY);
		setresuid(1000, 1000, 0);
		long r = faccessat(fd, "f", R_OK, AT_EACCESS);
		close(fd);
		r;
	}));
}

static void real_vs_effective(void)
{
	setresgid(1000, 1000, 1000);
	SHOW("setresuid real 0, effective 1000", setresuid(0, 1000, 0));
	rwx("root-only 0600", "own0700");
	SHOW("open it", open("own0700", O_RDONLY));
	SHOW("faccessat flags 0 (real)", faccessat(AT_FDCWD, "own0700", R_OK, 0));
	SHOW("faccessat AT_EACCESS", faccessat(AT_FDCWD, "own0700", R_OK, AT_EACCESS));
	SHOW("setresuid real 1000, effective 0", setresuid(1000, 0, 0));
	rwx("root-only 0600", "own0700");
	SHOW("open it", ({
		int fd = open("own0700", O_RDONLY);
		if (fd >= 0)
			close(fd);
		fd >= 0 ? 0L : -1L;
	}));
}

static void groups_vs_real(void)
{
	setgroups(0, NULL);
	SHOW("setresgid real 2000, effective 1000", setresgid(2000, 1000, 0));
	setresuid(1000, 1000, 0);
	rwx("group 2000 0040", "g2000");
}

int main(void)
{
	abi_scratch_enter();
	umask(0);
	chmod(".", 0755);
	abi_write_file("own0700", "x");
	chmod("own0700", 0600);
	abi_write_file("own0077", "x");
	chown("own0077", 1000, 0);
	chmod("own0077", 0077);
	abi_write_file("grp0070", "x");
	chown("grp0070", 0, 1000);
	chmod("grp0070", 0070);
	abi_write_file("grp0707", "x");
	chown("grp0707", 0, 1000);
	chmod("grp0707", 0707);
	abi_write_file("sup0050", "x");
	chown("sup0050", 0, 2000);
	chmod("sup0050", 0050);
	abi_write_file("oth0007", "x");
	chmod("oth0007", 0007);
	abi_write_file("oth0770", "x");
	chmod("oth0770", 0770);
	abi_write_file("oth0004", "x");
	chmod("oth0004", 0004);
	abi_write_file("g2000", "x");
	chown("g2000", 0, 2000);
	chmod("g2000", 0040);
	mkdir("dir0711", 0711);
	mkdir("nox", 0744);
	abi_write_file("nox/f", "x");
	chmod("nox/f", 0644);
	mkdir("xonly", 0711);
	abi_write_file("xonly/f", "x");
	chmod("xonly/f", 0644);
	mkdir("deep", 0755);
	mkdir("deep/nox", 0700);
	abi_write_file("deep/nox/f", "x");
	abi_in_child("classes", classes);
	abi_in_child("paths", paths);
	abi_in_child("real and effective", real_vs_effective);
	abi_in_child("groups", groups_vs_real);
	abi_scratch_leave();
	return 0;
}
