/*
 * mmap and munmap over regions (see <svc/vmar.h>). New mappings are
 * anonymous demand-zero regions or object mappings (a file's pages, shared
 * anonymous memory) that the core fills on fault; where none is asked for, the first gap
 * that fits is taken top-down from below the stack (Linux's mmap base:
 * the stack's 8 MiB and a 128 MiB gap under the top of user space). A
 * fixed mapping first unmaps whatever was there, as Linux's MAP_FIXED.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <keel/vm_object.h>
#include <svc/elf.h>
#include <svc/vmar.h>

#include "vmar_internal.h"

#define MMAP_GAP (128ul << 20)

uintptr_t vmar_mmap_floor(void)
{
	return MAX(user_va_min(), (uintptr_t)VMAR_MMAP_MIN_ADDR);
}

uintptr_t vmar_mmap_base(void)
{
	return elf_stack_top() - ELF_STACK_SIZE - MMAP_GAP;
}

int vmar_unmap_locked(struct vmar *v, uintptr_t start, uintptr_t end,
		      struct vmar_region **spare)
{
	struct list_head *pos, *tmp;

	if (start >= end)
		return 0;
	vmar_split_at(v, start, &spare[0]);
	vmar_split_at(v, end, &spare[1]);
	list_for_each_safe(pos, tmp, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->start >= start && r->end <= end) {
			list_del(&r->link);
			kfree(r);
		}
	}
	return vm_unmap(v->vs, start, end - start);
}

/* Is [start, start+len) free and inside the range mappings may use?
 * Needs v->lock. */
static bool fits_at(struct vmar *v, uintptr_t start, size_t len)
{
	uintptr_t end;

	return start >= vmar_mmap_floor() &&
	       !__builtin_add_overflow(start, len, &end) &&
	       end <= user_va_max() && !vmar_range_busy(v, start, end, NULL);
}

uintptr_t vmar_find_gap(struct vmar *v, size_t len)
{
	uintptr_t end = vmar_mmap_base(), floor = vmar_mmap_floor();
	struct list_head *pos;

	for (pos = v->regions.prev; pos != &v->regions; pos = pos->prev) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->start >= end)
			continue;
		if (r->end <= end && end - r->end >= len)
			return end - len;
		end = r->start;
	}
	return end >= floor && end - floor >= len ? end - len : 0;
}

/* Frees what vmar_mmap/vmar_munmap allocated and did not consume. */
static void free_spares(struct vmar_region **spare, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kfree(spare[i]);
}

/* The object a new mapping shows: the file's (a reference of our own),
 * a new shmem object for shared anonymous memory, or NULL for private
 * anonymous memory. -ENOMEM when shmem finds no memory. */
static int mapping_object(const struct vmar_file_src *file, size_t len,
			  unsigned how, struct vm_object **obj)
{
	*obj = NULL;
	if (file) {
		vm_object_get(file->obj);
		*obj = file->obj;
	} else if (how & VMAR_MAP_SHARED) {
		*obj = shmem_create(len);
		if (!*obj)
			return -ENOMEM;
	}
	return 0;
}

int vmar_mmap(struct vmar *v, uintptr_t addr, size_t len, unsigned prot,
	      unsigned how, const struct vmar_file_src *file, uintptr_t *out)
{
	struct vmar_region *spare[3] = { kzalloc(sizeof(*spare[0])),
					 kzalloc(sizeof(*spare[1])),
					 kzalloc(sizeof(*spare[2])) };
	struct vmar_region *r = spare[2];
	struct vm_object *obj = NULL;
	int err = mapping_object(file, len, how, &obj);

	if (err || !spare[0] || !spare[1] || !spare[2]) {
		free_spares(spare, 3);
		if (obj)
			vm_object_put(obj);
		return -ENOMEM;
	}
	spin_lock(&v->lock);
	if (how & VMAR_MAP_FIXED)
		err = vmar_as_may_map(v, addr, addr + len);
	else
		err = vmar_as_may_grow(v, len);
	if (err) {
		/* past RLIMIT_AS: nothing is replaced */
	} else if (how & VMAR_MAP_FIXED) {
		if ((how & VMAR_MAP_NOREPLACE) &&
		    vmar_range_busy(v, addr, addr + len, NULL))
			err = -EEXIST;
		else
			err = vmar_unmap_locked(v, addr, addr + len, spare);
	} else if (!addr || !fits_at(v, addr, len)) {
		addr = vmar_find_gap(v, len);
		if (!addr)
			err = -ENOMEM;
	}
	if (!err && obj) {
		/* The core maps its pages on fault; the region only says the
		 * range is taken (VMAR_IMAGE: no demand-zero of its own). */
		err = vm_map_object(v->vs, addr, len, obj,
				    file ? file->off : 0, prot,
				    how & VMAR_MAP_SHARED ? VM_MAP_SHARED : 0);
	}
	if (!err) {
		r->start = addr;
		r->end = addr + len;
		r->prot = prot;
		r->kind = obj ? VMAR_IMAGE : VMAR_ANON;
		r->deny_write = file && file->deny_write;
		vmar_link_region(v, r);
		spare[2] = NULL;
		/* Best effort, as Linux's MAP_POPULATE: a page that cannot be
		 * had now comes by demand paging (or its failure) later. */
		if ((how & VMAR_MAP_POPULATE) && prot && !obj)
			vm_map_zero(v->vs, addr, len, prot);
		*out = addr;
	}
	spin_unlock(&v->lock);
	free_spares(spare, 3);
	if (obj)
		vm_object_put(obj); /* the mapping holds its own */
	return err;
}

int vmar_munmap(struct vmar *v, uintptr_t start, size_t len)
{
	struct vmar_region *spare[2] = { kzalloc(sizeof(*spare[0])),
					 kzalloc(sizeof(*spare[1])) };
	int err = -ENOMEM;

	if (spare[0] && spare[1]) {
		spin_lock(&v->lock);
		err = vmar_unmap_locked(v, start, start + len, spare);
		spin_unlock(&v->lock);
	}
	free_spares(spare, 2);
	return err;
}

/* Is every page of [start, end) in some region? Needs v->lock. */
static bool covered_locked(struct vmar *v, uintptr_t start, uintptr_t end)
{
	struct list_head *pos;
	uintptr_t at = start;

	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);

		if (r->end <= at)
			continue;
		if (r->start > at)
			break;
		at = r->end;
		if (at >= end)
			break;
	}
	return at >= end;
}

int vmar_check_mapped(struct vmar *v, uintptr_t start, uintptr_t end)
{
	bool ok;

	spin_lock(&v->lock);
	ok = covered_locked(v, start, end);
	spin_unlock(&v->lock);
	return ok ? 0 : -ENOMEM;
}

int vmar_dontneed(struct vmar *v, uintptr_t start, uintptr_t end)
{
	struct list_head *pos;
	int err = 0;

	spin_lock(&v->lock);
	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);
		uintptr_t lo = MAX(r->start, start), hi = MIN(r->end, end);

		if (lo < hi && r->kind == VMAR_ANON && !err)
			err = vm_unmap(v->vs, lo, hi - lo);
	}
	if (!err && !covered_locked(v, start, end))
		err = -ENOMEM;
	spin_unlock(&v->lock);
	return err;
}
