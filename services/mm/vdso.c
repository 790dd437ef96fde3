/*
 * The vDSO in a process's regions: exec maps the core's vDSO span
 * (<keel/vdso.h>) as two image regions tagged [vvar] and [vdso], so that
 * /proc/self/maps names them, munmap removes them like any mapping and
 * mremap moves them (whole, as Linux's special mappings). The core maps
 * the pages; this file only keeps the records.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/vdso.h>
#include <keel/vm.h>
#include <svc/vmar.h>

#include "vmar_internal.h"

size_t vmar_vdso_span(void)
{
	return vdso_size();
}

/* A new tagged image region [start, end), or NULL on -ENOMEM. */
static struct vmar_region *tagged_region(uintptr_t start, uintptr_t end,
					 unsigned prot, uint8_t tag)
{
	struct vmar_region *r = kzalloc(sizeof(*r));

	if (r) {
		r->start = start;
		r->end = end;
		r->prot = prot;
		r->kind = VMAR_IMAGE;
		r->tag = tag;
	}
	return r;
}

int vmar_map_vdso(struct vmar *v, uintptr_t base, uintptr_t *ehdr)
{
	uintptr_t text = base + vdso_text_offset(), end = base + vdso_size();
	struct vmar_region *data = tagged_region(base, text, VM_READ,
						 VMAR_TAG_VVAR);
	struct vmar_region *code = tagged_region(text, end,
						 VM_READ | VM_EXEC,
						 VMAR_TAG_VDSO);
	int err = data && code ? 0 : -ENOMEM;

	if (!err && (end <= base || !IS_ALIGNED(base, PAGE_SIZE)))
		err = -EINVAL;
	if (!err) {
		spin_lock(&v->lock);
		if (vmar_range_busy(v, base, end, NULL))
			err = -EEXIST;
		spin_unlock(&v->lock);
	}
	if (!err)
		err = vdso_map(v->vs, base);
	if (err) {
		kfree(data);
		kfree(code);
		return err;
	}
	spin_lock(&v->lock);
	vmar_link_region(v, data);
	vmar_link_region(v, code);
	spin_unlock(&v->lock);
	*ehdr = text;
	return 0;
}

uintptr_t vmar_vdso_symbol(struct vmar *v, const char *name)
{
	size_t text_len = vdso_size() - vdso_text_offset();
	uintptr_t off, at = 0;
	struct list_head *pos;

	if (vdso_symbol_offset(name, &off))
		return 0;
	spin_lock(&v->lock);
	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->tag == VMAR_TAG_VDSO && r->end - r->start == text_len)
			at = r->start + off;
	}
	spin_unlock(&v->lock);
	return at;
}
