/*
 * Range operations on address spaces: protect (pages and object mappings,
 * holes left alone), query and extent queries that report holes, and
 * moving a range (mremap). Every PTE change goes through a TLB batch, as
 * in vm.c.
 */
#include "mm/frame.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/user.h>
#include <keel/vm_object.h>

struct protect_arg {
	struct vm_batch batch;
	unsigned prot;
};

static int protect_leaf(struct pt_leaf *leaf, void *arg)
{
	struct protect_arg *p = arg;
	unsigned flags = vm_leaf_flags(
		p->prot, leaf->flags & PT_SHARED ? VM_MAP_SHARED : 0,
		frame_refcount(leaf->pa) > 1);

	pt_leaf_set(leaf, leaf->pa, flags);
	vm_batch_set(&p->batch, leaf->va, leaf->pa, flags);
	return 0;
}

/*
 * Splits the object mapping containing va (if one does, and not at its
 * start) into [start, va) and [va, end). Returns 0 or -ENOMEM. vs->lock.
 */
static int split_map_at(struct vm_space *vs, uintptr_t va)
{
	struct vm_map *m = vm_map_find(vs, va), *tail;

	if (!m || m->start == va)
		return 0;
	tail = kzalloc(sizeof(*tail));
	if (!tail)
		return -ENOMEM;
	*tail = *m;
	tail->start = va;
	tail->off = m->off + (va - m->start);
	vm_object_get(tail->obj);
	vm_map_attach(tail, vs);
	m->end = va;
	list_add(&tail->link, &m->link);
	return 0;
}

/* Sets the protection of the object mappings inside [va, end) (split at
 * both ends already). Needs vs->lock. */
static void protect_maps(struct vm_space *vs, uintptr_t va, uintptr_t end,
			 unsigned prot)
{
	struct list_head *pos;

	list_for_each(pos, &vs->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);

		if (m->start >= va && m->end <= end)
			m->prot = prot;
	}
}

int vm_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	struct protect_arg arg = { .prot = prot };
	int err = vm_check_range_prot(va, len, prot);

	if (err || len == 0)
		return err;
	spin_lock(&vs->lock);
	/* A split that finds no memory leaves two mappings where one was:
	 * the same mapping, so nothing visible changed. */
	err = split_map_at(vs, va);
	if (!err)
		err = split_map_at(vs, va + len);
	if (!err) {
		protect_maps(vs, va, va + len, prot);
		vm_batch_init(&arg.batch, vs);
		pt_walk(vs->fmt, vs->root, va, va + len, protect_leaf, &arg);
		vm_batch_finish(&arg.batch);
	}
	spin_unlock(&vs->lock);
	return err;
}

/* The protection user code has on a page in principle (COW counts as
 * writable). */
static unsigned leaf_prot(unsigned flags)
{
	return (flags & PT_PROT_MASK) | (flags & PT_COW ? VM_WRITE : 0);
}

int vm_query(struct vm_space *vs, uintptr_t va, unsigned *prot)
{
	unsigned flags;
	int err;

	if (va < user_va_min() || va >= user_va_max())
		return -EINVAL;
	spin_lock(&vs->lock);
	err = pt_lookup(vs->fmt, vs->root, ALIGN_DOWN(va, PAGE_SIZE), NULL,
			&flags);
	spin_unlock(&vs->lock);
	if (err)
		return -ENOENT;
	if (prot)
		*prot = leaf_prot(flags);
	return 0;
}

/* Walk state of vm_query_extent: the run grows until a gap or a change. */
struct extent_arg {
	struct vm_extent *out;
};

#define EXTENT_DONE (-EEXIST) /* stops the walk; not an error */

static int extent_leaf(struct pt_leaf *leaf, void *arg)
{
	struct vm_extent *e = ((struct extent_arg *)arg)->out;
	unsigned prot = leaf_prot(leaf->flags);

	if (!e->present) {
		/* The first page found: the hole before it ends here. */
		if (leaf->va > e->start) {
			e->end = leaf->va;
			return EXTENT_DONE;
		}
		e->present = true;
		e->prot = prot;
		e->end = leaf->va + PAGE_SIZE;
		return 0;
	}
	if (leaf->va != e->end || prot != e->prot)
		return EXTENT_DONE;
	e->end += PAGE_SIZE;
	return 0;
}

int vm_query_extent(struct vm_space *vs, uintptr_t va, uintptr_t end,
		    struct vm_extent *out)
{
	struct extent_arg arg = { out };

	if (end <= va || vm_check_range(va, end - va))
		return -EINVAL;
	*out = (struct vm_extent){ .start = va, .end = end };
	spin_lock(&vs->lock);
	pt_walk(vs->fmt, vs->root, va, end, extent_leaf, &arg);
	spin_unlock(&vs->lock);
	return 0;
}

/* ---- Moving (mremap) ------------------------------------------------ */

struct move_arg {
	struct vm_space *vs;
	intptr_t delta; /* destination - source */
	struct vm_batch batch;
};

/* Phase one: the same frame and flags at the destination too. */
static int move_copy_leaf(struct pt_leaf *leaf, void *arg)
{
	struct move_arg *m = arg;

	return pt_map(m->vs->fmt, m->vs->root, leaf->va + m->delta, leaf->pa,
		      leaf->flags);
}

/* Undoing phase one after it ran out of memory. */
static int move_undo_leaf(struct pt_leaf *leaf, void *arg)
{
	pt_leaf_clear(leaf);
	return 0;
}

/* Phase two: the source entry goes, the destination one is announced. */
static int move_clear_leaf(struct pt_leaf *leaf, void *arg)
{
	struct move_arg *m = arg;

	pt_leaf_clear(leaf);
	vm_batch_clear(&m->batch, leaf->va);
	vm_batch_set(&m->batch, leaf->va + m->delta, leaf->pa, leaf->flags);
	return 0;
}

/*
 * Moves the object mappings of [from, from+len) by delta: each part
 * inside the range gets a record at the destination (allocated first, so
 * -ENOMEM changes nothing), then the source is cut. Needs vs->lock;
 * dropped references go to dead.
 */
static int move_maps(struct vm_space *vs, uintptr_t from, size_t len,
		     intptr_t delta, struct list_head *dead)
{
	struct list_head moved, *pos, *tmp;
	struct vm_map *spare = NULL;
	uintptr_t end = from + len;

	list_init(&moved);
	list_for_each(pos, &vs->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link), *n;

		if (m->end <= from || m->start >= end)
			continue;
		n = kzalloc(sizeof(*n));
		if (!n)
			goto nomem;
		*n = *m;
		n->start = MAX(m->start, from);
		n->end = MIN(m->end, end);
		n->off = m->off + (n->start - m->start);
		n->start += delta;
		n->end += delta;
		vm_object_get(n->obj);
		vm_map_attach(n, vs);
		list_add_tail(&n->link, &moved);
		if (m->start < from && m->end > end) {
			spare = kzalloc(sizeof(*spare));
			if (!spare)
				goto nomem;
		}
	}
	if (!vm_maps_cut(vs, from, len, spare, dead))
		kfree(spare);
	/* Insert in order: the destination is free of mappings. */
	list_for_each_safe(pos, tmp, &moved) {
		struct vm_map *n = list_entry(pos, struct vm_map, link);
		struct list_head *at = &vs->maps;
		struct list_head *p2;

		list_del(pos);
		list_for_each(p2, &vs->maps) {
			if (list_entry(p2, struct vm_map, link)->start >
			    n->start) {
				at = p2;
				break;
			}
		}
		list_add_tail(&n->link, at);
	}
	return 0;

nomem:
	kfree(spare);
	list_for_each_safe(pos, tmp, &moved) {
		list_del(pos);
		list_add_tail(pos, dead);
	}
	return -ENOMEM;
}

int vm_move(struct vm_space *vs, uintptr_t from, size_t len, uintptr_t to)
{
	struct move_arg arg = { .vs = vs, .delta = (intptr_t)(to - from) };
	struct list_head dead;
	int err = vm_check_range(from, len);

	if (!err)
		err = vm_check_range(to, len);
	if (err || len == 0)
		return err;
	if (from < to + len && to < from + len)
		return -EINVAL;
	list_init(&dead);
	spin_lock(&vs->lock);
	if (vm_range_busy(vs, to, len)) {
		err = -EEXIST;
		goto out;
	}
	err = pt_walk(vs->fmt, vs->root, from, from + len, move_copy_leaf,
		      &arg);
	if (!err)
		err = move_maps(vs, from, len, arg.delta, &dead);
	if (err) {
		pt_walk(vs->fmt, vs->root, to, to + len, move_undo_leaf, NULL);
		goto out;
	}
	vm_batch_init(&arg.batch, vs);
	pt_walk(vs->fmt, vs->root, from, from + len, move_clear_leaf, &arg);
	vm_batch_finish(&arg.batch);
out:
	spin_unlock(&vs->lock);
	vm_maps_release(&dead);
	return err;
}
