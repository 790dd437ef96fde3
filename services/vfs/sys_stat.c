/*
 * fstat and newfstatat (stat and lstat, x86-64 only, are in
 * services/arch/x86_64/vfs_legacy.c).
 */
#include <keel/errno.h>
#include <keel/heap.h>
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
	struct path start, p;
	char *path;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	err = user_path(upath, &path);
	if (err)
		return err;
	err = at_start(proc, dirfd, path, &start);
	if (err)
		goto out;
	vfs_lock();
	if (!path[0] && (flags & AT_EMPTY_PATH)) {
		err = stat_to_user(start.dentry->inode, statbuf);
	} else {
		err = vfs_lookup(&start, path,
				 flags & AT_SYMLINK_NOFOLLOW ? 0
							     : LOOKUP_FOLLOW,
				 &p);
		if (!err) {
			err = stat_to_user(p.dentry->inode, statbuf);
			vfs_path_put(&p);
		}
	}
	vfs_path_put(&start);
	vfs_unlock();
out:
	kfree(path);
	return err;
}

SYSCALL_DEFINE4(newfstatat, int, dirfd, uptr_t, path, uptr_t, statbuf,
		int, flags)
{
	return vfs_sys_fstatat(proc, dirfd, path, statbuf, flags);
}
