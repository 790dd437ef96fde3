/*
 * mount(2) flags and umount2(2) flags (linux/mount.h, linux/fs.h), the
 * statfs(2) structure (asm-generic/statfs.h: both architectures use the
 * generic 64-bit layout), its f_flags bits (ST_*, which glibc's
 * <sys/statvfs.h> shares with the kernel's MS_ numbering) and the file
 * system magic numbers statfs reports (linux/magic.h). Checked against
 * the toolchain's headers (scripts/check-uapi).
 */
#ifndef UAPI_MOUNT_H
#define UAPI_MOUNT_H

#include <stdint.h>

#define MS_RDONLY 1
#define MS_NOSUID 2
#define MS_NODEV 4
#define MS_NOEXEC 8
#define MS_SYNCHRONOUS 16
#define MS_REMOUNT 32
#define MS_MANDLOCK 64
#define MS_DIRSYNC 128
#define MS_NOSYMFOLLOW 256
#define MS_NOATIME 1024
#define MS_NODIRATIME 2048
#define MS_BIND 4096
#define MS_MOVE 8192
#define MS_REC 16384
#define MS_SILENT 32768
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)
#define MS_RELATIME (1 << 21)
#define MS_STRICTATIME (1 << 24)
#define MS_LAZYTIME (1 << 25)
#define MS_MGC_VAL 0xC0ED0000
#define MS_MGC_MSK 0xffff0000

/* umount2 flags (glibc's <sys/mount.h>, not the kernel's UAPI) */
#define UAPI_MNT_FORCE 0x00000001
#define UAPI_MNT_DETACH 0x00000002
#define UAPI_MNT_EXPIRE 0x00000004
#define UAPI_UMOUNT_NOFOLLOW 0x00000008

#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define SYSFS_MAGIC 0x62656572
#define PIPEFS_MAGIC 0x50495045
#define SOCKFS_MAGIC 0x534F434B
#define ANON_INODE_FS_MAGIC 0x09041934
#define DEVPTS_SUPER_MAGIC 0x1cd1

/* statfs f_flags (Linux's ST_* of fs/statfs.c; not in its UAPI headers,
 * so not checked) */
#define UAPI_ST_RDONLY 0x0001
#define UAPI_ST_NOSUID 0x0002
#define UAPI_ST_NODEV 0x0004
#define UAPI_ST_NOEXEC 0x0008
#define UAPI_ST_SYNCHRONOUS 0x0010
#define UAPI_ST_VALID 0x0020
#define UAPI_ST_NOATIME 0x0400
#define UAPI_ST_NODIRATIME 0x0800
#define UAPI_ST_RELATIME 0x1000
#define UAPI_ST_NOSYMFOLLOW 0x2000

struct linux_statfs {
	int64_t f_type;
	int64_t f_bsize;
	int64_t f_blocks;
	int64_t f_bfree;
	int64_t f_bavail;
	int64_t f_files;
	int64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};

#endif
