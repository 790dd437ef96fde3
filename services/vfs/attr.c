/*
 * Attribute changes on inodes: the permission bits (chmod), the owners
 * (chown), the time stamps (utimensat) and the access check of
 * access(2). Callers hold vfs_lock.
 */
#include <keel/errno.h>
#include <svc/vfs.h>

int vfs_chmod(struct inode *i, uint32_t mode, const struct vfs_cred *cred)
{
	/* Only the owner (or root: CAP_FOWNER) may. Without CAP_FSETID a
	 * set-gid bit for a group the caller is not in is dropped. */
	if (cred->uid != 0 && cred->uid != i->uid)
		return -EPERM;
	if (cred->uid != 0 && !vfs_cred_in_group(cred, i->gid))
		mode &= ~S_ISGID;
	i->mode = (i->mode & S_IFMT) | (mode & 07777);
	i->ctime = vfs_now();
	return 0;
}

int vfs_chown(struct inode *i, uint32_t uid, uint32_t gid,
	      const struct vfs_cred *cred)
{
	/* Linux's chown_ok and chgrp_ok: root (CAP_CHOWN) may give the file
	 * to anyone; its owner may keep the owner and change the group to
	 * one it is in. */
	bool owner = cred->uid == i->uid;

	if (cred->uid != 0 &&
	    ((uid != VFS_ID_UNCHANGED && !(owner && uid == i->uid)) ||
	     (gid != VFS_ID_UNCHANGED &&
	      !(owner && (gid == i->gid || vfs_cred_in_group(cred, gid))))))
		return -EPERM;
	if (!vfs_is_dir(i)) {
		/* Linux's ATTR_KILL_SUID, and ATTR_KILL_SGID for a group
		 * executable (a set-gid file without group execute is a
		 * locking mark and stays). */
		i->mode &= ~S_ISUID;
		if ((i->mode & S_ISGID) && (i->mode & S_IXGRP))
			i->mode &= ~S_ISGID;
	}
	if (uid != VFS_ID_UNCHANGED)
		i->uid = uid;
	if (gid != VFS_ID_UNCHANGED)
		i->gid = gid;
	i->ctime = vfs_now();
	return 0;
}

void vfs_drop_setid(struct inode *i, const struct vfs_cred *cred)
{
	uint32_t kill = i->mode & S_ISUID;

	if ((i->mode & S_ISGID) &&
	    ((i->mode & S_IXGRP) || !vfs_cred_in_group(cred, i->gid)))
		kill |= S_ISGID;
	if (kill && cred->uid != 0 && (i->mode & S_IFMT) == S_IFREG) {
		i->mode &= ~kill;
		i->ctime = vfs_now();
	}
}

int vfs_set_times(struct inode *i, const struct vfs_time *atime,
		  const struct vfs_time *mtime, bool touch,
		  const struct vfs_cred *cred)
{
	int err = 0;

	if (!atime && !mtime)
		return 0;
	if (cred->uid != 0 && cred->uid != i->uid)
		err = touch ? vfs_permission(i, VFS_MAY_WRITE, cred) : -EPERM;
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
