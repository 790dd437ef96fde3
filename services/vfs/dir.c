/*
 * The namespace changes: making nodes (mknod, mkdir, symlink), links,
 * unlinking and renaming. Each checks as Linux does, in Linux's order
 * where the errno depends on it, before changing anything; the file
 * system then only makes the inode (inode_ops). Callers hold vfs_lock.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <svc/vfs.h>
#include <uapi/fs.h>

static bool is_dot_or_dotdot(const char *name)
{
	return !kstrcmp(name, ".") || !kstrcmp(name, "..");
}

static void touch_dir(struct inode *dir)
{
	dir->mtime = dir->ctime = vfs_now();
}

/* The answer when dir's file system cannot make a node of mode, as
 * Linux's vfs_create (-EACCES for a regular file) and vfs_mkdir,
 * vfs_mknod, vfs_symlink (-EPERM) give it; 0 when it can. */
static int cannot_make(const struct inode_ops *ops, uint32_t mode)
{
	if ((mode & S_IFMT) == S_IFLNK)
		return ops && ops->symlink ? 0 : -EPERM;
	if (ops && ops->create)
		return 0;
	return (mode & S_IFMT) == S_IFREG ? -EACCES : -EPERM;
}

/* Whether directory d was removed (rmdir) while still in use: not a
 * file system's root and no longer in its parent's entries. */
static bool dir_removed(const struct dentry *d)
{
	return d->parent != d && !d->attached;
}

/* Linux's inode_init_owner and mode_strip_sgid: in a set-gid directory
 * a new node takes the directory's group, and a new directory its set-gid
 * bit too; a group-executable set-gid file made there by a caller outside
 * that group (not root) loses the bit. */
static void inherit_group(const struct inode *dir, struct inode *i,
			  const struct vfs_cred *cred)
{
	if (!(dir->mode & S_ISGID))
		return;
	i->gid = dir->gid;
	if (vfs_is_dir(i))
		i->mode |= S_ISGID;
	else if ((i->mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
		 cred->uid != 0 && !vfs_cred_in_group(cred, dir->gid))
		i->mode &= ~S_ISGID;
}

/* A new dentry name under dir with a new inode of mode from dir's file
 * system, not yet in dir's entries (attach_node puts it there): 0 with
 * *out, or the file system's error. */
static int new_node(struct dentry *dir, const char *name, uint32_t mode,
		    uint32_t rdev, const char *target, struct dentry **out)
{
	const struct inode_ops *ops = dir->inode->iops;
	struct dentry *d = vfs_dentry_new(dir, name);
	int err;

	if (!d)
		return -ENOMEM;
	if ((mode & S_IFMT) == S_IFLNK)
		err = ops->symlink(dir->inode, d, target, cred_current_fs());
	else
		err = ops->create(dir->inode, d, mode, rdev, cred_current_fs());
	if (err) {
		vfs_dentry_put(d);
		return err;
	}
	inherit_group(dir->inode, d->inode, cred_current_fs());
	*out = d;
	return 0;
}

/* Adds new_node's d to its directory's entries (dropping the caller's
 * reference: the tree holds it). */
static void attach_node(struct dentry *d)
{
	struct inode *dir = d->parent->inode;

	if (vfs_is_dir(d->inode))
		dir->nlink++;
	touch_dir(dir);
	vfs_dentry_attach(d);
	vfs_dentry_put(d);
}

int vfs_make_node(struct dentry *dir, const char *name, uint32_t mode,
		  uint32_t rdev, const char *target)
{
	size_t len = kstrlen(name);
	struct dentry *d;
	int err;

	if (len > VFS_NAME_MAX)
		return -ENAMETOOLONG;
	err = cannot_make(dir->inode->iops, mode);
	if (err)
		return err;
	if (vfs_dentry_child(dir, name, len))
		return -EEXIST;
	if (dir_removed(dir))
		return -ENOENT; /* Linux's IS_DEADDIR */
	err = new_node(dir, name, mode, rdev, target, &d);
	if (!err)
		attach_node(d);
	return err;
}

/* The parent of a name to be made: a directory we may write, the name
 * not taken. Returns 0 with *parent (a reference) and last filled. */
static int prepare_create(const struct path *start, const char *path,
			  bool is_dir, struct path *parent, char *last,
			  const struct vfs_cred *cred)
{
	bool slash;
	int err = vfs_lookup_parent(start, path, parent, last, &slash);

	if (err)
		return err;
	if (is_dot_or_dotdot(last))
		err = -EEXIST;
	else if (vfs_dentry_child(parent->dentry, last, kstrlen(last)))
		err = -EEXIST;
	else if (slash && !is_dir)
		err = -ENOENT;
	else if (vfs_path_readonly(parent))
		err = -EROFS;
	else
		err = vfs_permission(parent->dentry->inode,
				     VFS_MAY_WRITE | VFS_MAY_EXEC, cred);
	if (err)
		vfs_path_put(parent);
	return err;
}

int vfs_mknod(const struct path *start, const char *path, uint32_t mode,
	      uint32_t rdev, const struct vfs_cred *cred)
{
	char last[VFS_NAME_MAX + 1];
	struct path parent;
	bool is_dir = (mode & S_IFMT) == S_IFDIR;
	uint32_t type = mode & S_IFMT;
	int err = prepare_create(start, path, is_dir, &parent, last, cred);

	if (err)
		return err;
	/* Devices need CAP_MKNOD, after the parent's checks, as Linux's
	 * vfs_mknod. */
	if ((type == S_IFCHR || type == S_IFBLK) && cred->uid != 0)
		err = -EPERM;
	else
		err = vfs_make_node(parent.dentry, last, mode, rdev, NULL);
	vfs_path_put(&parent);
	return err;
}

int vfs_symlink(const struct path *start, const char *path,
		const char *target, const struct vfs_cred *cred)
{
	char last[VFS_NAME_MAX + 1];
	struct path parent;
	int err;

	if (!*target)
		return -ENOENT;
	err = prepare_create(start, path, false, &parent, last, cred);
	if (err)
		return err;
	err = vfs_make_node(parent.dentry, last, S_IFLNK | 0777, 0, target);
	vfs_path_put(&parent);
	return err;
}

/* Whether a is d or one of d's ancestors (within one file system). */
static bool is_ancestor(const struct dentry *a, const struct dentry *d)
{
	for (;;) {
		if (d == a)
			return true;
		if (d->parent == d)
			return false;
		d = d->parent;
	}
}

static bool dir_empty(const struct dentry *d)
{
	return list_empty(&d->children);
}

/* Linux's check_sticky: in a sticky directory only root, the owner of
 * the directory and the owner of the entry may remove or replace it. */
static bool sticky_denies(const struct inode *dir, const struct inode *i,
			  const struct vfs_cred *cred)
{
	return (dir->mode & S_ISVTX) && cred->uid != 0 &&
	       cred->uid != i->uid && cred->uid != dir->uid;
}

/* Takes the name d away from its inode: one link less (a directory has
 * none left and its parent loses the ".." link). */
static void drop_name(struct dentry *d)
{
	struct inode *i = d->inode;

	if (vfs_is_dir(i)) {
		i->nlink = 0;
		d->parent->inode->nlink--;
	} else {
		i->nlink--;
	}
	i->ctime = vfs_now();
	touch_dir(d->parent->inode);
	vfs_dentry_detach(d);
}

int vfs_unlink(const struct path *start, const char *path, bool dir,
	       const struct vfs_cred *cred)
{
	char last[VFS_NAME_MAX + 1];
	struct path parent;
	struct dentry *d;
	bool slash;
	int err = vfs_lookup_parent(start, path, &parent, last, &slash);

	if (err)
		return err;
	if (is_dot_or_dotdot(last)) {
		if (!dir)
			err = -EISDIR;
		else
			err = !kstrcmp(last, ".") ? -EINVAL : -ENOTEMPTY;
		goto out;
	}
	err = vfs_path_readonly(&parent)
		      ? -EROFS
		      : vfs_permission(parent.dentry->inode,
				       VFS_MAY_WRITE | VFS_MAY_EXEC, cred);
	if (err)
		goto out;
	d = vfs_dentry_child(parent.dentry, last, kstrlen(last));
	if (!d)
		err = -ENOENT;
	else if (sticky_denies(parent.dentry->inode, d->inode, cred))
		err = -EPERM;
	else if (dir && !vfs_is_dir(d->inode))
		err = -ENOTDIR;
	else if (!dir && vfs_is_dir(d->inode))
		err = -EISDIR;
	else if (!dir && slash)
		err = -ENOTDIR;
	else if (d->mounted)
		err = -EBUSY;
	else if (dir && !dir_empty(d))
		err = -ENOTEMPTY;
	if (!err)
		drop_name(d);
out:
	vfs_path_put(&parent);
	return err;
}

int vfs_link(const struct path *old_start, const char *old_path,
	     unsigned lookup_flags, const struct path *new_start,
	     const char *new_path, const struct vfs_cred *cred)
{
	char last[VFS_NAME_MAX + 1];
	struct path old, parent;
	struct dentry *d;
	int err = vfs_lookup(old_start, old_path, lookup_flags, &old);

	if (err)
		return err;
	err = prepare_create(new_start, new_path, false, &parent, last, cred);
	if (err)
		goto out_old;
	if (vfs_is_dir(old.dentry->inode))
		err = -EPERM;
	else if (parent.mnt != old.mnt)
		err = -EXDEV;
	else if (!old.dentry->inode->nlink && !old.dentry->inode->linkable)
		err = -ENOENT; /* unlinked, or O_TMPFILE | O_EXCL */
	else if (!(d = vfs_dentry_new(parent.dentry, last)))
		err = -ENOMEM;
	if (!err) {
		d->inode = old.dentry->inode;
		vfs_inode_get(d->inode);
		d->inode->nlink++;
		d->inode->linkable = false;
		d->inode->ctime = vfs_now();
		touch_dir(parent.dentry->inode);
		vfs_dentry_attach(d);
		vfs_dentry_put(d);
	}
	vfs_path_put(&parent);
out_old:
	vfs_path_put(&old);
	return err;
}

/* Moves d to be called name in new_parent, the links of a directory
 * moved between parents counted again. */
static void move_dentry(struct dentry *d, struct dentry *new_parent,
			const char *name)
{
	struct dentry *old_parent = d->parent;

	if (vfs_is_dir(d->inode) && old_parent != new_parent) {
		old_parent->inode->nlink--;
		new_parent->inode->nlink++;
	}
	list_del(&d->sibling);
	vfs_dentry_get(new_parent);
	d->parent = new_parent;
	kstrlcpy(d->name, name, sizeof(d->name));
	d->attached = false;
	d->refs--; /* attach takes the tree's reference again */
	vfs_dentry_attach(d);
	touch_dir(old_parent->inode);
	touch_dir(new_parent->inode);
	d->inode->ctime = vfs_now();
	vfs_dentry_put(old_parent);
}

/* The checks of rename between existing old and target (NULL if absent),
 * in the order Linux makes them. *noop: old and target are one file
 * (the same name or two hard links), which rename leaves alone. */
static int check_rename(struct dentry *old, struct dentry *target,
			struct dentry *new_parent, unsigned flags, bool slash,
			bool *noop)
{
	bool old_dir = vfs_is_dir(old->inode);

	*noop = false;
	if (!old_dir && slash)
		return -ENOTDIR;
	if ((flags & RENAME_NOREPLACE) && target)
		return -EEXIST;
	if ((flags & RENAME_EXCHANGE) && !target)
		return -ENOENT;
	if (old_dir && is_ancestor(old, new_parent))
		return -EINVAL;
	if (!target)
		return 0;
	if (target->inode == old->inode) {
		*noop = true;
		return 0;
	}
	if ((flags & RENAME_EXCHANGE) && vfs_is_dir(target->inode) &&
	    is_ancestor(target, old->parent))
		return -EINVAL;
	if (is_ancestor(target, old))
		return -ENOTEMPTY;
	if (flags & RENAME_EXCHANGE)
		return old->mounted || target->mounted ? -EBUSY : 0;
	if (old_dir && !vfs_is_dir(target->inode))
		return -ENOTDIR;
	if (!old_dir && vfs_is_dir(target->inode))
		return -EISDIR;
	if (vfs_is_dir(target->inode) && !dir_empty(target))
		return -ENOTEMPTY;
	if (old->mounted || target->mounted)
		return -EBUSY;
	return 0;
}

/* The permission checks of rename after the parents' write and search
 * (Linux's may_delete and vfs_rename): the sticky bit for old and for a
 * target it replaces (-EPERM), then write permission on a directory that
 * changes parent, whose ".." changes (-EACCES). */
static int rename_permission(struct dentry *old, struct dentry *target,
			     struct dentry *new_parent, unsigned flags,
			     const struct vfs_cred *cred)
{
	bool moves = old->parent != new_parent;

	if (sticky_denies(old->parent->inode, old->inode, cred) ||
	    (target && sticky_denies(new_parent->inode, target->inode, cred)))
		return -EPERM;
	if (moves && vfs_is_dir(old->inode))
		return vfs_permission(old->inode, VFS_MAY_WRITE, cred);
	if (moves && (flags & RENAME_EXCHANGE) && vfs_is_dir(target->inode))
		return vfs_permission(target->inode, VFS_MAY_WRITE, cred);
	return 0;
}

/* The whiteout RENAME_WHITEOUT leaves at old's name: a character device
 * 0:0 of mode 0, as Linux's, made before anything moves so that the
 * rename cannot fail halfway (attach_node adds it after the move). 0
 * with *out, -EINVAL when the file system cannot make one, -ENOMEM. */
static int new_whiteout(struct dentry *old, struct dentry **out)
{
	struct dentry *dir = old->parent;

	if (cannot_make(dir->inode->iops, S_IFCHR))
		return -EINVAL;
	return new_node(dir, old->name, S_IFCHR, 0, NULL, out);
}

static int do_rename(struct dentry *old, struct dentry *target,
		     struct dentry *new_parent, const char *new_name,
		     unsigned flags)
{
	char old_name[VFS_NAME_MAX + 1];
	struct dentry *old_parent = old->parent, *whiteout = NULL;

	if (flags & RENAME_EXCHANGE) {
		kstrlcpy(old_name, old->name, sizeof(old_name));
		vfs_dentry_get(old_parent);
		move_dentry(old, new_parent, "\x01"); /* out of the way */
		move_dentry(target, old_parent, old_name);
		move_dentry(old, new_parent, new_name);
		vfs_dentry_put(old_parent);
		return 0;
	}
	if (flags & RENAME_WHITEOUT) {
		int err = new_whiteout(old, &whiteout);

		if (err)
			return err;
	}
	if (target)
		drop_name(target);
	move_dentry(old, new_parent, new_name);
	if (whiteout)
		attach_node(whiteout);
	return 0;
}

int vfs_rename(const struct path *old_start, const char *old_path,
	       const struct path *new_start, const char *new_path,
	       unsigned flags, const struct vfs_cred *cred)
{
	char old_last[VFS_NAME_MAX + 1], new_last[VFS_NAME_MAX + 1];
	struct path old_parent, new_parent;
	struct dentry *old, *target;
	bool old_slash, new_slash, noop;
	int err;

	if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) ||
	    ((flags & RENAME_EXCHANGE) &&
	     (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT))))
		return -EINVAL;
	err = vfs_lookup_parent(old_start, old_path, &old_parent, old_last,
				&old_slash);
	if (err)
		return err;
	err = vfs_lookup_parent(new_start, new_path, &new_parent, new_last,
				&new_slash);
	if (err)
		goto out_old;
	if (old_parent.mnt != new_parent.mnt)
		err = -EXDEV;
	else if (is_dot_or_dotdot(old_last) || is_dot_or_dotdot(new_last))
		err = -EBUSY;
	if (err)
		goto out;
	old = vfs_dentry_child(old_parent.dentry, old_last,
			       kstrlen(old_last));
	target = vfs_dentry_child(new_parent.dentry, new_last,
				  kstrlen(new_last));
	if (!old) {
		err = -ENOENT;
		goto out;
	}
	err = vfs_permission(old_parent.dentry->inode,
			     VFS_MAY_WRITE | VFS_MAY_EXEC, cred);
	if (!err)
		err = vfs_permission(new_parent.dentry->inode,
				     VFS_MAY_WRITE | VFS_MAY_EXEC, cred);
	if (!err)
		err = check_rename(old, target, new_parent.dentry, flags,
				   old_slash || new_slash, &noop);
	if (!err && !noop)
		err = rename_permission(old, target, new_parent.dentry, flags,
					cred);
	if (!err && !noop)
		err = do_rename(old, target, new_parent.dentry, new_last,
				flags);
out:
	vfs_path_put(&new_parent);
out_old:
	vfs_path_put(&old_parent);
	return err;
}

int vfs_make_tmpfile(const struct path *dir, uint32_t mode, bool linkable,
		     const struct vfs_cred *cred, struct path *out)
{
	struct inode *di = dir->dentry->inode;
	struct dentry *d;
	int err;

	if (!vfs_is_dir(di))
		return -ENOTDIR;
	if (dir_removed(dir->dentry))
		return -ENOENT;
	if (vfs_path_readonly(dir))
		return -EROFS;
	err = vfs_permission(di, VFS_MAY_WRITE | VFS_MAY_EXEC, cred);
	if (err)
		return err;
	if (cannot_make(di->iops, S_IFREG))
		return -EOPNOTSUPP;
	/* The name is only what /proc/self/fd shows; it is in no directory */
	err = new_node(dir->dentry, "#tmpfile", S_IFREG | (mode & 07777), 0,
		       NULL, &d);
	if (err)
		return err;
	d->inode->nlink = 0;
	d->inode->linkable = linkable;
	*out = (struct path){ dir->mnt, d };
	vfs_path_get(out);
	vfs_dentry_put(d);
	return 0;
}
