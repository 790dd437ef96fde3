/*
 * The data of a tmpfs file: the core's page handles, kept in a sorted
 * array of (page number, handle). A page that is not there is a hole and
 * reads as zeros; truncation frees the pages past the new end.
 */
#ifndef TMPFS_PAGES_H
#define TMPFS_PAGES_H

#include <keel/page.h>
#include <keel/types.h>

struct tmpfs_page {
	uint64_t idx;
	struct vm_page *page;
};

struct tmpfs_pages {
	struct tmpfs_page *v;
	size_t n, cap;
};

/* Page idx, or NULL for a hole. */
struct vm_page *tmpfs_page_find(const struct tmpfs_pages *p, uint64_t idx);
/* Page idx, made (zero-filled) if it was a hole; NULL when out of
 * memory. */
struct vm_page *tmpfs_page_make(struct tmpfs_pages *p, uint64_t idx);
/* Frees every page numbered first or above. */
void tmpfs_pages_cut(struct tmpfs_pages *p, uint64_t first);
/* Frees the pages numbered first up to (not including) end: a hole. */
void tmpfs_pages_punch(struct tmpfs_pages *p, uint64_t first, uint64_t end);
/* The first page numbered idx or above that is present (data: true) or a
 * hole (false), or UINT64_MAX when there is none. */
uint64_t tmpfs_pages_next(const struct tmpfs_pages *p, uint64_t idx,
			  bool data);

#endif
