/*
 * The program break: one anonymous region [brk_start, page_up(brk)) that
 * brk(2) grows and shrinks. It is created lazily on the first growth and
 * removed again when the break returns to its start.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/vmar.h>

#include "vmar_internal.h"

#define BRK_PROT (VM_READ | VM_WRITE)

int vmar_brk_init(struct vmar *v, uintptr_t start)
{
	if (!IS_ALIGNED(start, PAGE_SIZE) || start < user_va_min() ||
	    start >= user_va_max())
		return -EINVAL;
	v->brk_start = start;
	v->brk = start;
	return 0;
}

/* The break's last region: the anonymous one ending at end (the
 * page-aligned break) and not below brk_start, or NULL. mprotect may have
 * split the break's pages into several regions. Needs v->lock. */
static struct vmar_region *brk_last_region(struct vmar *v, uintptr_t end)
{
	struct list_head *pos;

	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->end == end && r->start >= v->brk_start &&
		    r->kind == VMAR_ANON)
			return r;
	}
	return NULL;
}

/* Grows the break's pages from old_end to new_end. Needs v->lock.
 * Returns 0, -ENOMEM or -EEXIST (no room). */
static int brk_grow(struct vmar *v, uintptr_t old_end, uintptr_t new_end)
{
	struct vmar_region *r = brk_last_region(v, old_end);

	if (vmar_range_busy(v, old_end, new_end, r))
		return -EEXIST;
	if (vmar_as_may_grow(v, new_end - old_end))
		return -ENOMEM;
	if (r && r->prot == BRK_PROT) {
		r->end = new_end;
		return 0;
	}
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->start = old_end;
	r->end = new_end;
	r->prot = BRK_PROT;
	r->kind = VMAR_ANON;
	vmar_link_region(v, r);
	return 0;
}

/* Releases the break's pages from new_end to old_end, with every region
 * (or part of one) of the break there. Needs v->lock. */
static void brk_shrink(struct vmar *v, uintptr_t old_end, uintptr_t new_end)
{
	struct list_head *pos, *tmp;

	vm_unmap(v->vs, new_end, old_end - new_end);
	list_for_each_safe(pos, tmp, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->start < v->brk_start || r->kind != VMAR_ANON ||
		    r->end <= new_end || r->start >= old_end)
			continue;
		if (r->start >= new_end) {
			list_del(&r->link);
			kfree(r);
		} else {
			r->end = new_end;
		}
	}
}

uintptr_t vmar_brk(struct vmar *v, uintptr_t want)
{
	uintptr_t old_end, new_end, result;

	spin_lock(&v->lock);
	result = v->brk;
	if (!v->brk_start || want < v->brk_start ||
	    want > ALIGN_DOWN(user_va_max(), PAGE_SIZE))
		goto out;
	old_end = ALIGN_UP(v->brk, PAGE_SIZE);
	new_end = ALIGN_UP(want, PAGE_SIZE);
	if (new_end > old_end && brk_grow(v, old_end, new_end))
		goto out;
	if (new_end < old_end)
		brk_shrink(v, old_end, new_end);
	v->brk = want;
	result = want;
out:
	spin_unlock(&v->lock);
	return result;
}
