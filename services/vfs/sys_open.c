/*
 * openat, openat2 and close (open and creat, x86-64 only, are in
 * services/arch/x86_64/vfs_legacy.c on top of vfs_sys_openat). openat2
 * checks its flags strictly and restricts the walk with its RESOLVE_*
 * flags (LOOKUP_RESOLVE in <svc/vfs.h>).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>
#include <svc/pipe.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>
#include <uapi/openat2.h>

#include "sys_util.h"

/* Linux (6.4) refuses O_DIRECTORY | O_CREAT, which once made regular
 * files, before the path is read: -EINVAL. With O_PATH open(2) drops
 * O_CREAT first (build_open_how), so the pair is fine there. */
static bool bad_create_pair(uint64_t flags)
{
	return !(flags & O_PATH) &&
	       (flags & (O_DIRECTORY | O_CREAT)) == (O_DIRECTORY | O_CREAT);
}

/* The open itself once the start is known: the umask applied, the fifo
 * wait done without vfs_lock, the descriptor installed. */
static long open_at(struct proc *proc, struct path *start, const char *path,
		    uint32_t flags, uint32_t mode, unsigned resolve)
{
	struct file *f;
	long err;

	mode &= ~fs_umask(proc, NULL);
	vfs_lock();
	/* 64-bit Linux forces O_LARGEFILE (F_GETFL shows it). */
	err = vfs_open_resolve(start, path, flags | O_LARGEFILE, mode, resolve,
			       cred_current_fs(), &f);
	vfs_unlock();
	/* A fifo's open may wait for the other end: without vfs_lock. */
	if (!err && !(flags & O_PATH) &&
	    (f->inode->mode & S_IFMT) == S_IFIFO) {
		err = fifo_open(f);
		if (err)
			fd_put(f);
	}
	if (!err)
		err = fd_install(proc, f, 0, flags & O_CLOEXEC);
	return err;
}

long vfs_sys_openat(struct proc *proc, int dirfd, uptr_t upath, int flags,
		    unsigned int mode)
{
	struct path start;
	char *path;
	long err;

	if (bad_create_pair((unsigned)flags))
		return -EINVAL;
	err = user_path(upath, &path);
	if (err)
		return err;
	err = at_start(proc, dirfd, path, &start);
	if (!err) {
		err = open_at(proc, &start, path, (uint32_t)flags, mode, 0);
		file_put_path(&start);
	}
	kfree(path);
	return err;
}

SYSCALL_DEFINE4(openat, int, dirfd, uptr_t, path, int, flags,
		unsigned int, mode)
{
	return vfs_sys_openat(proc, dirfd, path, flags, mode);
}

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(proc, fd);
}

/* The flags openat2 accepts (Linux's VALID_OPEN_FLAGS), the ones O_PATH
 * may come with, and the resolve flags. */
#define OPENAT2_FLAGS                                                      \
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |    \
	 O_NONBLOCK | O_SYNC | O_DSYNC | FASYNC | O_DIRECT | O_LARGEFILE | \
	 O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_CLOEXEC | O_PATH |       \
	 O_TMPFILE)
#define OPENAT2_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)
#define OPENAT2_RESOLVE                                                    \
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |   \
	 RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED)

/* Copies struct open_how of size bytes in, as Linux's
 * copy_struct_from_user: smaller than version 0 is -EINVAL, larger than
 * a page -E2BIG, and bytes past what Keel knows must be zero (-E2BIG). */
static long how_in(uptr_t uhow, size_t size, struct linux_open_how *how)
{
	if (size < UAPI_OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	for (size_t off = sizeof(*how); off < size; off++) {
		uint8_t byte;

		if (copy_from_user(&byte, uptr_add(uhow, off), 1))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	return copy_from_user(how, uhow, sizeof(*how));
}

/* openat2's checks of how (build_open_flags's order). */
static long how_check(const struct linux_open_how *how)
{
	bool creates = how->flags & (O_CREAT | O_TMPFILE);

	if (how->flags & ~(uint64_t)OPENAT2_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)OPENAT2_RESOLVE)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (creates ? how->mode & ~07777ull : how->mode != 0)
		return -EINVAL;
	if (bad_create_pair(how->flags))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) &&
	    (how->flags & (O_TRUNC | O_CREAT | O_TMPFILE)))
		return -EAGAIN;
	if ((how->flags & O_PATH) && (how->flags & ~(uint64_t)OPENAT2_PATH_FLAGS))
		return -EINVAL;
	return 0;
}

/* RESOLVE_* as the walk's LOOKUP_* flags (NO_SYMLINKS, BENEATH and
 * IN_ROOT imply NO_MAGICLINKS, as Linux; CACHED is always true of Keel's
 * in-memory trees). */
static unsigned lookup_resolve(uint64_t resolve)
{
	unsigned flags = 0;

	if (resolve & RESOLVE_NO_XDEV)
		flags |= LOOKUP_NO_XDEV;
	if (resolve & (RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |
		       RESOLVE_BENEATH | RESOLVE_IN_ROOT))
		flags |= LOOKUP_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_SYMLINKS)
		flags |= LOOKUP_NO_SYMLINKS;
	if (resolve & RESOLVE_BENEATH)
		flags |= LOOKUP_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		flags |= LOOKUP_IN_ROOT;
	return flags;
}

/* Where openat2 starts: dirfd, even for an absolute path when it is the
 * root (BENEATH, IN_ROOT); otherwise as openat. */
static long openat2_start(struct proc *proc, int dirfd, const char *path,
			  unsigned resolve, struct path *start)
{
	struct file *f;
	long err = 0;

	if (!(resolve & (LOOKUP_BENEATH | LOOKUP_IN_ROOT)) || dirfd == AT_FDCWD)
		return at_start(proc, path[0] == '/' ? AT_FDCWD : dirfd, path,
				start);
	f = fd_get(proc, dirfd);
	if (!f)
		return -EBADF;
	vfs_lock();
	if (!vfs_is_dir(f->inode))
		err = -ENOTDIR;
	else
		*start = f->path, vfs_path_get(start);
	vfs_file_put(f);
	vfs_unlock();
	return err;
}

SYSCALL_DEFINE4(openat2, int, dirfd, uptr_t, upath, uptr_t, uhow, size_t,
		size)
{
	struct linux_open_how how;
	struct path start;
	unsigned resolve;
	char *path;
	long err = how_in(uhow, size, &how);

	if (!err)
		err = how_check(&how);
	if (err)
		return err;
	resolve = lookup_resolve(how.resolve);
	err = user_path(upath, &path);
	if (err)
		return err;
	err = openat2_start(proc, dirfd, path, resolve, &start);
	if (!err) {
		err = open_at(proc, &start, path, (uint32_t)how.flags,
			      (uint32_t)how.mode, resolve);
		file_put_path(&start);
	}
	kfree(path);
	return err;
}
