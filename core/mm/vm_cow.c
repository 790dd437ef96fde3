/*
 * Copy-on-write and what relies on it: resolving faults (COW breaks, then
 * object mappings, then the services' fault handler), fork, and the
 * kernel's reads and writes of a space (vm_read / vm_write).
 *
 * A private page another holder shares is PT_COW (read-only to the
 * hardware); the first write copies it unless the frame's refcount shows
 * the space is alone with it by then. Shared mappings (PT_SHARED) are
 * never copied: fork maps the same frame writable in the child.
 */
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/user.h>

int vm_unshare_page(struct vm_space *vs, struct vm_batch *b, uintptr_t va,
		    hal_paddr_t pa, unsigned flags)
{
	hal_paddr_t new_pa = pa;

	if (flags & PT_SHARED)
		return 0;
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
	vm_batch_set(b, va, new_pa, flags);
	if (new_pa != pa)
		vm_batch_put(b, pa);
	return 0;
}

/*
 * One attempt at resolving an access to the page at va without pagers or
 * the fault handler. Returns 0 when the access is allowed now, -ENOMEM,
 * or -EFAULT when only they could help. Needs vs->lock.
 */
static int resolve_locked(struct vm_space *vs, uintptr_t va, unsigned access)
{
	hal_paddr_t pa;
	unsigned flags;
	struct vm_batch b;
	int err;

	if (pt_lookup(vs->fmt, vs->root, va, &pa, &flags) != 0)
		return -EFAULT;
	if (!((access & USER_ACCESS_WRITE) && (flags & PT_COW) &&
	      (flags & PT_USER)))
		return vm_access_ok(flags, access) ? 0 : -EFAULT;
	vm_batch_init(&b, vs);
	err = vm_unshare_page(vs, &b, va, pa, flags);
	vm_batch_finish(&b);
	return err;
}

int vm_handle_fault(struct vm_space *vs, uintptr_t va, unsigned access)
{
	vm_fault_handler_t fn;
	void *arg;
	int err;

	if (va < user_va_min() || va >= user_va_max())
		return -EFAULT;
	va = ALIGN_DOWN(va, PAGE_SIZE);
	/* One look after the handler; a pager's page dropped because a
	 * vm_object_cut came meanwhile gets a few more (the pager's answer
	 * is then its error), never a loop. */
	for (int round = 0, rounds = 1;; round++) {
		spin_lock(&vs->lock);
		err = resolve_locked(vs, va, access);
		fn = vs->fault_fn;
		arg = vs->fault_arg;
		spin_unlock(&vs->lock);
		if (err != -EFAULT || round == rounds)
			return err;
		/* An object mapping's pager, else the services' handler,
		 * maps what it can; then look again, once. */
		err = vm_object_fault(vs, va, access);
		if (err == -ENOENT) {
			if (!fn)
				return -EFAULT;
			err = fn(vs, va, access, arg);
			if (err)
				return err == -ENOMEM ? -ENOMEM : -EFAULT;
		} else if (err) {
			return err;
		} else {
			rounds = 3;
		}
	}
}

int vm_resolve_fault(struct vm_space *vs, uintptr_t va, unsigned access)
{
	int err = vm_handle_fault(vs, va, access);

	return err == 0 || err == -ENOMEM ? err : -EFAULT;
}

/* ---- Fork ------------------------------------------------------------ */

struct fork_arg {
	struct vm_space *src, *dst;
	struct vm_batch src_batch, dst_batch;
};

/* Shares one page of the parent with the child: copy-on-write if it is
 * private, as it is if it is shared. */
static int fork_leaf(struct pt_leaf *leaf, void *arg)
{
	struct fork_arg *f = arg;
	unsigned flags = leaf->flags;
	int err;

	if ((flags & PT_WRITE) && !(flags & PT_SHARED))
		flags = (flags & ~(PT_WRITE | PT_DIRTY)) | PT_COW;
	err = pt_map(f->dst->fmt, f->dst->root, leaf->va, leaf->pa, flags);
	if (err)
		return err;
	frame_get(leaf->pa);
	f->dst->nframes++;
	vm_batch_set(&f->dst_batch, leaf->va, leaf->pa, flags);
	if (flags != leaf->flags) {
		pt_leaf_set(leaf, leaf->pa, flags);
		vm_batch_set(&f->src_batch, leaf->va, leaf->pa, flags);
	}
	return 0;
}

int vm_space_fork(struct vm_space *src, struct vm_space **out)
{
	struct fork_arg arg = { .src = src, .dst = vm_space_create() };
	int err;

	if (!arg.dst)
		return -ENOMEM;
	vm_batch_init(&arg.src_batch, src);
	vm_batch_init(&arg.dst_batch, arg.dst);
	spin_lock(&src->lock);
	err = vm_maps_fork(src, arg.dst);
	if (!err)
		err = pt_walk(src->fmt, src->root, user_va_min(),
			      user_va_max(), fork_leaf, &arg);
	/* Before fork returns, no CPU may write the now COW pages. */
	vm_batch_finish(&arg.src_batch);
	vm_batch_finish(&arg.dst_batch);
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
 * private frames others hold are unshared first. Needs vs->lock and every
 * page mapped. */
static int access_locked(struct vm_space *vs, struct vm_batch *b,
			 uintptr_t va, void *buf, size_t len, bool write)
{
	char *p = buf;

	while (len) {
		size_t off = va & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);
		uintptr_t page = va - off;
		hal_paddr_t pa;
		unsigned flags;
		char *kp;

		kassert(pt_lookup(vs->fmt, vs->root, page, &pa, &flags) == 0);
		if (write && frame_refcount(pa) > 1) {
			int err = vm_unshare_page(vs, b, page, pa, flags);

			if (err)
				return err;
			kassert(pt_lookup(vs->fmt, vs->root, page, &pa,
					  NULL) == 0);
		}
		kp = (char *)hal_phys_to_virt(pa) + off;
		if (write)
			memcpy(kp, p, n);
		else
			memcpy(p, kp, n);
		p += n;
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
	struct vm_batch b;
	int err;

	if (len == 0)
		return 0;
	if (!vm_user_range(va, len))
		return -EFAULT;
	first = ALIGN_DOWN(va, PAGE_SIZE);
	last = ALIGN_UP(va + len, PAGE_SIZE);
	spin_lock(&vs->lock);
	if (vm_mapped_pages(vs, first, last - first) !=
	    (last - first) / PAGE_SIZE) {
		err = -EFAULT;
	} else {
		vm_batch_init(&b, vs);
		err = access_locked(vs, &b, va, buf, len, write);
		vm_batch_finish(&b);
	}
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
