/*
 * fstat and newfstatat (stat and lstat, x86-64 only, are in
 * services/arch/x86_64/vfs_legacy.c).
 */
#include <keel/errno.h>
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

SYSCALL_DEFINE4(newfstatat, int, dirfd, uptr_t, path, uptr_t, statbuf,
		int, flags)
{
	return vfs_sys_fstatat(proc, dirfd, path, statbuf, flags);
}
