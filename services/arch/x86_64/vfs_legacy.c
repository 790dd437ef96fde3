/*
 * x86-64's older file system calls, which the generic numbering
 * (riscv64) does not have: each is its *at() form at AT_FDCWD, as in
 * Linux's fs/ (open -> openat, creat -> open with O_CREAT|O_WRONLY|
 * O_TRUNC, stat -> newfstatat, lstat with AT_SYMLINK_NOFOLLOW...).
 */
#include <keel/errno.h>
#include <svc/fdtable.h>
#include <svc/syscall.h>
#include <keel/uaccess.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>
#include <uapi/time.h>

SYSCALL_DEFINE3(open, uptr_t, path, int, flags, unsigned int, mode)
{
	return vfs_sys_openat(proc, AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE2(creat, uptr_t, path, unsigned int, mode)
{
	return vfs_sys_openat(proc, AT_FDCWD, path,
			      O_CREAT | O_WRONLY | O_TRUNC, mode);
}

SYSCALL_DEFINE2(stat, uptr_t, path, uptr_t, statbuf)
{
	return vfs_sys_fstatat(proc, AT_FDCWD, path, statbuf, 0);
}

SYSCALL_DEFINE2(lstat, uptr_t, path, uptr_t, statbuf)
{
	return vfs_sys_fstatat(proc, AT_FDCWD, path, statbuf,
			       AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE2(mkdir, uptr_t, path, unsigned int, mode)
{
	return vfs_sys_mkdirat(proc, AT_FDCWD, path, mode);
}

SYSCALL_DEFINE1(rmdir, uptr_t, path)
{
	return vfs_sys_unlinkat(proc, AT_FDCWD, path, AT_REMOVEDIR);
}

SYSCALL_DEFINE1(unlink, uptr_t, path)
{
	return vfs_sys_unlinkat(proc, AT_FDCWD, path, 0);
}

SYSCALL_DEFINE2(rename, uptr_t, oldpath, uptr_t, newpath)
{
	return vfs_sys_renameat2(proc, AT_FDCWD, oldpath, AT_FDCWD, newpath,
				 0);
}

SYSCALL_DEFINE4(renameat, int, olddirfd, uptr_t, oldpath, int, newdirfd,
		uptr_t, newpath)
{
	return vfs_sys_renameat2(proc, olddirfd, oldpath, newdirfd, newpath,
				 0);
}

SYSCALL_DEFINE2(link, uptr_t, oldpath, uptr_t, newpath)
{
	return vfs_sys_linkat(proc, AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

SYSCALL_DEFINE2(symlink, uptr_t, target, uptr_t, linkpath)
{
	return vfs_sys_symlinkat(proc, target, AT_FDCWD, linkpath);
}

SYSCALL_DEFINE3(readlink, uptr_t, path, uptr_t, buf, int, bufsiz)
{
	return vfs_sys_readlinkat(proc, AT_FDCWD, path, buf, bufsiz);
}

/* dup2: as dup3 without flags, but oldfd == newfd returns newfd when it
 * is open (-EBADF otherwise). */
SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	if (oldfd == newfd) {
		int open = fd_get_cloexec(proc, (int)oldfd);

		return open < 0 ? open : (long)newfd;
	}
	return vfs_sys_dup3(proc, (int)oldfd, (int)newfd, 0);
}

SYSCALL_DEFINE2(chmod, uptr_t, path, unsigned int, mode)
{
	return vfs_sys_fchmodat(proc, AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE2(access, uptr_t, path, int, mode)
{
	return vfs_sys_faccessat(proc, AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE3(mknod, uptr_t, path, unsigned int, mode, unsigned int, dev)
{
	return vfs_sys_mknodat(proc, AT_FDCWD, path, mode, dev);
}

/* utimes: microsecond times (struct timeval), NULL for both now; a
 * tv_usec out of range is -EINVAL, as Linux. */
SYSCALL_DEFINE2(utimes, uptr_t, path, uptr_t, times)
{
	struct linux_timeval tv[2];
	struct linux_timespec ts[2];

	if (!times.addr)
		return vfs_sys_utimes(proc, AT_FDCWD, path, NULL, 0);
	if (copy_from_user(tv, times, sizeof(tv)))
		return -EFAULT;
	for (int k = 0; k < 2; k++) {
		if (tv[k].tv_usec < 0 || tv[k].tv_usec >= 1000000)
			return -EINVAL;
		ts[k].tv_sec = tv[k].tv_sec;
		ts[k].tv_nsec = tv[k].tv_usec * 1000;
	}
	return vfs_sys_utimes(proc, AT_FDCWD, path, ts, 0);
}

SYSCALL_DEFINE3(chown, uptr_t, path, unsigned int, uid, unsigned int, gid)
{
	return vfs_sys_fchownat(proc, AT_FDCWD, path, uid, gid, 0);
}

SYSCALL_DEFINE3(lchown, uptr_t, path, unsigned int, uid, unsigned int, gid)
{
	return vfs_sys_fchownat(proc, AT_FDCWD, path, uid, gid,
				AT_SYMLINK_NOFOLLOW);
}
