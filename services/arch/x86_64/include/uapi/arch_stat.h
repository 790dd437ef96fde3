/*
 * x86-64's struct stat, as stat(2), fstat(2) and newfstatat(2) write it
 * (144 bytes; st_nlink before st_mode, unlike the generic layout).
 * Checked against the host's <asm/stat.h> (scripts/check-uapi).
 */
#ifndef UAPI_ARCH_STAT_H
#define UAPI_ARCH_STAT_H

#include <stdint.h>

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks; /* 512-byte units */
	uint64_t st_atime;
	uint64_t st_atime_nsec;
	uint64_t st_mtime;
	uint64_t st_mtime_nsec;
	uint64_t st_ctime;
	uint64_t st_ctime_nsec;
	int64_t __unused[3];
};

#endif
