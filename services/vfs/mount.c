/*
 * The mount list: which file system's root sits on which directory. The
 * root mount has no parent and is its own mount point. A walk that enters
 * a dentry with `mounted` set asks vfs_mount_on for the mount to cross
 * into; `..` at a mount's root climbs back to its mount point (namei.c).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/vfs.h>

static struct list_head mounts = LIST_HEAD_INIT(mounts);
static struct mount *root_mount;

int vfs_mount(struct dentry *root, const struct path *at)
{
	struct mount *m;

	if (!at && root_mount)
		return -EBUSY;
	if (at && !vfs_is_dir(at->dentry->inode))
		return -ENOTDIR;
	m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	vfs_dentry_get(root);
	m->root = root;
	if (at) {
		vfs_dentry_get(at->dentry);
		m->mountpoint = at->dentry;
		m->parent = at->mnt;
		at->dentry->mounted = true;
	} else {
		m->mountpoint = root;
		root_mount = m;
	}
	list_add_tail(&m->link, &mounts);
	return 0;
}

struct mount *vfs_mount_on(struct mount *mnt, struct dentry *d)
{
	struct list_head *pos;
	struct mount *found = NULL;

	if (!d->mounted)
		return NULL;
	/* The last mount on a place hides the earlier ones. */
	list_for_each(pos, &mounts) {
		struct mount *m = list_entry(pos, struct mount, link);

		if (m->parent == mnt && m->mountpoint == d)
			found = m;
	}
	return found;
}

int vfs_mount_each(int (*fn)(const struct mount *m, void *arg), void *arg)
{
	struct list_head *pos;

	list_for_each(pos, &mounts) {
		int err = fn(list_entry(pos, struct mount, link), arg);

		if (err)
			return err;
	}
	return 0;
}

struct path vfs_root(void)
{
	if (!root_mount)
		return (struct path){ NULL, NULL };
	return (struct path){ root_mount, root_mount->root };
}

void vfs_path_get(const struct path *p)
{
	if (p->dentry)
		vfs_dentry_get(p->dentry);
}

void vfs_path_put(const struct path *p)
{
	if (p->dentry)
		vfs_dentry_put(p->dentry);
}
