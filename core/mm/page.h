/*
 * Page handles inside the core: a struct vm_page is the frame's own
 * metadata (struct frame), so a handle costs nothing and its reference
 * count is the frame's, shared with the mappings of the page.
 */
#ifndef CORE_MM_PAGE_H
#define CORE_MM_PAGE_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/page.h>

/* The frame behind a handle. */
hal_paddr_t vm_page_pa(const struct vm_page *pg);

/* The handle of the allocated frame pa (no reference is taken). */
struct vm_page *vm_page_of(hal_paddr_t pa);

struct vm_space;

/* vm_page_copy_to_user_partial / vm_page_copy_from_user_partial on the
 * user memory of vs rather than the current task's (the unit tests). */
ssize_t vm_page_copy_out_partial(struct vm_space *vs,
				 const struct vm_page *pg, size_t off,
				 uintptr_t dst, size_t len);
ssize_t vm_page_copy_in_partial(struct vm_space *vs, struct vm_page *pg,
				size_t off, uintptr_t src, size_t len);

#endif
