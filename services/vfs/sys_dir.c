/*
 * Namespace and directory calls: mkdirat, mknodat, unlinkat, renameat2, linkat,
 * symlinkat, readlinkat, getdents64, getcwd, chdir, fchdir, umask,
 * truncate, ftruncate. Decoding only; the work is in dir.c, namei.c and
 * file.c.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>

#include "sys_util.h"

/* One user path resolved against dirfd: *path (to kfree) and *start. */
static int path_at(struct proc *proc, int dirfd, uptr_t upath, char **path,
		   struct path *start)
{
	int err = user_path(upath, path);

	if (err)
		return err;
	err = at_start(proc, dirfd, *path, start);
	if (err)
		kfree(*path);
	return err;
}

static void path_done(char *path, struct path *start)
{
	file_put_path(start);
	kfree(path);
}

long vfs_sys_mkdirat(struct proc *proc, int dirfd, uptr_t upath,
		     unsigned int mode)
{
	struct path start;
	char *path;
	long err = path_at(proc, dirfd, upath, &path, &start);

	if (err)
		return err;
	/* Linux's vfs_mkdir keeps the permission and sticky bits only (a
	 * set-gid bit comes from a set-gid parent). */
	mode = (mode & (0777 | S_ISVTX) & ~fs_umask(proc, NULL)) | S_IFDIR;
	vfs_lock();
	err = vfs_mknod(&start, path, mode, 0, cred_current_fs());
	vfs_unlock();
	path_done(path, &start);
	return err;
}

SYSCALL_DEFINE3(mkdirat, int, dirfd, uptr_t, path, unsigned int, mode)
{
	return vfs_sys_mkdirat(proc, dirfd, path, mode);
}

/* The node types mknod makes, as Linux's may_mknod: 0 is a regular file,
 * a directory needs mkdir (-EPERM), an unknown type is -EINVAL. */
static long mknod_type(unsigned int mode, uint32_t *type)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
		*type = S_IFREG;
		return 0;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		*type = mode & S_IFMT;
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

long vfs_sys_mknodat(struct proc *proc, int dirfd, uptr_t upath,
		     unsigned int mode, unsigned int dev)
{
	struct path start;
	uint32_t type;
	char *path;
	long err = mknod_type(mode, &type);

	if (err)
		return err;
	err = path_at(proc, dirfd, upath, &path, &start);
	if (err)
		return err;
	mode = (mode & 07777 & ~fs_umask(proc, NULL)) | type;
	vfs_lock();
	err = vfs_mknod(&start, path, mode,
			type == S_IFCHR || type == S_IFBLK ? dev : 0,
			cred_current_fs());
	vfs_unlock();
	path_done(path, &start);
	return err;
}

SYSCALL_DEFINE4(mknodat, int, dirfd, uptr_t, path, unsigned int, mode,
		unsigned int, dev)
{
	return vfs_sys_mknodat(proc, dirfd, path, mode, dev);
}

long vfs_sys_unlinkat(struct proc *proc, int dirfd, uptr_t upath, int flags)
{
	struct path start;
	char *path;
	long err;

	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	err = path_at(proc, dirfd, upath, &path, &start);
	if (err)
		return err;
	vfs_lock();
	err = vfs_unlink(&start, path, flags & AT_REMOVEDIR, cred_current_fs());
	vfs_unlock();
	path_done(path, &start);
	return err;
}

SYSCALL_DEFINE3(unlinkat, int, dirfd, uptr_t, path, int, flags)
{
	return vfs_sys_unlinkat(proc, dirfd, path, flags);
}

long vfs_sys_renameat2(struct proc *proc, int olddirfd, uptr_t uold,
		       int newdirfd, uptr_t unew, unsigned int flags)
{
	struct path old_start, new_start;
	char *old, *new;
	long err;

	/* Linux's do_renameat2 refuses unknown flags before the paths. */
	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE |
				RENAME_WHITEOUT))
		return -EINVAL;
	err = path_at(proc, olddirfd, uold, &old, &old_start);
	if (err)
		return err;
	err = path_at(proc, newdirfd, unew, &new, &new_start);
	if (!err) {
		vfs_lock();
		err = vfs_rename(&old_start, old, &new_start, new, flags,
				 cred_current_fs());
		vfs_unlock();
		path_done(new, &new_start);
	}
	path_done(old, &old_start);
	return err;
}

SYSCALL_DEFINE5(renameat2, int, olddirfd, uptr_t, oldpath, int, newdirfd,
		uptr_t, newpath, unsigned int, flags)
{
	return vfs_sys_renameat2(proc, olddirfd, oldpath, newdirfd, newpath,
				 flags);
}

long vfs_sys_linkat(struct proc *proc, int olddirfd, uptr_t uold,
		    int newdirfd, uptr_t unew, int flags)
{
	struct path old_start, new_start;
	char *old, *new;
	long err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	err = path_at(proc, olddirfd, uold, &old, &old_start);
	if (err)
		return err;
	err = path_at(proc, newdirfd, unew, &new, &new_start);
	if (!err) {
		vfs_lock();
		err = vfs_link(&old_start, old,
			       (flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0) |
				       (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY
							      : 0),
			       &new_start, new, cred_current_fs());
		vfs_unlock();
		path_done(new, &new_start);
	}
	path_done(old, &old_start);
	return err;
}

SYSCALL_DEFINE5(linkat, int, olddirfd, uptr_t, oldpath, int, newdirfd,
		uptr_t, newpath, int, flags)
{
	return vfs_sys_linkat(proc, olddirfd, oldpath, newdirfd, newpath,
			      flags);
}

long vfs_sys_symlinkat(struct proc *proc, uptr_t utarget, int newdirfd,
		       uptr_t ulink)
{
	struct path start;
	char *target, *link;
	long err = user_path(utarget, &target);

	if (err)
		return err;
	err = path_at(proc, newdirfd, ulink, &link, &start);
	if (!err) {
		vfs_lock();
		err = vfs_symlink(&start, link, target, cred_current_fs());
		vfs_unlock();
		path_done(link, &start);
	}
	kfree(target);
	return err;
}

SYSCALL_DEFINE3(symlinkat, uptr_t, target, int, newdirfd, uptr_t, linkpath)
{
	return vfs_sys_symlinkat(proc, target, newdirfd, linkpath);
}

long vfs_sys_readlinkat(struct proc *proc, int dirfd, uptr_t upath,
			uptr_t buf, int bufsiz)
{
	struct path start, p;
	char *path, *target;
	long err;

	if (bufsiz <= 0)
		return -EINVAL;
	err = path_at(proc, dirfd, upath, &path, &start);
	if (err)
		return err;
	target = kmalloc(VFS_PATH_MAX);
	vfs_lock();
	if (!target) {
		err = -ENOMEM;
	} else if (!path[0]) {
		/* An empty path names dirfd itself (Linux's LOOKUP_EMPTY):
		 * a symlink opened with O_PATH | O_NOFOLLOW. */
		p = start;
		vfs_path_get(&p);
	} else {
		err = vfs_lookup(&start, path, 0, &p);
	}
	if (!err) {
		struct inode *i = p.dentry->inode;

		if ((i->mode & S_IFMT) != S_IFLNK)
			err = path[0] ? -EINVAL : -ENOENT;
		else
			err = i->iops->readlink(i, target, MIN((size_t)bufsiz,
							      (size_t)VFS_PATH_MAX));
		vfs_path_put(&p);
	}
	vfs_unlock();
	if (err > 0 && copy_to_user(buf, target, (size_t)err))
		err = -EFAULT;
	kfree(target);
	path_done(path, &start);
	return err;
}

SYSCALL_DEFINE4(readlinkat, int, dirfd, uptr_t, path, uptr_t, buf, int,
		bufsiz)
{
	return vfs_sys_readlinkat(proc, dirfd, path, buf, bufsiz);
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, uptr_t, dirent,
		unsigned int, count)
{
	struct file *f = fd_get(proc, (int)fd);
	long ret;

	if (!f)
		return -EBADF;
	vfs_lock();
	ret = vfs_getdents64(f, dirent, count);
	vfs_file_put(f);
	vfs_unlock();
	return ret;
}

SYSCALL_DEFINE2(getcwd, uptr_t, buf, unsigned long, size)
{
	struct path cwd = fs_cwd(proc);
	char *name = kmalloc(VFS_PATH_MAX);
	long ret = name ? 0 : -ENOMEM;

	vfs_lock();
	if (!ret)
		ret = vfs_path_name(&cwd, name, VFS_PATH_MAX);
	/* Linux names the cwd in a page: longer is ENAMETOOLONG, whatever
	 * size the caller gave. */
	if (ret == -ERANGE)
		ret = -ENAMETOOLONG;
	vfs_path_put(&cwd);
	vfs_unlock();
	if (ret > 0 && (unsigned long)ret > size)
		ret = -ERANGE;
	if (ret > 0 && copy_to_user(buf, name, (size_t)ret))
		ret = -EFAULT;
	kfree(name);
	return ret;
}

/* Makes the directory at p the cwd after the checks chdir makes. */
static long change_dir(struct proc *proc, const struct path *p)
{
	struct inode *i = p->dentry->inode;
	long err;

	if (!vfs_is_dir(i))
		return -ENOTDIR;
	err = vfs_permission(i, VFS_MAY_EXEC, cred_current_fs());
	if (!err)
		fs_set_cwd(proc, p);
	return err;
}

SYSCALL_DEFINE1(chdir, uptr_t, upath)
{
	struct path start, p;
	char *path;
	long err = path_at(proc, AT_FDCWD, upath, &path, &start);

	if (err)
		return err;
	vfs_lock();
	err = vfs_lookup(&start, path, LOOKUP_FOLLOW, &p);
	vfs_unlock();
	if (!err) {
		err = change_dir(proc, &p);
		file_put_path(&p);
	}
	path_done(path, &start);
	return err;
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *f = fd_get(proc, (int)fd);
	long err;

	if (!f)
		return -EBADF;
	err = change_dir(proc, &f->path);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE1(umask, int, mask)
{
	uint32_t set = (uint32_t)mask;

	return fs_umask(proc, &set);
}

SYSCALL_DEFINE2(truncate, uptr_t, upath, long, length)
{
	struct path start, p;
	char *path;
	long err;

	if (length < 0)
		return -EINVAL;
	err = path_at(proc, AT_FDCWD, upath, &path, &start);
	if (err)
		return err;
	vfs_lock();
	err = vfs_lookup(&start, path, LOOKUP_FOLLOW, &p);
	if (!err) {
		err = vfs_permission(p.dentry->inode, VFS_MAY_WRITE,
				     cred_current_fs());
		if (!err)
			err = vfs_truncate(p.dentry->inode, (uint64_t)length,
					   cred_current_fs());
		vfs_path_put(&p);
	}
	vfs_unlock();
	path_done(path, &start);
	return vfs_fsize_signal(err);
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, unsigned long, length)
{
	struct file *f = fd_get(proc, (int)fd);
	long err;

	if (!f)
		return -EBADF;
	vfs_lock();
	if ((long)length < 0)
		err = -EINVAL;
	else if ((f->flags & O_PATH) || !(f->flags & (O_WRONLY | O_RDWR)))
		err = f->flags & O_PATH ? -EBADF : -EINVAL;
	else
		err = vfs_truncate(f->inode, length, cred_current_fs());
	vfs_file_put(f);
	vfs_unlock();
	return vfs_fsize_signal(err);
}
