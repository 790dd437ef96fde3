/*
 * Reading /proc in the ABI tests of procfs (tests/abi/procfs_*.c,
 * priority.c...): a whole file into a buffer, and one field of a
 * /proc/<pid>/stat line by proc(5)'s numbering.
 */
#ifndef ABI_PROCFS_H
#define ABI_PROCFS_H

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

/* The file at path into buf from offset at on (NUL-ended, at most size
 * bytes in all); the bytes read, or -1 with errno. */
static inline long abi_slurp_at(const char *path, char *buf, size_t size,
				long at)
{
	int fd = open(path, O_RDONLY);
	long n = at, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n - at;
}

static inline long abi_slurp(const char *path, char *buf, size_t size)
{
	return abi_slurp_at(path, buf, size, 0);
}

/* Field k (1-based, k >= 3: after the comm, which may hold spaces) of the
 * stat text, or NULL when the line is shorter. */
static inline const char *abi_stat_field(const char *stat, int k)
{
	const char *p = strrchr(stat, ')');

	if (!p || !p[1])
		return NULL;
	p += 2;
	for (int i = 3; i < k && p; i++) {
		p = strchr(p, ' ');
		p = p ? p + 1 : NULL;
	}
	return p;
}

#endif
