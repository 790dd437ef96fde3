/*
 * The permission check of Linux's generic_permission: the owner's bits if
 * the caller owns the inode, else the group's if its fs gid or one of its
 * supplementary groups is the inode's, else the others'. Root (fs uid 0:
 * CAP_DAC_OVERRIDE) may read and write anything
 * and search any directory, but executes a file only when some execute
 * bit is set.
 */
#include <keel/errno.h>
#include <svc/vfs.h>

int vfs_permission(const struct inode *inode, int mask,
		   const struct vfs_cred *cred)
{
	uint32_t mode = inode->mode;
	uint32_t bits;

	if (cred->uid == 0) {
		if (!(mask & VFS_MAY_EXEC) || vfs_is_dir(inode) ||
		    (mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
			return 0;
		return -EACCES;
	}
	if (cred->uid == inode->uid)
		bits = mode >> 6;
	else if (vfs_cred_in_group(cred, inode->gid))
		bits = mode >> 3;
	else
		bits = mode;
	return ((uint32_t)mask & ~bits & 7) ? -EACCES : 0;
}
