/*
 * read, write, readv, writev, pread64, pwrite64, preadv, pwritev,
 * preadv2, pwritev2, lseek: argument decoding
 * around vfs_read / vfs_write / vfs_llseek (file.c). A vector call stops
 * at the first short or failed segment and returns what the ones before
 * moved (the error when nothing moved), as Linux.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>
#include <uapi/fs.h>
#include <uapi/uio.h>

#include "sys_util.h"

/* Linux's MAX_RW_COUNT: the most a vector call moves in total. */
#define RW_MAX (0x7ffff000ul)

typedef ssize_t (*rw_fn)(struct file *, uptr_t, size_t, uint64_t *);

static long do_rw(struct proc *proc, int fd, uptr_t buf, size_t count,
		  uint64_t *pos, rw_fn fn)
{
	struct file *f = fd_get(proc, fd);
	long ret;

	if (!f)
		return -EBADF;
	file_io_lock(f);
	ret = fn(f, buf, count, pos);
	file_io_unlock(f);
	fd_put(f);
	return vfs_fsize_signal(ret);
}

SYSCALL_DEFINE3(read, int, fd, uptr_t, buf, size_t, count)
{
	return do_rw(proc, fd, buf, count, NULL, vfs_read);
}

SYSCALL_DEFINE3(write, int, fd, uptr_t, buf, size_t, count)
{
	return do_rw(proc, fd, buf, count, NULL, vfs_write);
}

/* pread64/pwrite64: at offset, the file position untouched; a negative
 * offset is -EINVAL. */
SYSCALL_DEFINE4(pread64, int, fd, uptr_t, buf, size_t, count, long, off)
{
	uint64_t pos = (uint64_t)off;

	if (off < 0)
		return -EINVAL;
	return do_rw(proc, fd, buf, count, &pos, vfs_read);
}

SYSCALL_DEFINE4(pwrite64, int, fd, uptr_t, buf, size_t, count, long, off)
{
	uint64_t pos = (uint64_t)off;

	if (off < 0)
		return -EINVAL;
	return do_rw(proc, fd, buf, count, &pos, vfs_write);
}

/* The segments of a vector call, each as one read/write at *pos (the
 * file position when pos is NULL; a given one moves along). */
static long rw_segments(struct file *f, uptr_t iov, int iovcnt,
			uint64_t *pos, rw_fn fn)
{
	struct linux_iovec v[UIO_FASTIOV];
	size_t total = 0, seen = 0;
	long ret = 0;

	for (int k = 0; k < iovcnt; k++) {
		struct linux_iovec *s = &v[k % UIO_FASTIOV];

		if (k % UIO_FASTIOV == 0 &&
		    copy_from_user(v, uptr_add(iov, (size_t)k * sizeof(*s)),
				   MIN((size_t)(iovcnt - k), ARRAY_SIZE(v)) *
					   sizeof(*s))) {
			ret = -EFAULT;
			break;
		}
		if ((int64_t)s->iov_len < 0 ||
		    s->iov_len > RW_MAX - seen) {
			ret = -EINVAL;
			break;
		}
		seen += s->iov_len;
		if (!s->iov_len)
			continue;
		ret = fn(f, uptr(s->iov_base), s->iov_len, pos);
		if (ret < 0)
			break;
		total += (size_t)ret;
		if ((size_t)ret < s->iov_len)
			break;
	}
	return total ? (long)total : ret;
}

static long do_rwv(struct proc *proc, int fd, uptr_t iov, int iovcnt,
		   uint64_t *pos, rw_fn fn)
{
	struct file *f;
	long ret;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	f = fd_get(proc, fd);
	if (!f)
		return -EBADF;
	file_io_lock(f);
	ret = rw_segments(f, iov, iovcnt, pos, fn);
	file_io_unlock(f);
	fd_put(f);
	return vfs_fsize_signal(ret);
}

SYSCALL_DEFINE3(readv, int, fd, uptr_t, iov, int, iovcnt)
{
	return do_rwv(proc, fd, iov, iovcnt, NULL, vfs_read);
}

SYSCALL_DEFINE3(writev, int, fd, uptr_t, iov, int, iovcnt)
{
	return do_rwv(proc, fd, iov, iovcnt, NULL, vfs_write);
}

/* preadv/pwritev: pos_l is the whole offset on 64 bits (pos_h is
 * shifted out, as Linux's pos_from_hilo); negative is -EINVAL. */
static long do_prwv(struct proc *proc, int fd, uptr_t iov, int iovcnt,
		    long pos_l, rw_fn fn)
{
	uint64_t pos = (uint64_t)pos_l;

	if (pos_l < 0)
		return -EINVAL;
	return do_rwv(proc, fd, iov, iovcnt, &pos, fn);
}

SYSCALL_DEFINE5(preadv, int, fd, uptr_t, iov, int, iovcnt, long, pos_l,
		long, pos_h)
{
	return do_prwv(proc, fd, iov, iovcnt, pos_l, vfs_read);
}

SYSCALL_DEFINE5(pwritev, int, fd, uptr_t, iov, int, iovcnt, long, pos_l,
		long, pos_h)
{
	return do_prwv(proc, fd, iov, iovcnt, pos_l, vfs_write);
}

/* The RWF_* flags accepted: none changes anything for files in memory
 * (HIPRI, DSYNC, SYNC, NOWAIT), except APPEND and NOAPPEND. */
#define RWF_KNOWN                                                           \
	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND |       \
	 UAPI_RWF_NOAPPEND)

static ssize_t write_appending(struct file *f, uptr_t buf, size_t len,
			       uint64_t *pos)
{
	return vfs_write_mode(f, buf, len, pos, VFS_APPEND_ALWAYS);
}

static ssize_t write_not_appending(struct file *f, uptr_t buf, size_t len,
				   uint64_t *pos)
{
	return vfs_write_mode(f, buf, len, pos, VFS_APPEND_NEVER);
}

/* preadv2/pwritev2: offset -1 is the file position; RWF_APPEND writes at
 * the end as O_APPEND does (moving the position when the offset is -1),
 * RWF_NOAPPEND at the offset even on an O_APPEND file; an unknown flag is
 * -EOPNOTSUPP, both APPEND flags -EINVAL (reads too, as Linux). */
static long do_rwv2(struct proc *proc, int fd, uptr_t iov, int iovcnt,
		    long off, int flags, rw_fn fn)
{
	uint64_t pos = (uint64_t)off;
	struct file *f;
	long ret;

	if (flags & ~RWF_KNOWN)
		return -EOPNOTSUPP;
	if ((flags & RWF_APPEND) && (flags & UAPI_RWF_NOAPPEND))
		return -EINVAL;
	if (off < -1)
		return -EINVAL;
	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	if (fn == vfs_write && (flags & RWF_APPEND))
		fn = write_appending;
	else if (fn == vfs_write && (flags & UAPI_RWF_NOAPPEND))
		fn = write_not_appending;
	f = fd_get(proc, fd);
	if (!f)
		return -EBADF;
	file_io_lock(f);
	ret = rw_segments(f, iov, iovcnt, off == -1 ? NULL : &pos, fn);
	file_io_unlock(f);
	fd_put(f);
	return vfs_fsize_signal(ret);
}

SYSCALL_DEFINE6(preadv2, int, fd, uptr_t, iov, int, iovcnt, long, pos_l,
		long, pos_h, int, flags)
{
	return do_rwv2(proc, fd, iov, iovcnt, pos_l, flags, vfs_read);
}

SYSCALL_DEFINE6(pwritev2, int, fd, uptr_t, iov, int, iovcnt, long, pos_l,
		long, pos_h, int, flags)
{
	return do_rwv2(proc, fd, iov, iovcnt, pos_l, flags, vfs_write);
}

SYSCALL_DEFINE3(lseek, int, fd, long, offset, unsigned int, whence)
{
	struct file *f = fd_get(proc, fd);
	long ret;

	if (!f)
		return -EBADF;
	vfs_lock();
	ret = vfs_llseek(f, offset, (int)whence);
	vfs_unlock();
	fd_put(f);
	return ret;
}
