/*
 * The scratch directory of the file system ABI tests (tests/abi/files_*.c,
 * pipe_*.c...): each makes a fresh directory under /tmp, works inside it
 * (relative paths only, so nothing printed names the host) and removes it
 * with everything in it at the end, natively as on Keel.
 */
#ifndef ABI_FILES_H
#define ABI_FILES_H

#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char abi_scratch_dir[64];

/* Removes the tree at path (relative to dirfd), files and symlinks
 * included; errors are ignored (the test has printed what mattered). */
static inline void abi_remove_tree(int dirfd, const char *path)
{
	struct dirent *e;
	DIR *d;
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

	if (fd < 0) {
		unlinkat(dirfd, path, 0);
		return;
	}
	d = fdopendir(fd);
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		chmod(path, 0700);
		abi_remove_tree(fd, e->d_name);
	}
	if (d)
		closedir(d);
	unlinkat(dirfd, path, AT_REMOVEDIR);
}

/* Makes and enters the scratch directory; exits with 1 if it cannot. */
static inline void abi_scratch_enter(void)
{
	strcpy(abi_scratch_dir, "/tmp/abi-XXXXXX");
	if (!mkdtemp(abi_scratch_dir) || chdir(abi_scratch_dir)) {
		perror("scratch directory");
		exit(1);
	}
}

/* Leaves the scratch directory and removes it. */
static inline void abi_scratch_leave(void)
{
	if (chdir("/"))
		return;
	abi_remove_tree(AT_FDCWD, abi_scratch_dir);
}

/* Copies the file from to a new file to (mode 0755: the tests copy
 * programs, /proc/self/exe). 0 or -1. */
static inline int abi_copy_file(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY), out = -1;
	ssize_t n = 0;

	if (in >= 0)
		out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

/* Writes the string s to a new file path (mode 0644). 0 or -1. */
static inline int abi_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

#endif
