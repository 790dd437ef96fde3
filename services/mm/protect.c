/*
 * mprotect over regions (see <svc/vmar.h>): the regions say which
 * addresses are meant to exist, so this is where a range with an address
 * in no region gets -ENOMEM, as Linux gives it: after changing the regions
 * before the gap (Linux does not undo them; programs can see it). The core
 * then changes the pages that are mapped; holes keep their region's new
 * protection for when demand paging fills them.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/vmar.h>

#include "vmar_internal.h"

/* The region after r in address order, or NULL. Needs v->lock. */
static struct vmar_region *next_region(struct vmar *v, struct vmar_region *r)
{
	if (r->link.next == &v->regions)
		return NULL;
	return list_entry(r->link.next, struct vmar_region, link);
}

/* Where the run of regions without a gap that starts at start ends (at
 * most end); start itself when start is in no region. Needs v->lock. */
static uintptr_t covered_until(struct vmar *v, uintptr_t start, uintptr_t end)
{
	struct vmar_region *r = vmar_first_ending_above(v, start);
	uintptr_t at = start;

	for (; r && r->start <= at && at < end; r = next_region(v, r))
		at = r->end;
	return MIN(at, end);
}

/* Does a region in [start, end) deny VM_WRITE? Needs v->lock. */
static bool denies_write(struct vmar *v, uintptr_t start, uintptr_t end)
{
	struct vmar_region *r;

	for (r = vmar_first_ending_above(v, start); r && r->start < end;
	     r = next_region(v, r))
		if (r->deny_write)
			return true;
	return false;
}

int vmar_protect(struct vmar *v, uintptr_t start, size_t len, unsigned prot)
{
	struct vmar_region *spare[2], *r;
	uintptr_t end, upto;
	int err = 0;

	if (!IS_ALIGNED(start, PAGE_SIZE) ||
	    (prot & ~(VM_READ | VM_WRITE | VM_EXEC)))
		return -EINVAL;
	if (len == 0)
		return 0;
	/* As Linux: a range that wraps or leaves user space holds
	 * addresses no region can cover. */
	if (__builtin_add_overflow(start, ALIGN_UP(len, PAGE_SIZE), &end) ||
	    ALIGN_UP(len, PAGE_SIZE) == 0 || end > user_va_max())
		return -ENOMEM;
	spare[0] = kzalloc(sizeof(*spare[0]));
	spare[1] = kzalloc(sizeof(*spare[1]));
	spin_lock(&v->lock);
	upto = covered_until(v, start, end);
	if (upto == start || !spare[0] || !spare[1]) {
		err = -ENOMEM;
		goto out;
	}
	if ((prot & VM_WRITE) && denies_write(v, start, upto)) {
		err = -EACCES;
		goto out;
	}
	/* Linux changes the regions before a gap, then reports it. */
	vmar_split_at(v, start, &spare[0]);
	vmar_split_at(v, upto, &spare[1]);
	for (r = vmar_first_ending_above(v, start); r && r->start < upto;
	     r = next_region(v, r))
		r->prot = prot;
	err = vm_protect(v->vs, start, upto - start, prot);
	if (!err && upto < end)
		err = -ENOMEM;
out:
	spin_unlock(&v->lock);
	kfree(spare[0]);
	kfree(spare[1]);
	return err;
}
