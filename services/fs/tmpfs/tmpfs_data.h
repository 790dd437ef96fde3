/*
 * The data of a tmpfs regular file, shared by the inode and by every
 * memory object that maps it (tmpfs_mmap.c): the page index, the size and
 * a spinlock, reference counted so that a mapping outlives the inode's
 * last name and the release of a mapping never needs vfs_lock (it may run
 * under the vmar's spinlock).
 *
 * Locking: writers (write, truncate) hold vfs_lock and take data->lock
 * around every change of the index or size; a pager fault takes only
 * data->lock (it runs in a task that may hold vfs_lock already: a read
 * into a mapping of the same file), so readers under vfs_lock take it
 * around lookups too.
 */
#ifndef TMPFS_DATA_H
#define TMPFS_DATA_H

#include <keel/sync.h>

#include "tmpfs_pages.h"

struct vm_object;

struct tmpfs_data {
	struct spinlock lock;
	unsigned refs; /* atomic: the inode's and one per memory object */
	struct tmpfs_pages pages;
	uint64_t size; /* the inode's size, for faults past the end */
	/* The file's memory object while one lives: every mmap of the file
	 * gets this one, so that futex keys (object, offset) agree across
	 * mappings. Not counted: its release clears it (d->lock). */
	struct vm_object *obj;
};

/* New empty data with one reference, or NULL. */
struct tmpfs_data *tmpfs_data_new(void);
void tmpfs_data_get(struct tmpfs_data *d);
/* The last reference frees the pages. Never sleeps. */
void tmpfs_data_put(struct tmpfs_data *d);

/* Page idx under d->lock, or NULL for a hole. */
struct vm_page *tmpfs_data_find(struct tmpfs_data *d, uint64_t idx);
/* Page idx under d->lock, made if it was a hole; NULL without memory. */
struct vm_page *tmpfs_data_make(struct tmpfs_data *d, uint64_t idx);

/* d's memory object with a reference taken, or NULL while it has none
 * (no mapping lives). d->lock held. */
struct vm_object *tmpfs_data_object(struct tmpfs_data *d);

/*
 * The file's memory object (file_ops.mmap of a tmpfs file), a reference
 * for the caller: the one its other mappings use, or a new one holding a
 * reference to d. Its pager hands out the file's own pages (made on
 * first touch), so that shared mappings, private ones until they copy,
 * read and write all see the same bytes. Pages wholly past the end of
 * the file fault with -ENXIO (SIGBUS). 0 or -ENOMEM.
 */
int tmpfs_data_mmap(struct tmpfs_data *d, struct vm_object **out);

#endif
