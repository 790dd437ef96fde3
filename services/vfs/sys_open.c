/*
 * openat and close (open and creat, x86-64 only, are in
 * services/arch/x86_64/vfs_legacy.c on top of vfs_sys_openat).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/pipe.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

/* Flags open(2) knows; others are ignored, as Linux's open does. */
long vfs_sys_openat(struct proc *proc, int dirfd, uptr_t upath, int flags,
		    unsigned int mode)
{
	struct path start;
	struct file *f;
	char *path;
	int err = user_path(upath, &path);

	if (err)
		return err;
	err = at_start(proc, dirfd, path, &start);
	if (err)
		goto out;
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		err = -EOPNOTSUPP;
		goto out_start;
	}
	mode &= ~fs_umask(proc, NULL);
	vfs_lock();
	/* 64-bit Linux forces O_LARGEFILE (F_GETFL shows it). */
	err = vfs_open(&start, path, (uint32_t)flags | O_LARGEFILE, mode,
		       cred_current_fs(),
		       &f);
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
out_start:
	file_put_path(&start);
out:
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
