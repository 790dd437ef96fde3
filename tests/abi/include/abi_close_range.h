/*
 * close_range(2) for the ABI tests of descriptors (files_fd.c,
 * files_closerange.c), by its number: older libcs have no wrapper. A
 * header of its own so that only the tests that call it are counted as
 * covering it in docs/syscalls.md.
 */
#ifndef ABI_CLOSE_RANGE_H
#define ABI_CLOSE_RANGE_H

#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4
#endif

static inline long abi_close_range(unsigned first, unsigned last,
				   unsigned flags)
{
	return syscall(SYS_close_range, first, last, flags);
}

#endif
