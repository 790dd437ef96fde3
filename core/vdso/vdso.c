/*
 * The vDSO's pages: at boot the embedded image (mk/vdso.mk's blob,
 * vdso_image_start .. vdso_image_end) is copied into pages of its own
 * and the vvar page is allocated; exec maps both into each new process
 * (vdso_map), private and read-only, so every process shares the same
 * physical pages until one writes to its copy. They are one memory
 * object (vvar at offset 0, the text after it) whose pager hands out
 * those pages, so that a page is mapped when a process first touches it,
 * as Linux faults its vDSO in: exec and fork pay nothing for a process
 * that never reads the clock.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/page.h>
#include <keel/string.h>
#include <keel/user.h>
#include <keel/vdso.h>
#include <keel/vm.h>
#include <keel/vm_object.h>

#include "mm/page.h"
#include "vdso/vdso_internal.h"

#define VDSO_MAX_PAGES 4

extern const uint8_t vdso_image_start[], vdso_image_end[];

static struct vm_page *vvar_page;
static struct vm_page *text_pages[VDSO_MAX_PAGES];
static size_t text_npages;

static struct vm_object *vdso_object;

_Static_assert(VVAR_SIZE == PAGE_SIZE, "the vvar is one page");

/* The pager: page 0 is the vvar page, 1.. the text. */
static int vdso_get_page(struct vm_object *obj, uint64_t idx, unsigned access,
			 struct vm_page **out)
{
	struct vm_page *pg = idx == 0 ? vvar_page :
			     idx <= text_npages ? text_pages[idx - 1] :
						  NULL;

	if (!pg)
		return -ENXIO;
	vm_page_get(pg);
	*out = pg;
	return 0;
}

static const struct vm_pager_ops vdso_pager = {
	.get_page = vdso_get_page,
};

/* The kernel's view of page pg (the direct map). */
static void *page_va(struct vm_page *pg)
{
	return hal_phys_to_virt(vm_page_pa(pg));
}

void vdso_init(void)
{
	size_t len = (size_t)(vdso_image_end - vdso_image_start);
	uintptr_t off;

	text_npages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	if (len == 0 || text_npages > VDSO_MAX_PAGES ||
	    vdso_elf_lookup(vdso_image_start, len, "__vdso_clock_gettime",
			    &off) != 0)
		panic("the embedded vDSO image is malformed (%zu bytes)", len);
	vvar_page = vm_page_alloc();
	if (!vvar_page)
		panic("no memory for the vvar page");
	for (size_t i = 0; i < text_npages; i++) {
		size_t n = MIN(PAGE_SIZE, len - i * PAGE_SIZE);

		text_pages[i] = vm_page_alloc();
		if (!text_pages[i])
			panic("no memory for the vDSO");
		memcpy(page_va(text_pages[i]), vdso_image_start + i * PAGE_SIZE,
		       n);
	}
	vdso_object = vm_object_create(&vdso_pager, NULL);
	if (!vdso_object)
		panic("no memory for the vDSO object");
	vvar_init(page_va(vvar_page));
}

size_t vdso_size(void)
{
	return VVAR_SIZE + text_npages * PAGE_SIZE;
}

size_t vdso_text_offset(void)
{
	return VVAR_SIZE;
}

int vdso_map(struct vm_space *vs, uintptr_t base)
{
	int err;

	if (!vdso_object || !IS_ALIGNED(base, PAGE_SIZE) ||
	    base < user_va_min() || base > user_va_max() ||
	    user_va_max() - base < vdso_size())
		return -EINVAL;
	err = vm_map_object(vs, base, VVAR_SIZE, vdso_object, 0, VM_READ, 0);
	if (err)
		return err;
	err = vm_map_object(vs, base + VVAR_SIZE, vdso_size() - VVAR_SIZE,
			    vdso_object, VVAR_SIZE, VM_READ | VM_EXEC, 0);
	if (err) {
		vm_unmap(vs, base, VVAR_SIZE);
		return err;
	}
	vdso_clock_sync(); /* a first description, if the HAL has one */
	return 0;
}

int vdso_symbol_offset(const char *name, uintptr_t *off)
{
	return vdso_elf_lookup(vdso_image_start,
			       (size_t)(vdso_image_end - vdso_image_start),
			       name, off);
}
