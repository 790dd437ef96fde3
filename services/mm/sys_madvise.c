/*
 * The calls about mapped memory that change little or nothing in Keel:
 * madvise(2) (MADV_DONTNEED and MADV_FREE drop anonymous pages, the other
 * advice is accepted), mincore(2), msync(2) (no file mappings yet: nothing
 * to write back) and the mlock family, accepted without effect because
 * Keel never pages memory out (every process is root, so RLIMIT_MEMLOCK
 * does not bind, as for CAP_IPC_LOCK on Linux). Each validates as Linux
 * and answers -ENOMEM for addresses in no mapping.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vmar.h>
#include <uapi/mman.h>

/* [start, start + len) page-rounded into *end; false when it wraps or
 * leaves user space. */
static bool user_range(uintptr_t start, size_t len, uintptr_t *end)
{
	size_t plen = ALIGN_UP(len, PAGE_SIZE);

	if (len && !plen)
		return false;
	return !__builtin_add_overflow(start, plen, end) &&
	       *end <= user_va_max();
}

/* Is advice one Linux knows for private anonymous memory? */
static bool advice_known(int advice)
{
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_DONTFORK: case MADV_DOFORK: case MADV_MERGEABLE:
	case MADV_UNMERGEABLE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
	case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK:
	case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
		return true;
	default:
		return false;
	}
}

/* madvise(start, len, advice): 0, -EINVAL (unaligned start, unknown
 * advice, MADV_REMOVE on anonymous memory, a wrapping range), -ENOMEM
 * (part of the range in no mapping; the mapped parts were advised). */
SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len, int, advice)
{
	uintptr_t end;

	if (!IS_ALIGNED(start, PAGE_SIZE) || !advice_known(advice))
		return -EINVAL;
	if (!user_range(start, len, &end))
		return -EINVAL;
	if (start == end)
		return 0;
	if (advice == MADV_DONTNEED || advice == MADV_FREE)
		return vmar_dontneed(proc->vmar, start, end);
	return vmar_check_mapped(proc->vmar, start, end);
}

/* mincore(start, len, vec): one byte per page, 1 when the page is in
 * memory (mapped; demand paging has not filled the others). -EINVAL
 * (unaligned start), -ENOMEM (a wrapping range, pages in no mapping),
 * -EFAULT (vec). */
SYSCALL_DEFINE3(mincore, unsigned long, start, size_t, len, uptr_t, vec)
{
	uintptr_t end, vec_end;
	int err;

	if (!IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	if (!user_range(start, len, &end))
		return -ENOMEM;
	/* Linux's access_ok of the whole vector before any page is looked
	 * at: a vector outside user space is -EFAULT first. */
	if (__builtin_add_overflow(vec.addr, (end - start) / PAGE_SIZE,
				   &vec_end) ||
	    vec_end > user_va_max())
		return -EFAULT;
	err = vmar_check_mapped(proc->vmar, start, end);
	for (uintptr_t va = start; !err && va < end; va += PAGE_SIZE) {
		uint8_t in = vm_query(proc->vs, va, NULL) == 0;

		if (copy_to_user(uptr_add(vec, (va - start) / PAGE_SIZE), &in,
				 1))
			err = -EFAULT;
	}
	return err;
}

/* msync(start, len, flags): 0 (anonymous memory has nothing to write
 * back), -EINVAL (unaligned start, unknown flags, MS_ASYNC with
 * MS_SYNC), -ENOMEM (a wrapping range, pages in no mapping). */
SYSCALL_DEFINE3(msync, unsigned long, start, size_t, len, int, flags)
{
	uintptr_t end;

	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (!IS_ALIGNED(start, PAGE_SIZE) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	if (!user_range(start, len, &end))
		return -ENOMEM;
	return start == end ? 0 : vmar_check_mapped(proc->vmar, start, end);
}

/* The range mlock and munlock check: start rounded down, as Linux. */
static long lock_range(struct proc *p, unsigned long start, size_t len)
{
	uintptr_t lo = ALIGN_DOWN(start, PAGE_SIZE), end;

	if (!user_range(lo, len + (start - lo), &end))
		return -ENOMEM;
	return lo == end ? 0 : vmar_check_mapped(p->vmar, lo, end);
}

SYSCALL_DEFINE2(mlock, unsigned long, start, size_t, len)
{
	return lock_range(proc, start, len);
}

/* mlock2(start, len, flags): MLOCK_ONFAULT or 0, else -EINVAL. */
SYSCALL_DEFINE3(mlock2, unsigned long, start, size_t, len, int, flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(proc, start, len);
}

SYSCALL_DEFINE2(munlock, unsigned long, start, size_t, len)
{
	return lock_range(proc, start, len);
}

/* mlockall(flags): MCL_CURRENT and/or MCL_FUTURE, optionally with
 * MCL_ONFAULT; anything else (0, ONFAULT alone, unknown bits) -EINVAL. */
SYSCALL_DEFINE1(mlockall, int, flags)
{
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	return 0;
}

SYSCALL_DEFINE0(munlockall)
{
	return 0;
}
