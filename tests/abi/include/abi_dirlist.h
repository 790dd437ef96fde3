/*
 * A directory of numbered entries (/proc/self/fd, fdinfo) as one sorted
 * line, for the procfs ABI tests (procfs.c, procfs_fd.c): readdir order
 * differs between kernels, the set of numbers does not.
 */
#ifndef ABI_DIRLIST_H
#define ABI_DIRLIST_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "abi.h"

static inline int abi_cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Prints the numeric entries of the directory at path, sorted, as
 * "label: N N ..." ("label: -1 ERRNO" when it cannot be opened); with
 * skip_own, without the descriptor the listing itself holds open. */
static inline void abi_print_dir_numbers(const char *label, const char *path,
					 bool skip_own)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int v[256], n = 0;

	if (!d) {
		printf("%s: -1 %s\n", label, abi_errname(errno));
		return;
	}
	while ((e = readdir(d)) && n < 256)
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9' &&
		    !(skip_own && atoi(e->d_name) == dirfd(d)))
			v[n++] = atoi(e->d_name);
	closedir(d);
	qsort(v, n, sizeof(int), abi_cmp_int);
	printf("%s:", label);
	for (int i = 0; i < n; i++)
		printf(" %d", v[i]);
	printf("\n");
}

#endif
