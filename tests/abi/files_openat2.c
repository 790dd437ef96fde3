/* openat2(2): the size rules of struct open_how (EINVAL, E2BIG, EFAULT),
 * its strict flag and mode checks, and the RESOLVE_* restrictions of the
 * walk: BENEATH (EXDEV for "..", absolute paths and absolute links that
 * leave the directory), IN_ROOT (the directory as "/"), NO_SYMLINKS,
 * NO_MAGICLINKS (procfs's fd/cwd links, not /proc/self), NO_XDEV (EXDEV
 * at a mount: the test mounts a tmpfs, so it runs as root) and CACHED. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#define RESOLVE_IN_ROOT 0x10
#define RESOLVE_CACHED 0x20
#endif

struct how {
	uint64_t flags, mode, resolve;
	uint64_t tail; /* for the larger-struct cases */
};

static long o2(int dirfd, const char *path, uint64_t flags, uint64_t mode,
	       uint64_t resolve, size_t size)
{
	struct how h = { flags, mode, resolve, 0 };

	return syscall(SYS_openat2, dirfd, path, &h, size);
}

/* Prints the call's result as "ok" or the errno, closing what opened. */
static void show(const char *label, long fd)
{
	if (fd >= 0) {
		printf("%s: ok\n", label);
		close((int)fd);
	} else {
		printf("%s: %s\n", label, abi_errname(errno));
	}
}

#define O2(label, dirfd, path, flags, resolve)                              \
	(errno = 0, show(label, o2(dirfd, path, flags, 0, resolve, 24)))

static void setup(void)
{
	mkdir("d", 0755);
	mkdir("d/sub", 0755);
	mkdir("d/mnt", 0755);
	abi_write_file("d/f", "f");
	abi_write_file("outside", "o");
	symlink("/etc", "d/abs");
	symlink("f", "d/rel");
	symlink("../outside", "d/up");
	if (mount("none", "d/mnt", "tmpfs", 0, NULL))
		perror("mount");
	abi_write_file("d/mnt/g", "g");
}

static void sizes_and_flags(void)
{
	struct how h = { O_RDONLY, 0, 0, 0 };

	O2("plain", AT_FDCWD, "d/f", O_RDONLY, 0);
	errno = 0;
	show("size 23", o2(AT_FDCWD, "d/f", O_RDONLY, 0, 0, 23));
	show("size 4097", o2(AT_FDCWD, "d/f", O_RDONLY, 0, 0, 4097));
	show("size 32, zero tail", o2(AT_FDCWD, "d/f", O_RDONLY, 0, 0, 32));
	h.tail = 1;
	show("size 32, tail set", syscall(SYS_openat2, AT_FDCWD, "d/f", &h, 32));
	show("bad how pointer", syscall(SYS_openat2, AT_FDCWD, "d/f", 8, 24));
	O2("unknown flag", AT_FDCWD, "d/f", 0x40000000, 0);
	O2("flag above 32 bits", AT_FDCWD, "d/f", 1ull << 40, 0);
	show("mode without O_CREAT",
	     o2(AT_FDCWD, "d/f", O_RDONLY, 0644, 0, 24));
	show("mode past 07777",
	     o2(AT_FDCWD, "d/new", O_CREAT | O_WRONLY, 010000, 0, 24));
	show("O_CREAT with a mode",
	     o2(AT_FDCWD, "d/new", O_CREAT | O_WRONLY, 0600, 0, 24));
	O2("unknown resolve", AT_FDCWD, "d/f", O_RDONLY, 0x40);
	O2("BENEATH|IN_ROOT", AT_FDCWD, "d/f", O_RDONLY,
	   RESOLVE_BENEATH | RESOLVE_IN_ROOT);
	O2("CACHED", AT_FDCWD, "d/f", O_RDONLY, RESOLVE_CACHED);
	O2("CACHED with O_CREAT", AT_FDCWD, "d/f", O_CREAT | O_RDONLY,
	   RESOLVE_CACHED);
	O2("O_PATH|O_RDWR", AT_FDCWD, "d/f", O_PATH | O_RDWR, 0);
	O2("O_PATH|O_CLOEXEC", AT_FDCWD, "d/f", O_PATH | O_CLOEXEC, 0);
}

static void resolve_flags(void)
{
	int d = open("d", O_RDONLY | O_DIRECTORY);
	int m = open("d/mnt", O_RDONLY | O_DIRECTORY);
	int file = open("d/f", O_RDONLY);
	char magic[64];

	O2("BENEATH f", d, "f", O_RDONLY, RESOLVE_BENEATH);
	O2("BENEATH sub/../f", d, "sub/../f", O_RDONLY, RESOLVE_BENEATH);
	O2("BENEATH ../outside", d, "../outside", O_RDONLY, RESOLVE_BENEATH);
	O2("BENEATH /etc/passwd", d, "/etc/passwd", O_RDONLY, RESOLVE_BENEATH);
	O2("BENEATH absolute link", d, "abs", O_RDONLY | O_DIRECTORY,
	   RESOLVE_BENEATH);
	O2("BENEATH link up", d, "up", O_RDONLY, RESOLVE_BENEATH);
	O2("BENEATH relative link", d, "rel", O_RDONLY, RESOLVE_BENEATH);
	O2("BENEATH creates", d, "made", O_CREAT | O_WRONLY, RESOLVE_BENEATH);
	O2("BENEATH creates above", d, "../made", O_CREAT | O_WRONLY,
	   RESOLVE_BENEATH);
	O2("IN_ROOT /f", d, "/f", O_RDONLY, RESOLVE_IN_ROOT);
	O2("IN_ROOT ../../f", d, "../../f", O_RDONLY, RESOLVE_IN_ROOT);
	O2("IN_ROOT absolute link", d, "abs/passwd", O_RDONLY,
	   RESOLVE_IN_ROOT);
	O2("IN_ROOT link up", d, "up", O_RDONLY, RESOLVE_IN_ROOT);
	O2("NO_SYMLINKS rel", d, "rel", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2("NO_SYMLINKS f", d, "f", O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2("NO_SYMLINKS O_PATH|O_NOFOLLOW rel", d, "rel",
	   O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
	O2("NO_XDEV into a mount", d, "mnt/g", O_RDONLY, RESOLVE_NO_XDEV);
	O2("NO_XDEV the mount point", d, "mnt", O_RDONLY, RESOLVE_NO_XDEV);
	O2("NO_XDEV inside", m, "g", O_RDONLY, RESOLVE_NO_XDEV);
	O2("NO_XDEV out of it", m, "../f", O_RDONLY, RESOLVE_NO_XDEV);
	snprintf(magic, sizeof(magic), "/proc/self/fd/%d", file);
	O2("fd link", AT_FDCWD, magic, O_RDONLY, 0);
	O2("NO_MAGICLINKS fd link", AT_FDCWD, magic, O_RDONLY,
	   RESOLVE_NO_MAGICLINKS);
	O2("NO_MAGICLINKS cwd", AT_FDCWD, "/proc/self/cwd", O_RDONLY,
	   RESOLVE_NO_MAGICLINKS);
	O2("NO_MAGICLINKS /proc/self/status", AT_FDCWD, "/proc/self/status",
	   O_RDONLY, RESOLVE_NO_MAGICLINKS);
	O2("NO_SYMLINKS /proc/self/status", AT_FDCWD, "/proc/self/status",
	   O_RDONLY, RESOLVE_NO_SYMLINKS);
	O2("BENEATH, bad dirfd", 99, "f", O_RDONLY, RESOLVE_BENEATH);
	O2("relative, dirfd a file", file, "f", O_RDONLY, 0);
	O2("BENEATH, dirfd a file", file, "f", O_RDONLY, RESOLVE_BENEATH);
	close(file);
	close(m);
	close(d);
}

int main(void)
{
	abi_scratch_enter();
	setup();
	sizes_and_flags();
	resolve_flags();
	umount("d/mnt");
	abi_scratch_leave();
	return 0;
}
