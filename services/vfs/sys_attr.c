/*
 * Attribute calls: chmod (fchmod, fchmodat, fchmodat2), chown (fchown,
 * fchownat; chown and lchown on x86-64), access
 * (faccessat, faccessat2) and utimensat, decoded here, done by attr.c.
 * They run with the caller's fs credentials (cred_current_fs), access
 * with its real ones unless AT_EACCESS.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>
#include <uapi/time.h>

#include "sys_util.h"

/* utimensat's special tv_nsec values (Linux's include/linux/stat.h, not
 * part of the UAPI headers). */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

/* The mask access(2) takes: R_OK | W_OK | X_OK (F_OK is 0). */
#define ACCESS_MASK 7

/* One attribute change (chmod, chown or utimensat's) and its values. */
struct attr_change {
	long (*apply)(struct inode *i, const struct attr_change *c);
	unsigned int mode, uid, gid;
	const struct linux_timespec *ts; /* NULL: both times now */
};

/* Applies c to the file at p under vfs_lock. */
static long change_path(const struct path *p, const struct attr_change *c)
{
	long err;

	vfs_lock();
	err = c->apply(p->dentry->inode, c);
	vfs_unlock();
	return err;
}

/* c on what (dirfd, upath, flags) names, flags AT_SYMLINK_NOFOLLOW and
 * AT_EMPTY_PATH (others -EINVAL), as the *at() calls do. */
static long change_at(struct proc *proc, int dirfd, uptr_t upath, int flags,
		      const struct attr_change *c)
{
	struct path p;
	long err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = at_lookup(proc, dirfd, upath, flags, &p);
	if (err)
		return err;
	err = change_path(&p, c);
	file_put_path(&p);
	return err;
}

/* c on the file open at fd (not an O_PATH one: -EBADF), as the f*()
 * calls do. */
static long change_fd(struct proc *proc, int fd, const struct attr_change *c)
{
	struct file *f = fd_get(proc, fd);
	long err;

	if (!f)
		return -EBADF;
	err = f->flags & O_PATH ? -EBADF : change_path(&f->path, c);
	fd_put(f);
	return err;
}

/* chmod's change; a symlink itself cannot have a mode. */
static long apply_mode(struct inode *i, const struct attr_change *c)
{
	if ((i->mode & S_IFMT) == S_IFLNK)
		return -EOPNOTSUPP;
	return vfs_chmod(i, c->mode, cred_current_fs());
}

long vfs_sys_fchmodat(struct proc *proc, int dirfd, uptr_t upath,
		      unsigned int mode, int flags)
{
	const struct attr_change c = { .apply = apply_mode, .mode = mode };

	return change_at(proc, dirfd, upath, flags, &c);
}

SYSCALL_DEFINE3(fchmodat, int, dirfd, uptr_t, path, unsigned int, mode)
{
	return vfs_sys_fchmodat(proc, dirfd, path, mode, 0);
}

SYSCALL_DEFINE4(fchmodat2, int, dirfd, uptr_t, path, unsigned int, mode,
		int, flags)
{
	return vfs_sys_fchmodat(proc, dirfd, path, mode, flags);
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, unsigned int, mode)
{
	const struct attr_change c = { .apply = apply_mode, .mode = mode };

	return change_fd(proc, (int)fd, &c);
}

static long apply_owner(struct inode *i, const struct attr_change *c)
{
	return vfs_chown(i, c->uid, c->gid, cred_current_fs());
}

long vfs_sys_fchownat(struct proc *proc, int dirfd, uptr_t upath,
		      unsigned int uid, unsigned int gid, int flags)
{
	const struct attr_change c = { .apply = apply_owner, .uid = uid,
				       .gid = gid };

	return change_at(proc, dirfd, upath, flags, &c);
}

SYSCALL_DEFINE5(fchownat, int, dirfd, uptr_t, path, unsigned int, uid,
		unsigned int, gid, int, flags)
{
	return vfs_sys_fchownat(proc, dirfd, path, uid, gid, flags);
}

SYSCALL_DEFINE3(fchown, unsigned int, fd, unsigned int, uid, unsigned int,
		gid)
{
	const struct attr_change c = { .apply = apply_owner, .uid = uid,
				       .gid = gid };

	return change_fd(proc, (int)fd, &c);
}

long vfs_sys_faccessat(struct proc *proc, int dirfd, uptr_t upath,
		       int mode, int flags)
{
	struct vfs_cred real = cred_current_real();
	struct path p;
	long err;

	if (mode & ~ACCESS_MASK)
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EACCESS))
		cred_override_begin(&real);
	err = at_lookup(proc, dirfd, upath, flags, &p);
	if (!err) {
		vfs_lock();
		err = vfs_access(p.dentry->inode, mode, cred_current_fs());
		vfs_path_put(&p);
		vfs_unlock();
	}
	cred_override_end();
	return err;
}

SYSCALL_DEFINE3(faccessat, int, dirfd, uptr_t, path, int, mode)
{
	return vfs_sys_faccessat(proc, dirfd, path, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dirfd, uptr_t, path, int, mode, int,
		flags)
{
	return vfs_sys_faccessat(proc, dirfd, path, mode, flags);
}

static bool nsec_valid(int64_t nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT ||
	       (nsec >= 0 && nsec < 1000000000);
}

/* One utimensat time: *out set, or NULL for UTIME_OMIT. */
static const struct vfs_time *utime_of(const struct linux_timespec *ts,
				       const struct vfs_time *now,
				       struct vfs_time *out)
{
	if (ts->tv_nsec == UTIME_OMIT)
		return NULL;
	if (ts->tv_nsec == UTIME_NOW)
		return now;
	out->sec = ts->tv_sec;
	out->nsec = (uint32_t)ts->tv_nsec;
	return out;
}

/* utimensat's change: the times of c->ts, both now for NULL. */
static long apply_times(struct inode *i, const struct attr_change *c)
{
	struct vfs_time now = vfs_now(), at, mt;
	const struct vfs_time *a = &now, *m = &now;

	if (c->ts) {
		a = utime_of(&c->ts[0], &now, &at);
		m = utime_of(&c->ts[1], &now, &mt);
	}
	return vfs_set_times(i, a, m, a == &now && m == &now,
			     cred_current_fs());
}

/* utimensat with the times already copied in (ts NULL: both now), as
 * Linux's do_utimes: a NULL path with a dirfd means that file. */
long vfs_sys_utimes(struct proc *proc, int dirfd, uptr_t upath,
		    const struct linux_timespec *ts, int flags)
{
	const struct attr_change c = { .apply = apply_times, .ts = ts };

	if (ts && (!nsec_valid(ts[0].tv_nsec) || !nsec_valid(ts[1].tv_nsec)))
		return -EINVAL;
	if (!upath.addr && dirfd != AT_FDCWD)
		return flags ? -EINVAL : change_fd(proc, dirfd, &c);
	return change_at(proc, dirfd, upath, flags, &c);
}

SYSCALL_DEFINE4(utimensat, int, dirfd, uptr_t, path, uptr_t, times, int,
		flags)
{
	struct linux_timespec ts[2];

	if (!times.addr)
		return vfs_sys_utimes(proc, dirfd, path, NULL, flags);
	if (copy_from_user(ts, times, sizeof(ts)))
		return -EFAULT;
	if (ts[0].tv_nsec == UTIME_OMIT && ts[1].tv_nsec == UTIME_OMIT)
		return 0;
	return vfs_sys_utimes(proc, dirfd, path, ts, flags);
}
