/*
 * Helpers of the file system call handlers (see sys_util.h).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

int user_path(uptr_t u, char **out)
{
	char *buf = kmalloc(VFS_PATH_MAX);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = strncpy_from_user(buf, u, VFS_PATH_MAX);
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*out = buf;
	return 0;
}

int at_start(struct proc *p, int dirfd, const char *path,
	     struct path *start)
{
	struct file *f;
	int err = 0;

	if (dirfd == AT_FDCWD || path[0] == '/') {
		*start = fs_cwd(p);
		return 0;
	}
	f = fd_get(p, dirfd);
	if (!f)
		return -EBADF;
	vfs_lock();
	if (!vfs_is_dir(f->inode) && path[0])
		err = -ENOTDIR;
	else
		*start = f->path, vfs_path_get(start);
	vfs_file_put(f);
	vfs_unlock();
	return err;
}

static bool locks_itself(const struct file *f)
{
	return f->fops && f->fops->own_lock;
}

void file_io_lock(struct file *f)
{
	if (!locks_itself(f))
		vfs_lock();
}

void file_io_unlock(struct file *f)
{
	if (!locks_itself(f))
		vfs_unlock();
}

void file_put_path(const struct path *p)
{
	vfs_lock();
	vfs_path_put(p);
	vfs_unlock();
}

int at_lookup(struct proc *p, int dirfd, uptr_t upath, int at_flags,
	      struct path *out)
{
	struct path start;
	char *path = NULL;
	int err = user_path(upath, &path);

	if (err)
		return err;
	err = at_start(p, dirfd, path, &start);
	if (err)
		goto out;
	vfs_lock();
	if (!path[0] && (at_flags & AT_EMPTY_PATH)) {
		*out = start;
		vfs_path_get(out);
	} else {
		err = vfs_lookup(&start, path,
				 at_flags & AT_SYMLINK_NOFOLLOW ? 0
								: LOOKUP_FOLLOW,
				 out);
	}
	vfs_path_put(&start);
	vfs_unlock();
out:
	kfree(path);
	return err;
}
