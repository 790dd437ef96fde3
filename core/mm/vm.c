/*
 * Address spaces: a page-table tree in the machine's format, the backend's
 * state for it (struct hal_as), the frames it maps and its object
 * mappings. This file has the life cycle, mapping and unmapping; protect,
 * query and move are in vm_range.c, copy-on-write, faults, fork and
 * kernel access in vm_cow.c, object mappings and futex keys in
 * vm_object.c.
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

int vm_check_range_prot(uintptr_t va, size_t len, unsigned prot)
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

bool vm_space_tryget(struct vm_space *vs)
{
	unsigned refs = __atomic_load_n(&vs->refs, __ATOMIC_RELAXED);

	do {
		if (refs == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&vs->refs, &refs, refs + 1,
					      true, __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
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

bool vm_range_busy(struct vm_space *vs, uintptr_t va, size_t len)
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

void vm_unmap_pages(struct vm_batch *b, uintptr_t va, size_t len)
{
	if (len)
		pt_walk(b->vs->fmt, b->vs->root, va, va + len, unmap_leaf, b);
}

int vm_map_zero(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	unsigned flags = vm_leaf_flags(prot, 0, false);
	struct vm_batch b;
	size_t done;
	int err = vm_check_range_prot(va, len, prot);

	if (err)
		return err;
	spin_lock(&vs->lock);
	if (vm_range_busy(vs, va, len)) {
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
		vm_unmap_pages(&b, va, done); /* all or nothing */
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
	int err = vm_check_range_prot(va, PAGE_SIZE, prot);

	if (err)
		return err;
	if (flags & ~VM_MAP_SHARED)
		return -EINVAL;
	/* The caller keeps its handle: a private mapping is COW at once. */
	leaf = vm_leaf_flags(prot, flags, true);
	spin_lock(&vs->lock);
	if (vm_range_busy(vs, va, PAGE_SIZE)) {
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
	vm_unmap_pages(&b, va, len);
	vm_batch_finish(&b);
	if (len && !vm_maps_cut(vs, va, len, spare, &dead))
		kfree(spare);
	spin_unlock(&vs->lock);
	vm_maps_release(&dead);
	return 0;
}
