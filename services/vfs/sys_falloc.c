/*
 * fallocate(2): the VFS's checks in Linux's vfs_fallocate order, then the
 * file system's inode_ops.fallocate (tmpfs); a file system without one
 * answers -EOPNOTSUPP.
 */
#include <keel/errno.h>
#include <svc/syscall.h>
#include <uapi/falloc.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

/* The mode bits Linux knows; others are -EOPNOTSUPP. */
#define FALLOC_KNOWN                                                       \
	(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_NO_HIDE_STALE | \
	 FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE |                      \
	 FALLOC_FL_INSERT_RANGE | FALLOC_FL_UNSHARE_RANGE)

static long falloc_file(struct file *f, int mode, int64_t off, int64_t len)
{
	struct inode *i = f->inode;
	uint32_t type = i->mode & S_IFMT;
	long err;

	if ((f->flags & O_PATH) || (f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (type == S_IFIFO)
		return -ESPIPE;
	if (type == S_IFDIR)
		return -EISDIR;
	if (type != S_IFREG)
		return -ENODEV;
	if (off > INT64_MAX - len)
		return -EFBIG;
	vfs_lock();
	if (vfs_path_readonly(&f->path))
		err = -EROFS;
	else if (!i->iops || !i->iops->fallocate)
		err = -EOPNOTSUPP;
	else
		err = i->iops->fallocate(i, mode, (uint64_t)off, (uint64_t)len);
	vfs_unlock();
	return err;
}

SYSCALL_DEFINE4(fallocate, int, fd, int, mode, long, offset, long, len)
{
	struct file *f;
	long err;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (mode & ~FALLOC_KNOWN)
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	f = fd_get(proc, fd);
	if (!f)
		return -EBADF;
	err = falloc_file(f, mode, offset, len);
	fd_put(f);
	return err;
}
