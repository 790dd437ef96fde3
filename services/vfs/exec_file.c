/*
 * The VFS half of execve (see <svc/vfs_sys.h>): finding the program a
 * path names, with the checks Linux's do_open_execat makes, and reading
 * it into kernel memory for the loader.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/vfs_sys.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>
#include <uapi/stat.h>

#include "sys_util.h"

/* A regular file with execute permission for cred; caller holds
 * vfs_lock. 0 or -EACCES (also for directories and devices, as Linux). */
static int exec_allowed(const struct inode *i, const struct vfs_cred *cred)
{
	if ((i->mode & S_IFMT) != S_IFREG)
		return -EACCES;
	return vfs_permission(i, VFS_MAY_EXEC, cred);
}

int vfs_open_exec(struct proc *p, int dirfd, const char *path,
		  int at_flags, const struct vfs_cred *cred, struct file **out)
{
	struct path start, found;
	int err;

	if (!path[0] && !(at_flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (p) {
		err = at_start(p, dirfd, path, &start);
		if (err)
			return err;
	} else {
		vfs_lock();
		start = vfs_root();
		vfs_path_get(&start);
		vfs_unlock();
	}
	vfs_lock();
	if (!path[0]) {
		found = start;
		vfs_path_get(&found);
		err = 0;
	} else {
		err = vfs_lookup(&start, path,
				 at_flags & AT_SYMLINK_NOFOLLOW ? 0
								: LOOKUP_FOLLOW,
				 &found);
		if (!err && (found.dentry->inode->mode & S_IFMT) == S_IFLNK) {
			vfs_path_put(&found);
			err = -ELOOP; /* AT_SYMLINK_NOFOLLOW on a link */
		}
	}
	if (!err) {
		err = exec_allowed(found.dentry->inode, cred);
		if (!err && found.mnt && (found.mnt->flags & MS_NOEXEC))
			err = -EACCES; /* a noexec mount */
		if (!err)
			err = vfs_file_alloc(&found, O_RDONLY, out);
		if (!err) {
			err = vfs_deny_write(*out); /* ETXTBSY: open to write */
			if (err) {
				vfs_file_put(*out);
				*out = NULL;
			}
		}
		vfs_path_put(&found);
	}
	vfs_path_put(&start);
	vfs_unlock();
	return err;
}

int vfs_read_whole(struct file *f, size_t max, void **data, size_t *size)
{
	uint64_t pos = 0, len;
	ssize_t n;
	void *buf;

	vfs_lock();
	len = f->inode->size;
	vfs_unlock();
	if (len > max)
		return -ENOMEM;
	if (!f->fops || !f->fops->kread)
		return -EACCES;
	buf = kmalloc(len ? len : 1);
	if (!buf)
		return -ENOMEM;
	vfs_lock();
	n = f->fops->kread(f, buf, len, &pos);
	vfs_unlock();
	if (n < 0) {
		kfree(buf);
		return (int)n;
	}
	*data = buf;
	*size = (size_t)n;
	return 0;
}
