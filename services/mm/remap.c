/*
 * mremap over regions (see <svc/vmar.h>): a mapping shrinks in place,
 * grows in place when the addresses after it are free, or moves (its
 * pages with it, vm_move) to a gap or to a fixed address. Regions are not
 * merged as Linux merges neighbouring VMAs, so a range that spans two
 * regions (an mprotect split, two adjacent mmaps) is -EFAULT here where
 * Linux may accept it. The vDSO's regions move only whole (tags).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/vmar.h>

#include "vmar_internal.h"

/* Spares: [0..1] the splits of a move, [2] DONTUNMAP's region, [3..4] the
 * cut at a fixed destination, [5..6] the cut of a shrunk tail. */
#define REMAP_SPARES 7

/* The region holding all of [old, old + len), or NULL. Needs v->lock. */
static struct vmar_region *whole_region(struct vmar *v, uintptr_t old,
					size_t len)
{
	struct vmar_region *r = vmar_first_ending_above(v, old);

	if (!r || r->start > old || len > r->end - old)
		return NULL;
	return r;
}

/* Moves [old, old + old_len) of its region to dst, the region there
 * new_len long (the growth demand-zero). With keep_old (DONTUNMAP) the old
 * range stays as an empty anonymous region. Needs v->lock and spares for
 * two splits and keep_old's region. */
static int move_locked(struct vmar *v, uintptr_t old, size_t old_len,
		       uintptr_t dst, size_t new_len, bool keep_old,
		       struct vmar_region **spare)
{
	struct vmar_region *m, *left;
	int err;

	err = vm_move(v->vs, old, old_len, dst);
	if (err)
		return err;
	vmar_split_at(v, old, &spare[0]);
	vmar_split_at(v, old + old_len, &spare[1]);
	m = vmar_first_ending_above(v, old);
	list_del(&m->link);
	if (keep_old) {
		left = spare[2];
		spare[2] = NULL;
		*left = *m;
		left->kind = VMAR_ANON;
		vmar_link_region(v, left);
	}
	m->start = dst;
	m->end = dst + new_len;
	if (new_len > old_len)
		m->kind = VMAR_ANON;
	vmar_link_region(v, m);
	return 0;
}

/* The work of vmar_mremap once the lock is held. */
static int remap_locked(struct vmar *v, const struct vmar_remap *rq,
			struct vmar_region **spare, uintptr_t *out)
{
	struct vmar_region *r = vmar_first_ending_above(v, rq->old);
	size_t old_len = rq->old_len, new_len = rq->new_len;
	uintptr_t dst, end;
	int err;

	/* As Linux: the old address must be mapped; a shrink in place then
	 * just unmaps the tail, wherever the old range ends. */
	if (!r || r->start > rq->old)
		return -EFAULT;
	if (!rq->fixed && !rq->dontunmap && new_len <= old_len) {
		*out = rq->old;
		return vmar_unmap_locked(v, rq->old + new_len,
					 rq->old + old_len, &spare[5]);
	}
	r = whole_region(v, rq->old, rq->old_len);
	if (!r)
		return -EFAULT;
	if (r->tag != VMAR_TAG_NONE) {
		/* [vvar]/[vdso], as Linux's special mappings: they cannot
		 * grow, and move only whole, keeping their size. */
		if (new_len > old_len)
			return -EFAULT;
		if (rq->dontunmap || rq->old != r->start ||
		    old_len != r->end - r->start || new_len != old_len)
			return -EINVAL;
	}
	if (new_len > old_len && vmar_as_may_grow(v, new_len - old_len))
		return -ENOMEM;
	if (rq->fixed) {
		err = vmar_unmap_locked(v, rq->new_addr,
					rq->new_addr + new_len, &spare[3]);
		if (!err && new_len < old_len)
			err = vmar_unmap_locked(v, rq->old + new_len,
						rq->old + old_len, &spare[5]);
		if (err)
			return err;
		old_len = MIN(old_len, new_len);
		*out = rq->new_addr;
		return move_locked(v, rq->old, old_len, rq->new_addr,
				   new_len, rq->dontunmap, spare);
	}
	end = rq->old + old_len;
	if (!rq->dontunmap && end == r->end && end + (new_len - old_len) > end &&
	    end + (new_len - old_len) <= user_va_max() &&
	    !vmar_range_busy(v, end, end + (new_len - old_len), NULL)) {
		r->end = end + (new_len - old_len);
		r->kind = VMAR_ANON;
		*out = rq->old;
		return 0;
	}
	if (!rq->maymove)
		return -ENOMEM;
	dst = vmar_find_gap(v, new_len);
	if (!dst)
		return -ENOMEM;
	*out = dst;
	return move_locked(v, rq->old, old_len, dst, new_len, rq->dontunmap,
			   spare);
}

int vmar_mremap(struct vmar *v, const struct vmar_remap *rq, uintptr_t *out)
{
	struct vmar_region *spare[REMAP_SPARES];
	int err = 0;

	for (int i = 0; i < REMAP_SPARES; i++) {
		spare[i] = kzalloc(sizeof(*spare[i]));
		if (!spare[i])
			err = -ENOMEM;
	}
	if (!err) {
		spin_lock(&v->lock);
		err = remap_locked(v, rq, spare, out);
		spin_unlock(&v->lock);
	}
	for (int i = 0; i < REMAP_SPARES; i++)
		kfree(spare[i]);
	return err;
}
