/*
 * User memory regions and demand paging (see <svc/vmar.h>). The list is
 * short (a program image, its .bss, the break and the stack), so lookups
 * are linear.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/vmar.h>

#include "vmar_internal.h"

/* Pages mapped at once around a demand fault (fault-around): touching a
 * large zeroed array page by page then costs a trap per chunk. */
#define VMAR_FAULT_AROUND (16 * PAGE_SIZE)

void vmar_init(struct vmar *v, struct vm_space *vs)
{
	v->vs = vs;
	spin_init(&v->lock, "vmar");
	list_init(&v->regions);
	v->brk_start = 0;
	v->brk = 0;
	vm_set_fault_handler(vs, vmar_fault, v);
}

void vmar_destroy(struct vmar *v)
{
	struct list_head *pos, *tmp;

	vm_set_fault_handler(v->vs, NULL, NULL);
	spin_lock(&v->lock);
	list_for_each_safe(pos, tmp, &v->regions) {
		list_del(pos);
		kfree(list_entry(pos, struct vmar_region, link));
	}
	spin_unlock(&v->lock);
}

static bool range_ok(uintptr_t start, uintptr_t end)
{
	return start < end && IS_ALIGNED(start, PAGE_SIZE) &&
	       IS_ALIGNED(end, PAGE_SIZE) && start >= user_va_min() &&
	       end <= user_va_max();
}

struct vmar_region *vmar_first_ending_above(struct vmar *v, uintptr_t va)
{
	struct list_head *pos;

	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->end > va)
			return r;
	}
	return NULL;
}

bool vmar_range_busy(struct vmar *v, uintptr_t start, uintptr_t end,
		     const struct vmar_region *skip)
{
	struct list_head *pos;

	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r != skip && r->start < end && start < r->end)
			return true;
	}
	return false;
}

void vmar_link_region(struct vmar *v, struct vmar_region *r)
{
	struct vmar_region *next = vmar_first_ending_above(v, r->start);

	if (next)
		list_add_tail(&r->link, &next->link);
	else
		list_add_tail(&r->link, &v->regions);
}

/* Splits the region containing va (if it starts below va) into two at va,
 * using spare (consumed: set to NULL). Needs v->lock. */
void vmar_split_at(struct vmar *v, uintptr_t va, struct vmar_region **spare)
{
	struct vmar_region *r = vmar_first_ending_above(v, va), *tail;

	if (!r || r->start >= va)
		return;
	tail = *spare;
	*spare = NULL;
	*tail = *r;
	tail->start = va;
	r->end = va;
	list_add(&tail->link, &r->link);
}

int vmar_add(struct vmar *v, uintptr_t start, uintptr_t end, unsigned prot,
	     enum vmar_kind kind)
{
	struct vmar_region *r;

	if (!range_ok(start, end))
		return -EINVAL;
	r = kzalloc(sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->start = start;
	r->end = end;
	r->prot = prot;
	r->kind = kind;
	spin_lock(&v->lock);
	if (vmar_range_busy(v, start, end, NULL)) {
		spin_unlock(&v->lock);
		kfree(r);
		return -EEXIST;
	}
	vmar_link_region(v, r);
	spin_unlock(&v->lock);
	return 0;
}

/* The region containing va, or NULL. Needs v->lock. */
static struct vmar_region *find_region(struct vmar *v, uintptr_t va)
{
	struct vmar_region *r = vmar_first_ending_above(v, va);

	return r && r->start <= va ? r : NULL;
}

int vmar_lookup(struct vmar *v, uintptr_t va, struct vmar_region *out)
{
	struct vmar_region *r;

	spin_lock(&v->lock);
	r = find_region(v, va);
	if (r)
		*out = *r;
	spin_unlock(&v->lock);
	return r ? 0 : -ENOENT;
}

/* Does a region with protection prot (VM_*) allow access (USER_ACCESS_*)?
 * Write implies read, as no machine here has write-only pages. */
static bool access_allowed(unsigned prot, unsigned access)
{
	if ((access & USER_ACCESS_WRITE) && !(prot & VM_WRITE))
		return false;
	if ((access & USER_ACCESS_EXEC) && !(prot & VM_EXEC))
		return false;
	if ((access & USER_ACCESS_READ) && !(prot & (VM_READ | VM_WRITE)))
		return false;
	return true;
}

/*
 * Maps zero pages around page inside r: the aligned fault-around chunk
 * clipped to r, or just the page when part of the chunk is mapped already
 * or memory is too short for the chunk (so that the out-of-memory killer
 * only runs when not even the one page is left).
 */
static int map_demand_zero(struct vmar *v, const struct vmar_region *r,
			   uintptr_t page)
{
	uintptr_t lo = MAX(ALIGN_DOWN(page, VMAR_FAULT_AROUND),
			   vmar_fault_floor(v, r));
	uintptr_t hi = MIN(ALIGN_DOWN(page, VMAR_FAULT_AROUND) +
				   VMAR_FAULT_AROUND,
			   r->end);
	int err = vm_map_zero(v->vs, lo, hi - lo, r->prot);

	if (err == -EEXIST || (err == -ENOMEM && hi - lo > PAGE_SIZE))
		err = vm_map_zero(v->vs, page, PAGE_SIZE, r->prot);
	return err;
}

int vmar_fault(struct vm_space *vs, uintptr_t va, unsigned access, void *arg)
{
	struct vmar *v = arg;
	struct vmar_region *r;
	int err = -EFAULT;

	if (!v || vs != v->vs)
		return -EFAULT;
	spin_lock(&v->lock);
	r = find_region(v, va);
	if (r && r->kind == VMAR_ANON && access_allowed(r->prot, access) &&
	    va >= vmar_fault_floor(v, r)) {
		err = map_demand_zero(v, r, ALIGN_DOWN(va, PAGE_SIZE));
		/* Mapped already: the fault was about protection. */
		if (err == -EEXIST)
			err = -EFAULT;
	}
	spin_unlock(&v->lock);
	return err;
}

int vmar_copy(struct vmar *dst, struct vmar *src)
{
	struct list_head *pos;
	int err = 0;

	spin_lock(&src->lock);
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	list_for_each(pos, &src->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);
		/* No sleeping allocation under the lock: the heap does not
		 * sleep. */
		struct vmar_region *c = kmalloc(sizeof(*c));

		if (!c) {
			err = -ENOMEM;
			break;
		}
		*c = *r;
		list_add_tail(&c->link, &dst->regions);
	}
	spin_unlock(&src->lock);
	return err;
}
