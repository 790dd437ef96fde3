/*
 * fsync, fdatasync, syncfs, sync and sync_file_range. Every file system
 * is in memory, so there is nothing to write back; the calls still check
 * their fd as Linux does, and fsync refuses files that cannot be synced
 * (devices, pipes: -EINVAL), which a program can see.
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

/* sync_file_range's flags (Linux's SYNC_FILE_RANGE_WAIT_BEFORE, _WRITE,
 * _WAIT_AFTER). */
#define SYNC_FILE_RANGE_FLAGS 7u

/* sync_file_range(fd, offset, nbytes, flags): nothing to write back, so
 * only Linux's checks, in its order: -EINVAL for unknown flags, a
 * negative offset or a range whose end is negative or wraps (nbytes 0
 * means to the end), -EBADF for a closed or O_PATH fd, -ESPIPE unless a
 * regular file, directory, symlink or block device. */
SYSCALL_DEFINE4(sync_file_range, int, fd, long, offset, long, nbytes,
		unsigned int, flags)
{
	struct file *f;
	uint32_t type;
	long end;

	if (flags & ~SYNC_FILE_RANGE_FLAGS)
		return -EINVAL;
	if (offset < 0 || __builtin_add_overflow(offset, nbytes, &end) ||
	    end < 0 || end < offset)
		return -EINVAL;
	f = fd_get(proc, fd);
	if (!f)
		return -EBADF;
	type = f->inode->mode & S_IFMT;
	if (f->flags & O_PATH)
		type = 0;
	fd_put(f);
	if (!type)
		return -EBADF;
	if (type != S_IFREG && type != S_IFDIR && type != S_IFLNK &&
	    type != S_IFBLK)
		return -ESPIPE;
	return 0;
}
