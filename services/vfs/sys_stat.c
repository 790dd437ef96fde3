/*
 * fstat, newfstatat and statx (stat and lstat, x86-64 only, are in
 * services/arch/x86_64/vfs_legacy.c).
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <svc/devices.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/arch_stat.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

static long stat_to_user(const struct inode *i, uptr_t statbuf)
{
	struct linux_stat st;

	vfs_fill_stat(i, &st);
	return copy_to_user(statbuf, &st, sizeof(st));
}

SYSCALL_DEFINE2(fstat, int, fd, uptr_t, statbuf)
{
	struct file *f = fd_get(proc, fd);
	long ret;

	if (!f)
		return -EBADF;
	vfs_lock();
	ret = stat_to_user(f->inode, statbuf);
	vfs_file_put(f);
	vfs_unlock();
	return ret;
}

long vfs_sys_fstatat(struct proc *proc, int dirfd, uptr_t upath,
		     uptr_t statbuf, int flags)
{
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = at_lookup(proc, dirfd, upath, flags, &p);
	if (err)
		return err;
	vfs_lock();
	err = stat_to_user(p.dentry->inode, statbuf);
	vfs_path_put(&p);
	vfs_unlock();
	return err;
}

static struct linux_statx_timestamp stx_time(struct vfs_time t)
{
	return (struct linux_statx_timestamp){ t.sec, t.nsec, 0 };
}

/* The statx of inode i: the basic stats and the mount id (1: one
 * namespace), as Linux's generic_fillattr; no birth time. */
static void fill_statx(const struct inode *i, struct linux_statx *sx)
{
	memset(sx, 0, sizeof(*sx));
	sx->stx_mask = STATX_BASIC_STATS | STATX_MNT_ID;
	sx->stx_blksize = PAGE_SIZE;
	sx->stx_nlink = i->nlink;
	sx->stx_uid = i->uid;
	sx->stx_gid = i->gid;
	sx->stx_mode = (uint16_t)i->mode;
	sx->stx_ino = i->ino;
	sx->stx_size = i->size;
	sx->stx_blocks = i->blocks;
	sx->stx_atime = stx_time(i->atime);
	sx->stx_ctime = stx_time(i->ctime);
	sx->stx_mtime = stx_time(i->mtime);
	sx->stx_rdev_major = DEV_MAJOR(i->rdev);
	sx->stx_rdev_minor = DEV_MINOR(i->rdev);
	sx->stx_dev_major = DEV_MAJOR(i->sb->dev);
	sx->stx_dev_minor = DEV_MINOR(i->sb->dev);
	sx->stx_mnt_id = 1;
}

/* statx(dirfd, path, flags, mask, buf): flags as newfstatat's plus the
 * sync type (every file is local: all three mean the same); a NULL path
 * with AT_EMPTY_PATH is the empty one (Linux 6.11). */
SYSCALL_DEFINE5(statx, int, dirfd, uptr_t, upath, int, flags,
		unsigned int, mask, uptr_t, buf)
{
	struct linux_statx sx;
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	if (!upath.addr && (flags & AT_EMPTY_PATH)) {
		struct file *f = fd_get(proc, dirfd);

		if (!f)
			return -EBADF;
		p = f->path;
		vfs_lock();
		vfs_path_get(&p);
		vfs_file_put(f);
		vfs_unlock();
	} else {
		err = at_lookup(proc, dirfd, upath, flags, &p);
		if (err)
			return err;
	}
	vfs_lock();
	fill_statx(p.dentry->inode, &sx);
	vfs_path_put(&p);
	vfs_unlock();
	return copy_to_user(buf, &sx, sizeof(sx));
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, uptr_t, path, uptr_t, statbuf,
		int, flags)
{
	return vfs_sys_fstatat(proc, dirfd, path, statbuf, flags);
}
