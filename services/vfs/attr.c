/*
 * Attribute changes on inodes: the permission bits (chmod), the time
 * stamps (utimensat) and the access check of access(2). Callers hold
 * vfs_lock.
 */
#include <keel/errno.h>
#include <svc/vfs.h>

int vfs_chmod(struct inode *i, uint32_t mode, const struct vfs_cred *cred)
{
	/* Only the owner (or root) may; with every caller root for now, the
	 * check is there for when credentials come. */
	if (cred->uid != 0 && cred->uid != i->uid)
		return -EPERM;
	i->mode = (i->mode & S_IFMT) | (mode & 07777);
	i->ctime = vfs_now();
	return 0;
}

int vfs_set_times(struct inode *i, const struct vfs_time *atime,
		  const struct vfs_time *mtime, const struct vfs_cred *cred)
{
	int err = 0;

	if (!atime && !mtime)
		return 0;
	if (cred->uid != 0 && cred->uid != i->uid)
		err = vfs_permission(i, VFS_MAY_WRITE, cred);
	if (err)
		return err;
	if (atime)
		i->atime = *atime;
	if (mtime)
		i->mtime = *mtime;
	i->ctime = vfs_now();
	return 0;
}

int vfs_access(const struct inode *i, int mask, const struct vfs_cred *cred)
{
	return mask ? vfs_permission(i, mask, cred) : 0;
}
