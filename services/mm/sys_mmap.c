/*
 * mmap(2) and munmap(2): Linux's checks and errnos, then the regions'
 * work (mmap.c). Only anonymous mappings exist: no file type has an mmap
 * operation yet, so a file mapping is -ENODEV, as Linux says for such a
 * file (-EBADF when fd is not open). MAP_SHARED anonymous memory is a
 * shared memory object (shmem.c), kept shared across fork.
 * MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK, MAP_LOCKED (within
 * RLIMIT_MEMLOCK) and the other hints are accepted; unknown flags are
 * ignored, as Linux does without MAP_SHARED_VALIDATE.
 */
#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vmar.h>
#include <uapi/mman.h>

/* The map type of an anonymous mapping, as Linux's do_mmap: MAP_SHARED
 * (not growing down) or MAP_PRIVATE; anything else, MAP_SHARED_VALIDATE
 * included, is -EINVAL. */
static long check_anon_type(unsigned long flags)
{
	switch (flags & MAP_TYPE) {
	case MAP_SHARED:
		return flags & MAP_GROWSDOWN ? -EINVAL : 0;
	case MAP_PRIVATE:
		return 0;
	default:
		return -EINVAL;
	}
}

/* A file mapping: -EBADF when fd is not open, else -ENODEV, because no
 * file type has an mmap operation yet (file mappings come with the page
 * cache's mmap). */
static long file_not_mappable(struct proc *proc, int fd)
{
	struct file *f = fd_get(proc, fd);

	if (!f)
		return -EBADF;
	fd_put(f);
	return -ENODEV;
}

/* mmap(addr, len, prot, flags, fd, off): the mapping's address, or -EINVAL
 * (unaligned offset, len 0, unaligned FIXED addr, bad map type), -EBADF
 * (a file mapping of a closed fd), -ENODEV (of an open one), -ENOMEM (no room, a length that wraps, a FIXED range
 * outside user space, MAP_HUGETLB: there is no huge page pool, as on Linux
 * with nr_hugepages 0), -EPERM (FIXED below mmap_min_addr), -EEXIST
 * (FIXED_NOREPLACE over a mapping), in Linux's order. */
SYSCALL_DEFINE6(mmap, unsigned long, addr, size_t, len, unsigned long, prot,
		unsigned long, flags, int, fd, unsigned long, off)
{
	unsigned how = 0;
	size_t plen = ALIGN_UP(len, PAGE_SIZE);
	uintptr_t out;
	long err;

	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS))
		return file_not_mappable(proc, fd);
	if (flags & MAP_HUGETLB)
		return -ENOMEM;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!len)
		return -EINVAL;
	if (!plen || plen > user_va_max())
		return -ENOMEM;
	if (flags & MAP_FIXED) {
		if (!IS_ALIGNED(addr, PAGE_SIZE))
			return -EINVAL;
		if (addr + plen < addr || addr + plen > user_va_max())
			return -ENOMEM;
		if (addr < vmar_mmap_floor())
			return -EPERM;
		how |= VMAR_MAP_FIXED;
		if (flags & MAP_FIXED_NOREPLACE)
			how |= VMAR_MAP_NOREPLACE;
	} else {
		addr = ALIGN_UP(addr, PAGE_SIZE);
	}
	err = check_anon_type(flags);
	if (err)
		return err;
	if (flags & MAP_POPULATE)
		how |= VMAR_MAP_POPULATE;
	if ((flags & MAP_TYPE) == MAP_SHARED)
		how |= VMAR_MAP_SHARED;
	err = vmar_mmap(proc->vmar, addr, plen,
			(unsigned)prot & (VM_READ | VM_WRITE | VM_EXEC), how,
			&out);
	return err ? err : (long)out;
}

/* munmap(addr, len): 0, or -EINVAL (unaligned addr, len 0, a range that
 * wraps or leaves user space), -ENOMEM (a split found no memory). */
SYSCALL_DEFINE2(munmap, unsigned long, addr, size_t, len)
{
	size_t plen = ALIGN_UP(len, PAGE_SIZE);

	if (!IS_ALIGNED(addr, PAGE_SIZE) || !len || !plen)
		return -EINVAL;
	if (addr + plen < addr || addr + plen > user_va_max())
		return -EINVAL;
	return vmar_munmap(proc->vmar, addr, plen);
}
