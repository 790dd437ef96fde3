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

#endif
