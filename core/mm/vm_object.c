/*
 * Memory objects and object mappings (<keel/vm_object.h>), and futex keys.
 *
 * An object is a reference count, a unique id and the pager a service
 * gave it. A space records each object mapping (struct vm_map, a sorted
 * list: mappings are few) and fills its pages on fault: the pager is asked
 * without the space's lock, and the answer is mapped only if the mapping
 * is still there and the page still missing (else the fault is simply
 * retried). A shared mapping maps the pager's page itself (PT_SHARED); a
 * private one maps it copy-on-write, or for a write fault a copy at once.
 */
#include "mm/frame.h"
#include "mm/page.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/user.h>
#include <keel/vm_object.h>

struct vm_object {
	unsigned refs; /* atomic */
	uint64_t id;
	const struct vm_pager_ops *ops;
	void *priv;
	/* Its mappings in every space (struct vm_map.obj_link), so that a
	 * cut finds the spaces: lock order vs->lock, then this lock. */
	struct spinlock lock;
	struct list_head maps;
	uint64_t gen; /* atomic: moved by every vm_object_cut */
};

struct vm_object *vm_object_create(const struct vm_pager_ops *ops,
				   void *priv)
{
	struct vm_object *obj;

	if (!ops || !ops->get_page)
		return NULL;
	obj = kzalloc(sizeof(*obj));
	if (!obj)
		return NULL;
	obj->refs = 1;
	obj->id = vm_new_id();
	obj->ops = ops;
	obj->priv = priv;
	spin_init(&obj->lock, "vm_object");
	list_init(&obj->maps);
	return obj;
}

void vm_object_get(struct vm_object *obj)
{
	kassert(__atomic_load_n(&obj->refs, __ATOMIC_RELAXED) > 0);
	__atomic_fetch_add(&obj->refs, 1, __ATOMIC_RELAXED);
}

bool vm_object_tryget(struct vm_object *obj)
{
	unsigned refs = __atomic_load_n(&obj->refs, __ATOMIC_RELAXED);

	do {
		if (refs == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&obj->refs, &refs, refs + 1,
					      true, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

void vm_object_put(struct vm_object *obj)
{
	unsigned left = __atomic_sub_fetch(&obj->refs, 1, __ATOMIC_ACQ_REL);

	if (left == (unsigned)-1)
		panic("vm_object_put of an object without references");
	if (left)
		return;
	if (obj->ops->release)
		obj->ops->release(obj);
	kfree(obj);
}

void *vm_object_priv(const struct vm_object *obj)
{
	return obj->priv;
}

/* ---- The mapping list ------------------------------------------------ */

struct vm_map *vm_map_find(struct vm_space *vs, uintptr_t va)
{
	struct list_head *pos;

	list_for_each(pos, &vs->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);

		if (m->start > va)
			break;
		if (va < m->end)
			return m;
	}
	return NULL;
}

bool vm_maps_overlap(struct vm_space *vs, uintptr_t va, size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &vs->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);

		if (m->start < va + len && va < m->end)
			return true;
	}
	return false;
}

void vm_map_attach(struct vm_map *m, struct vm_space *vs)
{
	m->vs = vs;
	m->cut_gen = 0;
	spin_lock(&m->obj->lock);
	list_add_tail(&m->obj_link, &m->obj->maps);
	spin_unlock(&m->obj->lock);
}

/* Takes m off its object's list of mappings. */
static void map_detach(struct vm_map *m)
{
	spin_lock(&m->obj->lock);
	list_del(&m->obj_link);
	spin_unlock(&m->obj->lock);
}

/* Links m into vs's sorted list (it overlaps nothing). Needs vs->lock. */
static void link_map(struct vm_space *vs, struct vm_map *m)
{
	struct list_head *pos;

	list_for_each(pos, &vs->maps) {
		if (list_entry(pos, struct vm_map, link)->start > m->start)
			break;
	}
	list_add_tail(&m->link, pos);
}

bool vm_maps_cut(struct vm_space *vs, uintptr_t va, size_t len,
		 struct vm_map *spare, struct list_head *dead)
{
	uintptr_t end = va + len;
	struct list_head *pos, *tmp;
	bool used = false;

	list_for_each_safe(pos, tmp, &vs->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);

		if (m->end <= va || m->start >= end)
			continue;
		if (m->start < va && m->end > end) {
			/* The middle goes: the tail becomes spare. */
			kassert(spare && !used);
			*spare = *m;
			spare->start = end;
			spare->off = m->off + (end - m->start);
			vm_object_get(spare->obj);
			vm_map_attach(spare, vs);
			m->end = va;
			list_add(&spare->link, &m->link);
			used = true;
		} else if (m->start < va) {
			m->end = va;
		} else if (m->end > end) {
			m->off += end - m->start;
			m->start = end;
		} else {
			list_del(pos);
			list_add_tail(pos, dead);
		}
	}
	return used;
}

void vm_maps_release(struct list_head *dead)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, dead) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);

		list_del(pos);
		map_detach(m);
		vm_object_put(m->obj);
		kfree(m);
	}
}

int vm_maps_fork(struct vm_space *src, struct vm_space *dst)
{
	struct list_head *pos;

	list_for_each(pos, &src->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);
		struct vm_map *copy = kmalloc(sizeof(*copy));

		if (!copy)
			return -ENOMEM;
		*copy = *m;
		vm_object_get(copy->obj);
		vm_map_attach(copy, dst);
		list_add_tail(&copy->link, &dst->maps);
	}
	return 0;
}

int vm_map_object(struct vm_space *vs, uintptr_t va, size_t len,
		  struct vm_object *obj, uint64_t off, unsigned prot,
		  unsigned flags)
{
	struct vm_map *m;
	uint64_t last;
	int err = vm_check_range(va, len);

	if (err)
		return err;
	if (len == 0 || !obj || !IS_ALIGNED(off, PAGE_SIZE) ||
	    __builtin_add_overflow(off, (uint64_t)len, &last) ||
	    (prot & ~(VM_READ | VM_WRITE | VM_EXEC)) ||
	    (flags & ~VM_MAP_SHARED))
		return -EINVAL;
	m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	*m = (struct vm_map){ .start = va, .end = va + len, .obj = obj,
			      .off = off, .prot = prot, .flags = flags };
	spin_lock(&vs->lock);
	if (vm_mapped_pages(vs, va, len) || vm_maps_overlap(vs, va, len)) {
		spin_unlock(&vs->lock);
		kfree(m);
		return -EEXIST;
	}
	vm_object_get(obj);
	link_map(vs, m);
	vm_map_attach(m, vs);
	spin_unlock(&vs->lock);
	return 0;
}

/* ---- Cutting --------------------------------------------------------- */

/* A space with a mapping of obj that cut gen has not dealt with yet,
 * referenced, its mappings of obj all marked as dealt with; NULL when
 * none is left. Mappings of spaces being torn down are marked and
 * skipped: their pages go anyway. */
static struct vm_space *next_space(struct vm_object *obj, uint64_t gen)
{
	struct vm_space *vs = NULL;
	struct list_head *pos;

	spin_lock(&obj->lock);
	list_for_each(pos, &obj->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, obj_link);

		if (m->cut_gen == gen)
			continue;
		if (!vs) {
			if (vm_space_tryget(m->vs))
				vs = m->vs;
			m->cut_gen = gen;
		} else if (m->vs == vs) {
			m->cut_gen = gen;
		}
	}
	spin_unlock(&obj->lock);
	return vs;
}

/* Unmaps, in vs, every page of a mapping of obj from object offset off
 * (page aligned) on. */
static void cut_space(struct vm_space *vs, struct vm_object *obj,
		      uint64_t off)
{
	struct list_head *pos;
	struct vm_batch b;

	spin_lock(&vs->lock);
	vm_batch_init(&b, vs);
	list_for_each(pos, &vs->maps) {
		struct vm_map *m = list_entry(pos, struct vm_map, link);
		uintptr_t from = m->start;

		if (m->obj != obj || m->off + (m->end - m->start) <= off)
			continue;
		if (off > m->off)
			from += off - m->off;
		vm_unmap_pages(&b, from, m->end - from);
	}
	vm_batch_finish(&b);
	spin_unlock(&vs->lock);
}

void vm_object_cut(struct vm_object *obj, uint64_t off)
{
	/* First the generation: a fault that read the old one drops what
	 * the pager gave it (install_page). */
	uint64_t gen = __atomic_add_fetch(&obj->gen, 1, __ATOMIC_SEQ_CST);
	struct vm_space *vs;

	off = ALIGN_UP(off, PAGE_SIZE);
	/* Spaces that appear meanwhile (a fork copying pages not yet cut)
	 * come up in a later round. */
	while ((vs = next_space(obj, gen))) {
		cut_space(vs, obj, off);
		vm_space_put(vs);
	}
}

/* ---- Faults ---------------------------------------------------------- */

/* Does a mapping with protection prot allow access (USER_ACCESS_*)?
 * Write implies read, as no machine here has write-only pages. */
static bool map_allows(unsigned prot, unsigned access)
{
	if (prot & VM_WRITE)
		prot |= VM_READ;
	if (!access)
		access = USER_ACCESS_READ;
	return (access & ~prot) == 0;
}

/*
 * What the fault at va found: the mapping's object (referenced) and the
 * page index there. Returns 0, -ENOENT (no mapping), -EFAULT (not
 * allowed), or 1 when the page is there already. Needs vs->lock.
 */
static int fault_target(struct vm_space *vs, uintptr_t va, unsigned access,
			struct vm_object **obj, uint64_t *idx, uint64_t *gen)
{
	struct vm_map *m = vm_map_find(vs, va);

	if (!m)
		return -ENOENT;
	if (!map_allows(m->prot, access))
		return -EFAULT;
	if (pt_lookup(vs->fmt, vs->root, va, NULL, NULL) == 0)
		return 1;
	*obj = m->obj;
	*idx = (m->off + (va - m->start)) / PAGE_SIZE;
	*gen = __atomic_load_n(&m->obj->gen, __ATOMIC_SEQ_CST);
	vm_object_get(*obj);
	return 0;
}

/*
 * Maps pg (whose reference passes here) at va if the mapping there still
 * shows obj's page idx, the page is still missing and no cut came since
 * the fault began (gen). Returns 0 (also when things changed: the fault
 * is retried) or -ENOMEM. Needs vs->lock.
 */
static int install_page(struct vm_space *vs, uintptr_t va, unsigned access,
			struct vm_object *obj, uint64_t idx, uint64_t gen,
			struct vm_page *pg)
{
	struct vm_map *m = vm_map_find(vs, va);
	hal_paddr_t pa = vm_page_pa(pg);
	struct vm_batch b;
	unsigned flags;
	int err;

	if (!m || m->obj != obj ||
	    __atomic_load_n(&obj->gen, __ATOMIC_SEQ_CST) != gen ||
	    (m->off + (va - m->start)) / PAGE_SIZE != idx ||
	    pt_lookup(vs->fmt, vs->root, va, NULL, NULL) == 0) {
		vm_page_put(pg);
		return 0;
	}
	if (m->flags & VM_MAP_SHARED) {
		flags = vm_leaf_flags(m->prot, VM_MAP_SHARED, false);
	} else if ((access & USER_ACCESS_WRITE) && (m->prot & VM_WRITE)) {
		/* A private write: the space's own copy right away. */
		hal_paddr_t copy = frame_alloc(0);

		if (!copy) {
			vm_page_put(pg);
			return -ENOMEM;
		}
		memcpy(hal_phys_to_virt(copy), hal_phys_to_virt(pa),
		       PAGE_SIZE);
		vm_page_put(pg);
		pa = copy;
		flags = vm_leaf_flags(m->prot, 0, false);
	} else {
		/* The pager keeps the page: copy-on-write. */
		flags = vm_leaf_flags(m->prot, 0, true);
	}
	err = pt_map(vs->fmt, vs->root, va, pa, flags);
	if (err) {
		frame_put(pa);
		return err;
	}
	vs->nframes++;
	vm_batch_init(&b, vs);
	vm_batch_set(&b, va, pa, flags);
	vm_batch_finish(&b);
	return 0;
}

int vm_object_fault(struct vm_space *vs, uintptr_t va, unsigned access)
{
	struct vm_object *obj = NULL;
	struct vm_page *pg = NULL;
	uint64_t idx = 0, gen = 0;
	int err;

	va = ALIGN_DOWN(va, PAGE_SIZE);
	spin_lock(&vs->lock);
	err = fault_target(vs, va, access, &obj, &idx, &gen);
	spin_unlock(&vs->lock);
	if (err)
		return err == 1 ? 0 : err;
	err = obj->ops->get_page(obj, idx, access, &pg);
	if (!err && !pg)
		err = -EIO; /* a pager bug: no page, no error */
	if (!err) {
		spin_lock(&vs->lock);
		err = install_page(vs, va, access, obj, idx, gen, pg);
		spin_unlock(&vs->lock);
	}
	vm_object_put(obj);
	return err > 0 ? -EIO : err;
}

/* ---- Futex keys ------------------------------------------------------ */

int vm_futex_key(struct vm_space *vs, uintptr_t uaddr, bool shared,
		 struct vm_futex_key *key)
{
	uintptr_t page = ALIGN_DOWN(uaddr, PAGE_SIZE);
	struct vm_map *m;
	hal_paddr_t pa;
	unsigned flags;

	if (!IS_ALIGNED(uaddr, 4))
		return -EINVAL;
	if (!vm_user_range(uaddr, 4))
		return -EFAULT;
	*key = (struct vm_futex_key){ VM_FUTEX_KEY_PRIVATE, vs->id, uaddr };
	if (!shared)
		return 0;
	spin_lock(&vs->lock);
	m = vm_map_find(vs, uaddr);
	if (m && (m->flags & VM_MAP_SHARED)) {
		*key = (struct vm_futex_key){ VM_FUTEX_KEY_OBJECT, m->obj->id,
					      m->off + (uaddr - m->start) };
	} else if (!m && pt_lookup(vs->fmt, vs->root, page, &pa, &flags) == 0 &&
		   (flags & PT_SHARED)) {
		*key = (struct vm_futex_key){ VM_FUTEX_KEY_PAGE, pa,
					      uaddr - page };
	}
	spin_unlock(&vs->lock);
	return 0;
}

bool vm_futex_key_equal(const struct vm_futex_key *a,
			const struct vm_futex_key *b)
{
	return a->kind == b->kind && a->id == b->id && a->off == b->off;
}
