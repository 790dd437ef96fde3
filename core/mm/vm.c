/*
 * Address spaces: a page-table tree in the machine's format, the backend's
 * state for it (struct hal_as) and the frames it maps, with copy-on-write
 * fork.
 *
 * Every PTE change is followed by hal_tlb_update (new translation) or
 * hal_tlb_invalidate (none, or no access), and a frame is released only
 * after that, so no CPU or hosted stub can reach a frame once it is reused.
 * The one exception is teardown, which runs after hal_as_destroy.
 *
 * Copy-on-write: PT_COW marks a page that is writable in principle but
 * possibly shared, so the hardware sees it read-only; a write fault gives
 * the space a frame of its own (or, when the frame's refcount shows nobody
 * else holds it, just makes it writable). A shared page without write
 * permission has no PT_COW; if mprotect later grants write, it gets
 * PT_COW then.
 */
#include "mm/frame.h"
#include "mm/mm.h"
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

/* -EINVAL unless [va, va+len) is a page-aligned part of the user range. */
static int check_range(uintptr_t va, size_t len)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(len, PAGE_SIZE))
		return -EINVAL;
	if (len == 0 ? va < user_va_min() || va > user_va_max()
		     : !vm_user_range(va, len))
		return -EINVAL;
	return 0;
}

/* check_range, and -EINVAL for a protection with bits beyond VM_*. */
static int check_range_prot(uintptr_t va, size_t len, unsigned prot)
{
	if (prot & ~VM_PROT_ALL)
		return -EINVAL;
	return check_range(va, len);
}

/* The leaf flags for a user page with protection prot (VM_*). */
static unsigned prot_flags(unsigned prot)
{
	unsigned flags = PT_USER | (prot & PT_PROT_MASK);

	/* Preset A and D: some machines fault rather than set them. */
	if (prot)
		flags |= PT_ACCESSED;
	if (prot & VM_WRITE)
		flags |= PT_DIRTY;
	return flags;
}

/* Tells the backend that va now maps pa with flags. */
static void tlb_sync(struct vm_space *vs, uintptr_t va, hal_paddr_t pa,
		     unsigned flags)
{
	unsigned prot = flags & PT_PROT_MASK;

	if (prot)
		hal_tlb_update(&vs->as, va, pa, prot);
	else
		hal_tlb_invalidate(&vs->as, va, PAGE_SIZE);
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
	vs->refs = 1;
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
	hal_as_destroy(&vs->as);
	pt_walk(vs->fmt, vs->root, user_va_min(), user_va_max(), drop_leaf,
		vs);
	kassert(vs->nframes == 0);
	pt_free_tables(vs->fmt, vs->root, user_va_min(), user_va_max());
	pt_root_free(vs->root);
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

/* Pages mapped in [va, va+len) (both page aligned). Needs vs->lock. */
static size_t mapped_pages(struct vm_space *vs, uintptr_t va, size_t len)
{
	size_t n = 0;

	if (len)
		pt_walk(vs->fmt, vs->root, va, va + len, count_leaf, &n);
	return n;
}

/* Unmaps one leaf during a walk: clear, flush, then release. */
static int unmap_leaf(struct pt_leaf *leaf, void *arg)
{
	struct vm_space *vs = arg;

	pt_leaf_clear(leaf);
	hal_tlb_invalidate(&vs->as, leaf->va, PAGE_SIZE);
	frame_put(leaf->pa);
	vs->nframes--;
	return 0;
}

static void unmap_locked(struct vm_space *vs, uintptr_t va, size_t len)
{
	if (len)
		pt_walk(vs->fmt, vs->root, va, va + len, unmap_leaf, vs);
}

int vm_map_zero(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	unsigned flags = prot_flags(prot);
	size_t done;
	int err = check_range_prot(va, len, prot);

	if (err)
		return err;
	spin_lock(&vs->lock);
	if (mapped_pages(vs, va, len)) {
		spin_unlock(&vs->lock);
		return -EEXIST;
	}
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
		tlb_sync(vs, va + done, pa, flags);
	}
	if (err)
		unmap_locked(vs, va, done); /* all or nothing */
	spin_unlock(&vs->lock);
	return err;
}

int vm_unmap(struct vm_space *vs, uintptr_t va, size_t len)
{
	int err = check_range(va, len);

	if (err)
		return err;
	spin_lock(&vs->lock);
	unmap_locked(vs, va, len);
	spin_unlock(&vs->lock);
	return 0;
}

struct protect_arg {
	struct vm_space *vs;
	unsigned prot;
};

static int protect_leaf(struct pt_leaf *leaf, void *arg)
{
	struct protect_arg *p = arg;
	unsigned flags = prot_flags(p->prot);

	/* Someone else still holds the frame: write only after a copy. */
	if ((flags & PT_WRITE) && frame_refcount(leaf->pa) > 1)
		flags = (flags & ~(PT_WRITE | PT_DIRTY)) | PT_COW;
	pt_leaf_set(leaf, leaf->pa, flags);
	tlb_sync(p->vs, leaf->va, leaf->pa, flags);
	return 0;
}

int vm_protect(struct vm_space *vs, uintptr_t va, size_t len, unsigned prot)
{
	struct protect_arg arg = { vs, prot };
	int err = check_range_prot(va, len, prot);

	if (err)
		return err;
	spin_lock(&vs->lock);
	if (mapped_pages(vs, va, len) != len / PAGE_SIZE)
		err = -ENOMEM;
	else if (len)
		pt_walk(vs->fmt, vs->root, va, va + len, protect_leaf, &arg);
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

/* ---- Copy-on-write -------------------------------------------------- */

/*
 * Gives the page at va (mapped to pa with flags) a frame nobody else
 * holds, copying it if it is shared; a COW page becomes writable. Returns
 * 0 or -ENOMEM (nothing changed). Needs vs->lock.
 */
static int unshare_page(struct vm_space *vs, uintptr_t va, hal_paddr_t pa,
			unsigned flags)
{
	hal_paddr_t new_pa = pa;

	if (frame_refcount(pa) > 1) {
		new_pa = frame_alloc(0);
		if (!new_pa)
			return -ENOMEM;
		memcpy(hal_phys_to_virt(new_pa), hal_phys_to_virt(pa),
		       PAGE_SIZE);
	}
	if (flags & PT_COW)
		flags = (flags & ~PT_COW) | PT_WRITE | PT_DIRTY;
	kassert(pt_update(vs->fmt, vs->root, va, new_pa, flags) == 0);
	tlb_sync(vs, va, new_pa, flags);
	if (new_pa != pa)
		frame_put(pa);
	return 0;
}

/*
 * One attempt at resolving an access to the page at va without the fault
 * handler. Returns 0 when the access is allowed now, -ENOMEM, or -EFAULT
 * when only the handler could help. Needs vs->lock.
 */
static int resolve_locked(struct vm_space *vs, uintptr_t va, unsigned access)
{
	hal_paddr_t pa;
	unsigned flags;

	if (pt_lookup(vs->fmt, vs->root, va, &pa, &flags) != 0)
		return -EFAULT;
	if ((access & USER_ACCESS_WRITE) && (flags & PT_COW) &&
	    (flags & PT_USER))
		return unshare_page(vs, va, pa, flags);
	return vm_access_ok(flags, access) ? 0 : -EFAULT;
}

int vm_resolve_fault(struct vm_space *vs, uintptr_t va, unsigned access)
{
	vm_fault_handler_t fn;
	void *arg;
	int err;

	if (va < user_va_min() || va >= user_va_max())
		return -EFAULT;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	for (int round = 0;; round++) {
		spin_lock(&vs->lock);
		err = resolve_locked(vs, va, access);
		fn = vs->fault_fn;
		arg = vs->fault_arg;
		spin_unlock(&vs->lock);
		if (err != -EFAULT || round == 1 || !fn)
			return err;
		/* The handler maps what it can; then look again, once. */
		err = fn(vs, va, access, arg);
		if (err)
			return err == -ENOMEM ? -ENOMEM : -EFAULT;
	}
}

struct fork_arg {
	struct vm_space *src, *dst;
};

/* Shares one page of the parent with the child, copy-on-write. */
static int fork_leaf(struct pt_leaf *leaf, void *arg)
{
	struct fork_arg *f = arg;
	unsigned flags = leaf->flags;
	int err;

	if (flags & PT_WRITE)
		flags = (flags & ~(PT_WRITE | PT_DIRTY)) | PT_COW;
	err = pt_map(f->dst->fmt, f->dst->root, leaf->va, leaf->pa, flags);
	if (err)
		return err;
	frame_get(leaf->pa);
	f->dst->nframes++;
	tlb_sync(f->dst, leaf->va, leaf->pa, flags);
	if (flags != leaf->flags) {
		pt_leaf_set(leaf, leaf->pa, flags);
		tlb_sync(f->src, leaf->va, leaf->pa, flags);
	}
	return 0;
}

int vm_space_fork(struct vm_space *src, struct vm_space **out)
{
	struct fork_arg arg = { src, vm_space_create() };
	int err;

	if (!arg.dst)
		return -ENOMEM;
	spin_lock(&src->lock);
	err = pt_walk(src->fmt, src->root, user_va_min(), user_va_max(),
		      fork_leaf, &arg);
	spin_unlock(&src->lock);
	if (err) {
		/* The parent's pages made COW stay so: harmless, a write
		 * fault finds them unshared and just makes them writable. */
		vm_space_put(arg.dst);
		return err;
	}
	*out = arg.dst;
	return 0;
}

/* ---- Kernel access -------------------------------------------------- */

/* Copies between buf and [va, va+len) of vs page by page; with write,
 * shared frames are unshared first. Needs vs->lock and every page mapped. */
static int access_locked(struct vm_space *vs, uintptr_t va, void *buf,
			 size_t len, bool write)
{
	char *b = buf;

	while (len) {
		size_t off = va & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);
		uintptr_t page = va - off;
		hal_paddr_t pa;
		unsigned flags;
		char *kp;

		kassert(pt_lookup(vs->fmt, vs->root, page, &pa, &flags) == 0);
		if (write && frame_refcount(pa) > 1) {
			int err = unshare_page(vs, page, pa, flags);

			if (err)
				return err;
			kassert(pt_lookup(vs->fmt, vs->root, page, &pa,
					  NULL) == 0);
		}
		kp = (char *)hal_phys_to_virt(pa) + off;
		if (write)
			memcpy(kp, b, n);
		else
			memcpy(b, kp, n);
		b += n;
		va += n;
		len -= n;
	}
	return 0;
}

/*
 * vm_read / vm_write: checks that [va, va+len) is user range and fully
 * mapped, then copies under vs->lock (taken here). Returns 0, -EFAULT
 * (nothing copied), or for a write -ENOMEM when breaking copy-on-write
 * sharing ran out of frames (the pages before that one are written).
 */
static int vm_access(struct vm_space *vs, uintptr_t va, void *buf,
		     size_t len, bool write)
{
	uintptr_t first, last;
	int err;

	if (len == 0)
		return 0;
	if (!vm_user_range(va, len))
		return -EFAULT;
	first = ALIGN_DOWN(va, PAGE_SIZE);
	last = ALIGN_UP(va + len, PAGE_SIZE);
	spin_lock(&vs->lock);
	if (mapped_pages(vs, first, last - first) != (last - first) / PAGE_SIZE)
		err = -EFAULT;
	else
		err = access_locked(vs, va, buf, len, write);
	spin_unlock(&vs->lock);
	return err;
}

int vm_read(struct vm_space *vs, uintptr_t va, void *buf, size_t len)
{
	return vm_access(vs, va, buf, len, false);
}

int vm_write(struct vm_space *vs, uintptr_t va, const void *buf, size_t len)
{
	/* access_locked only reads from buf when write is true. */
	return vm_access(vs, va, (void *)buf, len, true);
}
