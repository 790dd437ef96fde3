/*
 * Page handles (<keel/page.h>): a handle is a pointer to the frame's
 * metadata, so the frame allocator's reference count is the page's, and
 * mappings of the page simply hold references of their own. Accesses go
 * through the direct map.
 */
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/page.h"

#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>

hal_paddr_t vm_page_pa(const struct vm_page *pg)
{
	return frame_pa((const struct frame *)pg);
}

struct vm_page *vm_page_of(hal_paddr_t pa)
{
	return (struct vm_page *)frame_meta(pa);
}

/* The kernel address of byte off of pg. */
static char *page_ptr(const struct vm_page *pg, size_t off)
{
	return (char *)hal_phys_to_virt(vm_page_pa(pg)) + off;
}

static bool in_page(size_t off, size_t len)
{
	return off <= PAGE_SIZE && len <= PAGE_SIZE - off;
}

struct vm_page *vm_page_alloc(void)
{
	hal_paddr_t pa = frame_alloc_zeroed(0);

	return pa ? vm_page_of(pa) : NULL;
}

void vm_page_get(struct vm_page *pg)
{
	frame_get(vm_page_pa(pg));
}

void vm_page_put(struct vm_page *pg)
{
	frame_put(vm_page_pa(pg));
}

int vm_page_read(const struct vm_page *pg, size_t off, void *buf, size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	memcpy(buf, page_ptr(pg, off), len);
	return 0;
}

int vm_page_write(struct vm_page *pg, size_t off, const void *buf,
		  size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	memcpy(page_ptr(pg, off), buf, len);
	return 0;
}

int vm_page_copy_to_user(const struct vm_page *pg, size_t off, uptr_t dst,
			 size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	return copy_to_user(dst, page_ptr(pg, off), len);
}

int vm_page_copy_from_user(struct vm_page *pg, size_t off, uptr_t src,
			   size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	return copy_from_user(page_ptr(pg, off), src, len);
}

ssize_t vm_page_copy_out_partial(struct vm_space *vs,
				 const struct vm_page *pg, size_t off,
				 uintptr_t dst, size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	return vm_copy_to_user_partial(vs, dst, page_ptr(pg, off), len);
}

ssize_t vm_page_copy_in_partial(struct vm_space *vs, struct vm_page *pg,
				size_t off, uintptr_t src, size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	return vm_copy_from_user_partial(vs, page_ptr(pg, off), src, len);
}

ssize_t vm_page_copy_to_user_partial(const struct vm_page *pg, size_t off,
				     uptr_t dst, size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	return copy_to_user_partial(dst, page_ptr(pg, off), len);
}

ssize_t vm_page_copy_from_user_partial(struct vm_page *pg, size_t off,
				       uptr_t src, size_t len)
{
	if (!in_page(off, len))
		return -EINVAL;
	return copy_from_user_partial(page_ptr(pg, off), src, len);
}
