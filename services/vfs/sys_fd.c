/*
 * Descriptor calls: dup, dup3 (dup2 is x86-64 only: vfs_legacy.c), fcntl
 * (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL; the
 * others -EINVAL) and ioctl (no file here has any: -ENOTTY).
 */
#include <keel/errno.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

/* The flags F_SETFL may change, as Linux's SETFL_MASK. */
#define SETFL_MASK (O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME)

static long dup_from(struct proc *proc, int fd, int min, bool cloexec)
{
	struct file *f = fd_get(proc, fd);

	if (!f)
		return -EBADF;
	return fd_install(proc, f, min, cloexec);
}

SYSCALL_DEFINE1(dup, unsigned int, fd)
{
	return dup_from(proc, (int)fd, 0, false);
}

long vfs_sys_dup3(struct proc *proc, int oldfd, int newfd, int flags)
{
	struct file *f;
	long ret;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	f = fd_get(proc, oldfd);
	if (!f)
		return -EBADF;
	ret = fd_install_at(proc, newfd, f, flags & O_CLOEXEC);
	file_put(f);
	return ret;
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return vfs_sys_dup3(proc, (int)oldfd, (int)newfd, flags);
}

static long set_fl(struct file *f, unsigned long arg)
{
	vfs_lock();
	f->flags = (f->flags & ~SETFL_MASK) | ((uint32_t)arg & SETFL_MASK);
	vfs_unlock();
	return 0;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd,
		unsigned long, arg)
{
	struct file *f;
	long ret;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= FD_MAX)
			return -EINVAL;
		return dup_from(proc, (int)fd, (int)arg,
				cmd == F_DUPFD_CLOEXEC);
	case F_GETFD:
		return fd_get_cloexec(proc, (int)fd);
	case F_SETFD:
		return fd_set_cloexec(proc, (int)fd, arg & FD_CLOEXEC);
	}
	f = fd_get(proc, (int)fd);
	if (!f)
		return -EBADF;
	if (cmd == F_GETFL)
		ret = f->flags;
	else if (cmd == F_SETFL)
		ret = f->flags & O_PATH ? -EBADF : set_fl(f, arg);
	else
		ret = -EINVAL;
	file_put(f);
	return ret;
}

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd,
		unsigned long, arg)
{
	struct file *f = fd_get(proc, (int)fd);
	long ret;

	if (!f)
		return -EBADF;
	vfs_lock();
	if (f->flags & O_PATH)
		ret = -EBADF;
	else if (f->fops && f->fops->ioctl)
		ret = f->fops->ioctl(f, cmd, arg);
	else
		ret = -ENOTTY;
	vfs_file_put(f);
	vfs_unlock();
	return ret;
}
