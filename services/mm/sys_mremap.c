/*
 * mremap(2): Linux's argument checks, in its order; the work is
 * vmar_mremap's (remap.c).
 */
#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vmar.h>
#include <uapi/mman.h>

/* mremap(old, old_len, new_len, flags, new_addr): the new start, or
 * -EINVAL (unknown flags, FIXED or DONTUNMAP without MAYMOVE, DONTUNMAP
 * with a new length, unaligned old or new address, new length 0, old
 * length 0 (duplicating needs a shared mapping), a fixed range outside
 * user space or overlapping the old one), -EFAULT (old unmapped, or a
 * range to grow or move that is not one mapping), -ENOMEM (no room to grow, no memory). */
SYSCALL_DEFINE5(mremap, unsigned long, old, size_t, old_len, size_t,
		new_len, unsigned long, flags, unsigned long, new_addr)
{
	struct vmar_remap rq = {
		.old = old,
		.old_len = ALIGN_UP(old_len, PAGE_SIZE),
		.new_len = ALIGN_UP(new_len, PAGE_SIZE),
		.maymove = flags & MREMAP_MAYMOVE,
		.fixed = flags & MREMAP_FIXED,
		.dontunmap = flags & MREMAP_DONTUNMAP,
		.new_addr = new_addr,
	};
	uintptr_t out;
	int err;

	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED |
				     MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((rq.fixed || rq.dontunmap) && !rq.maymove)
		return -EINVAL;
	if (rq.dontunmap && old_len != new_len)
		return -EINVAL;
	if (!IS_ALIGNED(old, PAGE_SIZE) || !rq.new_len ||
	    (old_len && !rq.old_len))
		return -EINVAL;
	if (rq.fixed) {
		if (!IS_ALIGNED(new_addr, PAGE_SIZE) ||
		    rq.new_len > user_va_max() ||
		    new_addr > user_va_max() - rq.new_len ||
		    new_addr < vmar_mmap_floor())
			return -EINVAL;
		if (new_addr < old + rq.old_len && old < new_addr + rq.new_len)
			return -EINVAL;
	}
	if (!rq.old_len)
		return vmar_check_mapped(proc->vmar, old, old + PAGE_SIZE)
			       ? -EFAULT
			       : -EINVAL;
	err = vmar_mremap(proc->vmar, &rq, &out);
	return err ? err : (long)out;
}
