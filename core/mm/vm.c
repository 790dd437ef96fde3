/*
 * Address spaces: a page-table tree in the machine's format, the backend's
 * state for it (struct hal_as), the frames it maps and its object
 * mappings. This file has the life cycle and the range operations (map,
 * unmap, protect, query, move); copy-on-write, faults, fork and kernel
 * access are in vm_cow.c, object mappings and futex keys in vm_object.c.
 *
 * Every PTE change goes through a TLB batch (vm_batch.c), which releases a
 * frame only after the backend's synchronous flush, so no CPU or hosted
 * stub can reach a frame once it is reused. The one exception is teardown,
 * which runs after hal_as_destroy.
 *
 * Sharing: PT_COW marks a private page that is writable in principle but
 * possibly shared, so the hardware sees it read-only; a write fault gives
 * the space a frame of its own (or, when the frame's refcount shows nobody
 * else holds it, just makes it writable). PT_SHARED marks a shared mapping:
 * it is never copied, and stays writable across fork and vm_protect.
 */
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/page.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/user.h>
#include <keel/vm_object.h>

_Static_assert(VM_READ == PT_READ && VM_WRITE == PT_WRITE &&
		       VM_EXEC == PT_EXEC,
	       "VM_* and PT_* protections must agree");
_Static_assert(HAL_PROT_READ == PT_READ && HAL_PROT_WRITE == PT_WRITE &&
		       HAL_PROT_EXEC == PT_EXEC,
	       "HAL_PROT_* and PT_* protections must agree");
_Static_assert(USER_ACCESS_READ == VM_READ && USER_ACCESS_WRITE == VM_WRITE &&
		       USER_ACCESS_EXEC == VM_EXEC,
	       "USER_ACCESS_* and VM_* must agree");
_Static_assert(HAL_PAGE_SIZE == PAGE_SIZE, "one page size");

#define VM_PROT_ALL (VM_READ | VM_WRITE | VM_EXEC)

uintptr_t user_va_min(void)
{
	return HAL_USER_VA_MIN;
}

uintptr_t user_va_max(void)
{
	return MIN((uintptr_t)HAL_USER_VA_MAX, pt_user_limit(pt_active()));
}

bool vm_user_range(uintptr_t va, size_t len)
{
	uintptr_t end;

	return !__builtin_add_overflow(va, len, &end) && va >= user_va_min() &&
	       end <= user_va_max();
}

bool vm_access_ok(unsigned flags, unsigned access)
{
	if (!(flags & PT_USER))
		return false;
	if (!access)
		access = USER_ACCESS_READ;
	return (access & ~flags & PT_PROT_MASK) == 0;
}

int vm_check_range(uintptr_t va, size_t len)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(len, PAGE_SIZE))
		return -EINVAL;
	if (len == 0 ? va < user_va_min() || va > user_va_max()
		     : !vm_user_range(va, len))
		return -EINVAL;
	return 0;
}

/* vm_check_range, and -EINVAL for a protection with bits beyond VM_*. */
static int check_range_prot(uintptr_t va, size_t len, unsigned prot)
{
	if (prot & ~VM_PROT_ALL)
		return -EINVAL;
	return vm_check_range(va, len);
}

unsigned vm_leaf_flags(unsigned prot, unsigned map_flags, bool shared_frame)
{
	unsigned flags = PT_USER | (prot & PT_PROT_MASK);

	/* Preset A and D: some machines fault rather than set them. */
	if (prot)
		flags |= PT_ACCESSED;
	if (prot & VM_WRITE)
		flags |= PT_DIRTY;
	if (map_flags & VM_MAP_SHARED)
		return flags | PT_SHARED;
	/* Someone else still holds the frame: write only after a copy. */
	if ((flags & PT_WRITE) && shared_frame)
		flags = (flags & ~(PT_WRITE | PT_DIRTY)) | PT_COW;
	return flags;
}

uint64_t vm_new_id(void)
{
	static uint64_t next_id;

	return __atomic_add_fetch(&next_id, 1, __ATOMIC_RELAXED);
}

/* ---- Life cycle ----------------------------------------------------- */

struct vm_space *vm_space_create(void)
{
	struct vm_space *vs = kzalloc(sizeof(*vs));

	if (!vs)
		return NULL;
	vs->fmt = pt_active();
	vs->root = pt_root_alloc();
	if (!vs->root)
		goto fail;
	if (hal_as_init(&vs->as, vs->root) != 0)
		goto fail_root;
	spin_init(&vs->lock, "vm_space");
	list_init(&vs->maps);
	vs->refs = 1;
	vs->id = vm_new_id();
	return vs;

fail_root:
	pt_root_free(vs->root);
fail:
	kfree(vs);
	return NULL;
}

void vm_space_get(struct vm_space *vs)
{
	kassert(__atomic_load_n(&vs->refs, __ATOMIC_RELAXED) > 0);
	__atomic_fetch_add(&vs->refs, 1, __ATOMIC_RELAXED);
}

/* Teardown: the backend is gone, so no TLB calls. */
static int drop_leaf(struct pt_leaf *leaf, void *arg)
{
	struct vm_space *vs = arg;

	pt_leaf_clear(leaf);
	frame_put(leaf->pa);
	vs->nframes--;
	return 0;
}

static void vm_space_destroy(struct vm_space *vs)
{
	struct list_head dead;

	hal_as_destroy(&vs->as);
	pt_walk(vs->fmt, vs->root, user_va_min(), user_va_max(), drop_leaf,
		vs);
	kassert(vs->nframes == 0);
	pt_free_tables(vs->fmt, vs->root, user_va_min(), user_va_max());
	pt_root_free(vs->root);
	list_init(&dead);
	vm_maps_cut(vs, user_va_min(), user_va_max() - user_va_min(), NULL,
		    &dead);
	vm_maps_release(&dead);
	kfree(vs);
}

void vm_space_put(struct vm_space *vs)
{
	unsigned left = __atomic_sub_fetch(&vs->refs, 1, __ATOMIC_ACQ_REL);

	if (left == (unsigned)-1)
		panic("vm_space_put of a space without references");
	if (left == 0)
		vm_space_destroy(vs);
}

struct hal_as *vm_space_hal(struct vm_space *vs)
{
	return &vs->as;
}

size_t vm_space_frames(const struct vm_space *vs)
{
	return __atomic_load_n(&vs->nframes, __ATOMIC_RELAXED);
}

void vm_set_fault_handler(struct vm_space *vs, vm_fault_handler_t fn,
			  void *arg)
{
	spin_lock(&vs->lock);
	vs->fault_fn = fn;
	vs->fault_arg = arg;
	spin_unlock(&vs->lock);
}

/* ---- Mapping -------------------------------------------------------- */

static int count_leaf(struct pt_leaf *leaf, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

size_t vm_mapped_pages(struct vm_space *vs, uintptr_t va, size_t len)
{
	size_t n = 0;

	if (len)
		pt_walk(vs->fmt, vs->root, va, va + len, count_leaf, &n);
	return n;
}

/* Is anything (a page, an object mapping) in [va, va+len)? vs->lock. */
static bool range_busy(struct vm_space *vs, uintptr_t va, size_t len)
{
	return vm_mapped_pages(vs, va, len) || vm_maps_overlap(vs, va, len);
}

/* Unmaps one leaf during a walk: clear, then flush and release. */
static int unmap_leaf(struct pt_leaf *leaf, void *arg)
{
	struct vm_batch *b = arg;

	pt_leaf_clear(leaf);
	vm_batch_clear(b, leaf->va);
	vm_batch_put(b, leaf->pa);
	b->vs->nframes--;
	return 0;
}

/* Unmaps the pages of [va, va+len) into b. Needs vs->lock. */
static void unmap_pages(struct vm_batch *b, uintptr_t va, size_t len)
{
	if (len)
		pt_walk(b->vs->fmt, b->vs->root, va, va + len, unmap_leaf, b);
}

int vm_map_zero(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	unsigned flags = vm_leaf_flags(prot, 0, false);
	struct vm_batch b;
	size_t done;
	int err = check_range_prot(va, len, prot);

	if (err)
		return err;
	spin_lock(&vs->lock);
	if (range_busy(vs, va, len)) {
		spin_unlock(&vs->lock);
		return -EEXIST;
	}
	vm_batch_init(&b, vs);
	for (done = 0; done < len; done += PAGE_SIZE) {
		hal_paddr_t pa = frame_alloc_zeroed(0);

		if (!pa) {
			err = -ENOMEM;
			break;
		}
		err = pt_map(vs->fmt, vs->root, va + done, pa, flags);
		if (err) {
			frame_free(pa);
			break;
		}
		vs->nframes++;
		vm_batch_set(&b, va + done, pa, flags);
	}
	if (err)
		unmap_pages(&b, va, done); /* all or nothing */
	vm_batch_finish(&b);
	spin_unlock(&vs->lock);
	return err;
}

int vm_map_page(struct vm_space *vs, uintptr_t va, struct vm_page *pg,
		unsigned prot, unsigned flags)
{
	hal_paddr_t pa = vm_page_pa(pg);
	unsigned leaf;
	struct vm_batch b;
	int err = check_range_prot(va, PAGE_SIZE, prot);

	if (err)
		return err;
	if (flags & ~VM_MAP_SHARED)
		return -EINVAL;
	/* The caller keeps its handle: a private mapping is COW at once. */
	leaf = vm_leaf_flags(prot, flags, true);
	spin_lock(&vs->lock);
	if (range_busy(vs, va, PAGE_SIZE)) {
		err = -EEXIST;
	} else {
		err = pt_map(vs->fmt, vs->root, va, pa, leaf);
	}
	if (!err) {
		frame_get(pa);
		vs->nframes++;
		vm_batch_init(&b, vs);
		vm_batch_set(&b, va, pa, leaf);
		vm_batch_finish(&b);
	}
	spin_unlock(&vs->lock);
	return err;
}

int vm_unmap(struct vm_space *vs, uintptr_t va, size_t len)
{
	struct vm_map *spare = NULL;
	struct list_head dead;
	struct vm_batch b;
	int err = vm_check_range(va, len);

	if (err)
		return err;
	list_init(&dead);
	spin_lock(&vs->lock);
	if (len) {
		struct vm_map *m = vm_map_find(vs, va);

		/* Cutting the middle out of a mapping leaves two. */
		if (m && m->start < va && m->end > va + len) {
			spare = kzalloc(sizeof(*spare));
			if (!spare) {
				spin_unlock(&vs->lock);
				return -ENOMEM;
			}
		}
	}
	vm_batch_init(&b, vs);
	unmap_pages(&b, va, len);
	vm_batch_finish(&b);
	if (len && !vm_maps_cut(vs, va, len, spare, &dead))
		kfree(spare);
	spin_unlock(&vs->lock);
	vm_maps_release(&dead);
	return 0;
}

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
	int err = check_range_prot(va, len, prot);

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
	if (range_busy(vs, to, len)) {
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
