/*
 * The initial ramdisk as a read-only file store: files of the cpio archive
 * the machine was booted with (boot_initrd()).
 */
#ifndef SVC_INITRD_H
#define SVC_INITRD_H

#include <keel/types.h>

/*
 * Finds the regular file at path ("/hello" or "hello"). Returns 0 with its
 * bytes in *data and *size (read-only, valid until power-off), -ENOENT if
 * there is no such entry (or no initrd), -EACCES if the entry is not a
 * regular file, -EINVAL if the archive is malformed.
 */
int initrd_find_file(const char *path, const void **data, size_t *size);

#endif
