/*
 * Page handles (the core's Frame): one page of memory that services can
 * hold, share and map without ever seeing a physical address. A handle is
 * reference counted; every mapping of the page holds a reference too, so a
 * page outlives the spaces it was mapped in as long as someone holds it.
 * Page caches, pipes and shared memory are built from these.
 *
 * Handles are opaque pointers: only the functions below touch the page.
 * Reads and writes are plain copies without locks (as Linux's page cache:
 * a reader racing a writer may see part of the write).
 */
#ifndef KEEL_PAGE_H
#define KEEL_PAGE_H

#include <keel/types.h>

struct vm_page;

/* A zero-filled page with one reference (the caller's), or NULL when
 * memory runs out. */
struct vm_page *vm_page_alloc(void);
void vm_page_get(struct vm_page *pg);
/* The last reference frees the page. */
void vm_page_put(struct vm_page *pg);

/*
 * Copy between the page's bytes [off, off+len) and kernel memory. -EINVAL
 * (nothing copied) unless the range lies inside the page.
 */
int vm_page_read(const struct vm_page *pg, size_t off, void *buf, size_t len);
int vm_page_write(struct vm_page *pg, size_t off, const void *buf,
		  size_t len);

/*
 * Copy between the page's bytes [off, off+len) and the current task's
 * user memory, through the uaccess API (faults are resolved as for
 * copy_to_user). -EINVAL unless the range lies inside the page; otherwise
 * what copy_to_user / copy_from_user returns (-EFAULT, -ENOMEM).
 */
int vm_page_copy_to_user(const struct vm_page *pg, size_t off, uptr_t dst,
			 size_t len);
int vm_page_copy_from_user(struct vm_page *pg, size_t off, uptr_t src,
			   size_t len);

/*
 * Short copies between the page's bytes [off, off+len) and the current
 * task's user memory, straight into or out of the page (no kernel buffer
 * between): what read() and write() of a page cache need. As
 * copy_to_user_partial / copy_from_user_partial: the count copied before
 * the first user page user code could not have accessed, -EFAULT (or
 * -ENOMEM) when not even the first byte went, -EFAULT before anything is
 * copied for a user range that wraps or leaves user space, 0 for len 0.
 * -EINVAL (nothing copied) unless [off, off+len) lies inside the page.
 * A short copy from the user leaves the page's bytes past the count as
 * they were.
 */
ssize_t vm_page_copy_to_user_partial(const struct vm_page *pg, size_t off,
				     uptr_t dst, size_t len);
ssize_t vm_page_copy_from_user_partial(struct vm_page *pg, size_t off,
				       uptr_t src, size_t len);

#endif
