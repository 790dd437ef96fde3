/*
 * Descriptor calls: dup, dup3 (dup2 is x86-64 only: vfs_legacy.c), fcntl
 * (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, the
 * record locks of posix_lock.c, and the
 * file's own commands through file_ops.fcntl; others -EINVAL),
 * close_range, and ioctl: the generic ones every file answers (FIOCLEX,
 * FIONCLEX, FIONBIO, FIOASYNC, FIONREAD of a regular file) before the
 * file's own (file_ops.ioctl, else -ENOTTY).
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/posix_lock.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/close_range.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>

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
	fd_put(f);
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

static bool is_lock_cmd(unsigned int cmd)
{
	return cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW ||
	       cmd == F_OFD_GETLK || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
}

static long file_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	long ret;

	file_io_lock(f);
	ret = f->fops->fcntl(f, cmd, arg);
	file_io_unlock(f);
	return ret;
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd,
		unsigned long, arg)
{
	struct file *f;
	long ret;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= fd_limit(proc))
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
	else if (is_lock_cmd(cmd))
		ret = posix_lock_fcntl(proc, f, cmd, uptr(arg));
	else if (cmd == F_SETFL)
		ret = f->flags & O_PATH ? -EBADF : set_fl(f, arg);
	else if (f->fops && f->fops->fcntl && !(f->flags & O_PATH))
		ret = file_fcntl(f, cmd, arg);
	else if (cmd == F_GETPIPE_SZ || cmd == F_SETPIPE_SZ)
		ret = -EBADF; /* not a pipe, as Linux */
	else
		ret = -EINVAL;
	fd_put(f);
	return ret;
}

SYSCALL_DEFINE3(close_range, unsigned int, first, unsigned int, last,
		unsigned int, flags)
{
	if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (last < first)
		return -EINVAL;
	/* UNSHARE: a table shared with another process (CLONE_FILES) is
	 * copied first. Keel's threads share their process's table, so a
	 * thread cannot have one of its own. */
	if (flags & CLOSE_RANGE_UNSHARE) {
		int err = fd_unshare(proc);

		if (err)
			return err;
	}
	fd_close_range(proc, first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

/* FIONBIO / FIOASYNC: an int flag read from arg. */
static long set_flag_from_user(struct file *f, unsigned long arg,
			       uint32_t flag)
{
	uint32_t on;

	if (copy_from_user(&on, uptr(arg), sizeof(on)))
		return -EFAULT;
	vfs_lock();
	f->flags = on ? f->flags | flag : f->flags & ~flag;
	vfs_unlock();
	return 0;
}

/* FIONREAD of a regular file: the bytes from the position to the end. */
static long file_nread(struct file *f, unsigned long arg)
{
	int32_t n;

	vfs_lock();
	n = f->pos >= f->inode->size
		    ? 0
		    : (int32_t)MIN(f->inode->size - f->pos, (uint64_t)INT32_MAX);
	vfs_unlock();
	return copy_to_user(uptr(arg), &n, sizeof(n));
}

/* The ioctls of every open file; -ENOIOCTLCMD when cmd is not one. */
static long generic_ioctl(struct proc *proc, int fd, struct file *f,
			  unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case FIOCLEX:
		return fd_set_cloexec(proc, fd, true);
	case FIONCLEX:
		return fd_set_cloexec(proc, fd, false);
	case FIONBIO:
		return set_flag_from_user(f, arg, O_NONBLOCK);
	case FIOASYNC:
		return set_flag_from_user(f, arg, FASYNC);
	case FIONREAD:
		if ((f->inode->mode & S_IFMT) == S_IFREG)
			return file_nread(f, arg);
		break;
	}
	return -ENOIOCTLCMD;
}

/* ioctl(fd, cmd, arg): the generic requests above, then the file's own
 * (file_ops.ioctl: the tty's termios and job control, ...).
 *
 * Partial: only FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIONREAD and the
 * requests Keel's files implement; others are ENOTTY. */
SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd,
		unsigned long, arg)
{
	struct file *f = fd_get(proc, (int)fd);
	long ret;

	if (!f)
		return -EBADF;
	if (f->flags & O_PATH) {
		fd_put(f);
		return -EBADF;
	}
	ret = generic_ioctl(proc, (int)fd, f, cmd, arg);
	if (ret == -ENOIOCTLCMD) {
		file_io_lock(f);
		ret = f->fops && f->fops->ioctl ? f->fops->ioctl(f, cmd, arg)
						: -ENOTTY;
		file_io_unlock(f);
	}
	fd_put(f);
	return ret;
}
