/* Symlinks beyond files_link.c and files_path.c: O_NOFOLLOW refuses a
 * last-component link (ELOOP) but follows links before it; O_CREAT
 * through a dangling link creates its target (EEXIST with O_EXCL),
 * relative targets resolve from the link's directory, absolute ones from
 * the root, ".." after a link leaves the link's target; link targets of
 * every length up to PATH_MAX - 1 (ENAMETOOLONG at PATH_MAX), st_size the
 * target's length, an empty target (ENOENT), readlink's small buffers,
 * and links counted across one path's components (ELOOP past 40 even
 * when no single chain is that long). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "abi.h"
#include "abi_files.h"

static const char *content(const char *path)
{
	static char buf[32];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return abi_errname(errno);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void nofollow(void)
{
	int fd;

	symlink("d", "ld");
	symlink("f", "d/lf");
	SHOW("O_NOFOLLOW on a link", open("ld", O_RDONLY | O_NOFOLLOW));
	SHOW("O_NOFOLLOW on a link to a file", open("d/lf", O_RDONLY | O_NOFOLLOW));
	fd = open("ld/f", O_RDONLY | O_NOFOLLOW);
	abi_yes("O_NOFOLLOW after a link in the middle", fd >= 0);
	close(fd);
	SHOW("O_NOFOLLOW|O_DIRECTORY on a link", open("ld", O_RDONLY | O_NOFOLLOW | O_DIRECTORY));
	SHOW("O_NOFOLLOW|O_CREAT on a link", open("d/lf", O_RDWR | O_CREAT | O_NOFOLLOW, 0644));
	SHOW("O_NOFOLLOW|O_CREAT|O_EXCL on a link", open("d/lf", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0644));
	SHOW("O_NOFOLLOW|O_TRUNC on a link", open("d/lf", O_WRONLY | O_TRUNC | O_NOFOLLOW));
	printf("d/f: %s\n", content("d/f"));
}

static void creating(void)
{
	int fd;

	symlink("made", "dangling");
	SHOW("O_CREAT|O_EXCL through a dangling link", open("dangling", O_RDWR | O_CREAT | O_EXCL, 0644));
	fd = open("dangling", O_RDWR | O_CREAT, 0600);
	abi_yes("O_CREAT through a dangling link", fd >= 0);
	write(fd, "made", 4);
	close(fd);
	printf("made: %s\n", content("made"));
	SHOW("its mode", ({
		struct stat st;
		stat("made", &st) ? -1L : (long)(st.st_mode & 0777);
	}));
	symlink("nodir/x", "dangling2");
	SHOW("O_CREAT through a link into a missing directory", open("dangling2", O_RDWR | O_CREAT, 0644));
	SHOW("mkdir on a dangling link", mkdir("dangling2", 0755));
	symlink("d/new", "dangling3");
	SHOW("mkfifo on a dangling link", mkfifo("dangling3", 0644));
	SHOW("the target stays missing", access("d/new", F_OK));
}

static void resolving(void)
{
	mkdir("d/sub", 0755);
	abi_write_file("d/sub/s", "sub");
	symlink("sub/s", "d/rel");
	printf("a relative target from the link's directory: %s\n", content("d/rel"));
	symlink("d/sub", "tosub");
	printf("tosub/../f is d/f: %s\n", content("tosub/../f"));
	symlink("../f", "d/sub/up");
	printf("d/sub/up: %s\n", content("d/sub/up"));
	symlink("/", "root");
	abi_yes("root/.. is /", access("root/../tmp", F_OK) == 0);
	symlink("./././d//sub/", "dots");
	printf("dots/s: %s\n", content("dots/s"));
	symlink("d/", "slashed");
	SHOW("a target with a trailing slash to a dir", access("slashed/f", F_OK));
	symlink("f/", "d/fslash");
	SHOW("a target with a trailing slash to a file", access("d/fslash", F_OK));
}

static void lengths(void)
{
	char *t = malloc(PATH_MAX + 1), buf[8];
	struct stat st;

	memset(t, 'a', PATH_MAX);
	t[PATH_MAX - 1] = '\0';
	SHOW("a target of PATH_MAX - 1 bytes", symlink(t, "long"));
	SHOW("its st_size", (lstat("long", &st), (long)st.st_size));
	SHOW("readlink it", ({
		char *b = malloc(PATH_MAX);
		long r = readlink("long", b, PATH_MAX);
		r = r > 0 && !memcmp(b, t, r) ? r : -2;
		free(b);
		r;
	}));
	t[PATH_MAX - 1] = 'a';
	t[PATH_MAX] = '\0';
	SHOW("a target of PATH_MAX bytes", symlink(t, "toolong"));
	SHOW("an empty target", symlink("", "empty"));
	SHOW("a one-byte target", symlink("x", "one"));
	SHOW("its st_size", (lstat("one", &st), (long)st.st_size));
	SHOW("readlink into 1 byte", readlink("long", buf, 1));
	/* raw: musl's readlink answers a size of 0 itself */
	SHOW("readlinkat into 0 bytes", syscall(SYS_readlinkat, AT_FDCWD, "long", buf, 0));
	SHOW("readlink a directory", readlink("d", buf, sizeof(buf)));
	SHOW("readlink through a link", readlink("ld/lf", buf, sizeof(buf)));
	SHOW("readlink with a trailing slash", readlink("ld/", buf, sizeof(buf)));
	free(t);
}

/* 9 links per component, five components: 45 links in one path. */
static void counted(void)
{
	char name[16], next[16], path[128] = "";
	int fd;

	mkdir("c", 0755);
	for (int i = 0; i < 9; i++) {
		snprintf(name, sizeof(name), "c/l%d", i);
		snprintf(next, sizeof(next), i == 8 ? "." : "l%d", i + 1);
		symlink(next, name);
	}
	strcpy(path, "c");
	for (int i = 0; i < 4; i++)
		strcat(path, "/l0");
	fd = open(path, O_RDONLY | O_DIRECTORY);
	abi_yes("36 links over 4 components", fd >= 0);
	close(fd);
	strcat(path, "/l0");
	SHOW("45 links over 5 components", open(path, O_RDONLY | O_DIRECTORY));
}

int main(void)
{
	abi_scratch_enter();
	umask(022);
	mkdir("d", 0755);
	abi_write_file("d/f", "in d");
	abi_write_file("f", "top");
	nofollow();
	creating();
	resolving();
	lengths();
	counted();
	abi_scratch_leave();
	return 0;
}
