/*
 * The initramfs: the boot cpio archive unpacked into the root file
 * system (services/vfs/initramfs.c).
 */
#ifndef SVC_INITRAMFS_H
#define SVC_INITRAMFS_H

#include <keel/types.h>

/*
 * Unpacks archive (size bytes, untrusted) into the root. Returns 0, or
 * -EINVAL when the archive is malformed (the entries before the bad one
 * are unpacked, and a message says so), -ENOMEM. Caller holds vfs_lock.
 */
int initramfs_unpack(const void *archive, size_t size);

#endif
