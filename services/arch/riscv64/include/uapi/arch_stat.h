/*
 * riscv64's struct stat, as fstat(2) and newfstatat(2) write it: the
 * generic layout (asm-generic/stat.h, 128 bytes; riscv64 has no stat(2)
 * or lstat(2), only the *at forms). Checked against the riscv64 cross
 * headers' <asm/stat.h> (scripts/check-uapi).
 */
#ifndef UAPI_ARCH_STAT_H
#define UAPI_ARCH_STAT_H

#include <stdint.h>

struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t __pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t __pad2;
	int64_t st_blocks; /* 512-byte units */
	int64_t st_atime;
	uint64_t st_atime_nsec;
	int64_t st_mtime;
	uint64_t st_mtime_nsec;
	int64_t st_ctime;
	uint64_t st_ctime_nsec;
	uint32_t __unused4;
	uint32_t __unused5;
};

#endif
