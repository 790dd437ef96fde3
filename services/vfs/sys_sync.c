/*
 * fsync, fdatasync, syncfs and sync. Every file system is in memory, so
 * there is nothing to write back; the calls still check their fd as
 * Linux does, and fsync refuses files that cannot be synced (devices,
 * pipes: -EINVAL), which a program can see.
 */
#include <keel/errno.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

static long do_fsync(struct proc *proc, int fd, bool datasync)
{
	struct file *f = fd_get(proc, fd);
	long err;

	if (!f)
		return -EBADF;
	if (f->flags & O_PATH)
		err = -EBADF;
	else if (!f->fops || !f->fops->fsync)
		err = -EINVAL;
	else
		err = f->fops->fsync(f, datasync);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return do_fsync(proc, fd, false);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return do_fsync(proc, fd, true);
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fd_get(proc, fd);
	long err;

	if (!f)
		return -EBADF;
	err = f->flags & O_PATH ? -EBADF : 0;
	fd_put(f);
	return err;
}

SYSCALL_DEFINE0(sync)
{
	return 0;
}
