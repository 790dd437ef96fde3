/*
 * mmap(2) and munmap(2): Linux's checks and errnos, then the regions'
 * work (mmap.c). A file mapping maps the memory object the file type's
 * mmap operation gives (tmpfs: its page cache), private copy-on-write or
 * shared; a file type without one is -ENODEV, as Linux. MAP_SHARED
 * anonymous memory is a shared memory object (shmem.c), kept shared
 * across fork.
 * MAP_NORESERVE, MAP_GROWSDOWN, MAP_STACK, MAP_LOCKED (within
 * RLIMIT_MEMLOCK) and the other hints are accepted; unknown flags are
 * ignored, as Linux does without MAP_SHARED_VALIDATE.
 */
#include <keel/errno.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <keel/vm_object.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <svc/vmar.h>
#include <uapi/fcntl.h>
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

/* The flags Linux's MAP_SHARED_VALIDATE knows (LEGACY_MAP_MASK; files
 * here have no MAP_SYNC). */
#define MAP_KNOWN_FLAGS                                                   \
	(MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE |            \
	 MAP_EXECUTABLE | MAP_UNINITIALIZED | MAP_GROWSDOWN | MAP_LOCKED | \
	 MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |         \
	 MAP_HUGETLB)

/*
 * Checks a mapping of file f as Linux's do_mmap and fills *src (the
 * file's memory object, a reference that passes to the caller) and *how:
 * -EOPNOTSUPP (MAP_SHARED_VALIDATE with an unknown flag), -EACCES (a file
 * not open for reading, a writable shared mapping of one not open for
 * writing), -ENODEV (a file type without mmap), -EINVAL (another map type,
 * MAP_GROWSDOWN), -EOVERFLOW (off + len wrapping), -ENOMEM.
 */
static long file_mapping(struct file *f, unsigned long flags,
			 unsigned long prot, uint64_t off, size_t plen,
			 struct vmar_file_src *src, unsigned *how)
{
	uint32_t mode = f->flags & O_ACCMODE;
	uint64_t end;

	if (__builtin_add_overflow(off, (uint64_t)plen, &end))
		return -EOVERFLOW;
	*src = (struct vmar_file_src){ NULL, off, false };
	switch (flags & MAP_TYPE) {
	case MAP_SHARED_VALIDATE:
		if (flags & ~(unsigned long)MAP_KNOWN_FLAGS)
			return -EOPNOTSUPP;
		/* fallthrough */
	case MAP_SHARED:
		if ((prot & PROT_WRITE) && mode == O_RDONLY)
			return -EACCES;
		src->deny_write = mode == O_RDONLY;
		*how |= VMAR_MAP_SHARED;
		/* fallthrough */
	case MAP_PRIVATE:
		if (mode == O_WRONLY)
			return -EACCES;
		if (!f->fops || !f->fops->mmap)
			return -ENODEV;
		if (flags & MAP_GROWSDOWN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return f->fops->mmap(f, &src->obj);
}

/* mmap(addr, len, prot, flags, fd, off): the mapping's address, or -EINVAL
 * (unaligned offset, len 0, unaligned FIXED addr, bad map type), -EBADF
 * (a file mapping of a closed or O_PATH fd), -ENODEV (of an open one), -ENOMEM (no room, a length that wraps, a FIXED range
 * outside user space, MAP_HUGETLB: there is no huge page pool, as on Linux
 * with nr_hugepages 0), -EPERM (FIXED below mmap_min_addr), -EEXIST
 * (FIXED_NOREPLACE over a mapping), in Linux's order. */
/* The address checks of a mapping of plen bytes at *addr: for MAP_FIXED
 * -EINVAL (unaligned), -ENOMEM (outside user space), -EPERM (below
 * mmap_min_addr), and the how bits; else *addr becomes an aligned hint. */
static long check_addr(unsigned long *addr, size_t plen, unsigned long flags,
		       unsigned *how)
{
	if (!(flags & MAP_FIXED)) {
		*addr = ALIGN_UP(*addr, PAGE_SIZE);
		return 0;
	}
	if (!IS_ALIGNED(*addr, PAGE_SIZE))
		return -EINVAL;
	if (*addr + plen < *addr || *addr + plen > user_va_max())
		return -ENOMEM;
	if (*addr < vmar_mmap_floor())
		return -EPERM;
	*how |= VMAR_MAP_FIXED;
	if (flags & MAP_FIXED_NOREPLACE)
		*how |= VMAR_MAP_NOREPLACE;
	return 0;
}

/* mmap's checks in Linux's order after the descriptor's (f NULL for
 * anonymous memory): the length, the address, then the map type and
 * file. Fills how and, for a file, *src. */
static long check_mmap(unsigned long *addr, size_t len, unsigned long prot,
		       unsigned long flags, struct file *f, uint64_t off,
		       struct vmar_file_src *src, unsigned *how)
{
	size_t plen = ALIGN_UP(len, PAGE_SIZE);
	long err;

	if (flags & MAP_HUGETLB)
		return -ENOMEM;
	if (!len)
		return -EINVAL;
	if (!plen || plen > user_va_max())
		return -ENOMEM;
	err = check_addr(addr, plen, flags, how);
	if (err)
		return err;
	if (flags & MAP_POPULATE)
		*how |= VMAR_MAP_POPULATE;
	if (f)
		return file_mapping(f, flags, prot, off, plen, src, how);
	err = check_anon_type(flags);
	if (!err && (flags & MAP_TYPE) == MAP_SHARED)
		*how |= VMAR_MAP_SHARED;
	return err;
}

/* mmap(addr, len, prot, flags, fd, off): the mapping's address, or -EINVAL
 * (unaligned offset, len 0, unaligned FIXED addr, bad map type), -EBADF
 * (a file mapping of a closed or O_PATH fd), -ENOMEM (no room, a length that wraps,
 * a FIXED range outside user space, MAP_HUGETLB: there is no huge page
 * pool, as on Linux with nr_hugepages 0), -EPERM (FIXED below
 * mmap_min_addr), -EEXIST (FIXED_NOREPLACE over a mapping), and a file's
 * errors (file_mapping), in Linux's order. */
SYSCALL_DEFINE6(mmap, unsigned long, addr, size_t, len, unsigned long, prot,
		unsigned long, flags, int, fd, unsigned long, off)
{
	struct vmar_file_src src = { NULL, 0, false };
	struct file *f = NULL;
	unsigned how = 0;
	uintptr_t out;
	long err;

	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_ANONYMOUS)) {
		f = fd_get(proc, fd);
		if (!f)
			return -EBADF;
		if (f->flags & O_PATH) {
			/* Linux's fget() does not see O_PATH files */
			fd_put(f);
			return -EBADF;
		}
	}
	err = check_mmap(&addr, len, prot, flags, f, off, &src, &how);
	if (f)
		fd_put(f);
	if (!err)
		err = vmar_mmap(proc->vmar, addr, ALIGN_UP(len, PAGE_SIZE),
				(unsigned)prot & (VM_READ | VM_WRITE | VM_EXEC),
				how, src.obj ? &src : NULL, &out);
	if (src.obj)
		vm_object_put(src.obj); /* the mapping holds its own */
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
