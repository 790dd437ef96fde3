/*
 * lseek(2) whence values and renameat2(2) flags (linux/fs.h). Checked
 * against the toolchain's <linux/fs.h> (scripts/check-uapi). Directory
 * entry types and struct linux_dirent64 are not in Linux's UAPI headers:
 * they are in services/vfs/dirent.h.
 */
#ifndef UAPI_FS_H
#define UAPI_FS_H

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define SEEK_DATA 3
#define SEEK_HOLE 4
#define SEEK_MAX SEEK_HOLE

#define RENAME_NOREPLACE (1 << 0)
#define RENAME_EXCHANGE (1 << 1)
#define RENAME_WHITEOUT (1 << 2)

/* preadv2/pwritev2 flags. */
#define RWF_HIPRI 0x00000001
#define RWF_DSYNC 0x00000002
#define RWF_SYNC 0x00000004
#define RWF_NOWAIT 0x00000008
#define RWF_APPEND 0x00000010
/* RWF_NOAPPEND (Linux 6.9), newer than the host headers check-uapi
 * compares with. */
#define UAPI_RWF_NOAPPEND 0x00000020

#endif
