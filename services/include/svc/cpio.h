/*
 * A defensive reader of cpio "newc" archives (magic 070701, and 070702 with
 * its checksum), the initrd format. Every header field is checked against
 * the archive's bounds before it is used: a malformed or truncated archive
 * gives -EINVAL, never a read outside [archive, archive + size).
 *
 * Layout of one entry: a 110-byte ASCII header (magic, then 13 fields of 8
 * hex digits), the NUL-terminated name padded to a multiple of 4 bytes
 * from the archive start, then the data padded the same way. The entry
 * named TRAILER!!! ends the archive.
 */
#ifndef SVC_CPIO_H
#define SVC_CPIO_H

#include <keel/types.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_NAME_MAX 4096 /* longest name accepted, NUL included */

/* File type bits of cpio_entry.mode (as st_mode). */
#define CPIO_MODE_TYPE 0170000u
#define CPIO_MODE_REG 0100000u
#define CPIO_MODE_DIR 0040000u
#define CPIO_MODE_LNK 0120000u

/* One entry; pointers into the archive, valid as long as it is. */
struct cpio_entry {
	const char *name; /* NUL-terminated, as stored ("./bin/x", "x") */
	const uint8_t *data;
	size_t size;
	uint32_t mode;
	uint32_t ino, uid, gid, nlink, mtime;
	uint32_t dev_major, dev_minor;   /* of the archived file's file system */
	uint32_t rdev_major, rdev_minor; /* device nodes */
};

struct cpio_iter {
	const uint8_t *base;
	size_t size;
	size_t off; /* of the next header */
	bool done;  /* the trailer was read */
};

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t size);

/*
 * Reads the next entry into *e. Returns 0, -ENOENT once the trailer has
 * been read (and on every later call), or -EINVAL when the archive is
 * malformed there (bad magic or hex digit, a size past the end, a name
 * without its NUL, no trailer before the end).
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e);

/*
 * Finds path in the archive: a leading "/" in path and a leading "./" or
 * "/" in the stored names are ignored; when a name occurs more than once
 * the last one wins (as when the archive is unpacked). The whole archive
 * is checked. Returns 0 with *out filled, -ENOENT if absent, -EINVAL if
 * the archive is malformed anywhere.
 */
int cpio_find(const void *archive, size_t size, const char *path,
	      struct cpio_entry *out);

#endif
