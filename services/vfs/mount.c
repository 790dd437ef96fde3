/*
 * The mount list: which file system's root sits on which directory. The
 * root mount has no parent and is its own mount point. A walk that enters
 * a dentry with `mounted` set asks vfs_mount_on for the mount to cross
 * into; `..` at a mount's root climbs back to its mount point (namei.c).
 *
 * Every path (mount, dentry) held counts on its mount (vfs_path_get), so
 * umount2 can say -EBUSY while a file, a cwd or a root is inside, and a
 * detached mount (MNT_DETACH) lives until its last path goes. A file
 * system's superblock counts its mounts (binds included); the last
 * umount frees its whole dentry tree, as Linux's kill_litter_super.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/vfs.h>
#include <uapi/mount.h>

static struct list_head mounts = LIST_HEAD_INIT(mounts);
static struct mount *root_mount;
static int next_mount_id = 20; /* Linux's first ids go to its own mounts */

int vfs_mount_flags(struct dentry *root, const struct path *at,
		    unsigned long flags, const char *source,
		    struct mount **out)
{
	struct super_block *sb = root->inode->sb;
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
	m->flags = flags;
	m->id = next_mount_id++;
	kstrlcpy(m->source, source ? source : sb->fs_name, sizeof(m->source));
	if (!sb->mounts++) {
		sb->root = root; /* the superblock's own reference */
		vfs_dentry_get(root);
	}
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
	if (out)
		*out = m;
	return 0;
}

int vfs_mount(struct dentry *root, const struct path *at)
{
	return vfs_mount_flags(root, at, MS_RELATIME, NULL, NULL);
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

/* Detaches and frees every entry below d, deepest first: the file system
 * is going and no path is left inside it. */
static void free_tree(struct dentry *d)
{
	while (!list_empty(&d->children)) {
		struct dentry *c =
			list_entry(d->children.next, struct dentry, sibling);

		free_tree(c);
		vfs_dentry_detach(c);
	}
}

/* The mount m leaves its file system: the last one frees the tree. */
static void drop_sb(struct mount *m)
{
	struct super_block *sb = m->root->inode->sb;
	struct dentry *root = sb->root;

	vfs_dentry_put(m->root);
	if (--sb->mounts)
		return;
	free_tree(root);
	vfs_dentry_put(root); /* frees it and its inode */
	kfree(sb);
}

static void free_mount(struct mount *m)
{
	drop_sb(m);
	vfs_dentry_put(m->mountpoint);
	kfree(m);
}

/* Whether some mount (other than m) still sits on m's mount point. */
static bool place_still_mounted(const struct mount *m)
{
	struct list_head *pos;

	list_for_each(pos, &mounts) {
		struct mount *o = list_entry(pos, struct mount, link);

		if (o != m && o->mountpoint == m->mountpoint && o->parent)
			return true;
	}
	return false;
}

static bool has_children(const struct mount *m)
{
	struct list_head *pos;

	list_for_each(pos, &mounts)
		if (list_entry(pos, struct mount, link)->parent == m)
			return true;
	return false;
}

int vfs_umount(struct mount *m, bool detach, unsigned held)
{
	if (!m->parent || m->detached)
		return -EINVAL;
	if (has_children(m) || (!detach && m->refs > held))
		return -EBUSY;
	list_del(&m->link);
	m->detached = true;
	if (!place_still_mounted(m))
		m->mountpoint->mounted = false;
	if (m->refs == 0)
		free_mount(m);
	return 0;
}

bool vfs_path_readonly(const struct path *p)
{
	return p->mnt && (p->mnt->flags & MS_RDONLY);
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
	if (p->mnt)
		p->mnt->refs++;
}

void vfs_path_put(const struct path *p)
{
	struct mount *m = p->mnt;

	if (p->dentry)
		vfs_dentry_put(p->dentry);
	if (m && !--m->refs && m->detached)
		free_mount(m);
}
