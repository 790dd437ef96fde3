/*
 * The life of inodes and dentries (see <svc/vfs.h>), the VFS lock and the
 * file time stamps. An inode is freed when its last reference goes and no
 * name links to it any more (an unlinked file stays while open); a dentry
 * when it has left the tree and its last user is gone.
 */
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>
#include <svc/vfs.h>

const struct vfs_cred VFS_ROOT_CRED = { 0, 0, NULL };

static struct mutex vfs_mutex;
static bool vfs_mutex_ready;

/* Before the scheduler runs (no current task: early boot, unit tests)
 * there is one flow of control and nothing to exclude; a mutex cannot be
 * slept on then, so the lock is skipped, in vfs_unlock alike. */
void vfs_lock(void)
{
	if (!task_current())
		return;
	/* The first caller is boot (one task): no race on the flag. */
	if (!vfs_mutex_ready) {
		mutex_init(&vfs_mutex, "vfs");
		vfs_mutex_ready = true;
	}
	mutex_lock(&vfs_mutex);
}

void vfs_unlock(void)
{
	if (task_current())
		mutex_unlock(&vfs_mutex);
}

struct vfs_time vfs_now(void)
{
	uint64_t ns = time_realtime_ns();

	return (struct vfs_time){ (int64_t)(ns / 1000000000u),
				  (uint32_t)(ns % 1000000000u) };
}

struct inode *vfs_inode_new(struct super_block *sb, uint32_t mode,
			    const struct vfs_cred *cred)
{
	struct inode *i = kzalloc(sizeof(*i));

	if (!i)
		return NULL;
	i->ino = ++sb->next_ino;
	i->mode = mode;
	i->uid = cred->uid;
	i->gid = cred->gid;
	i->refs = 1;
	i->sb = sb;
	i->atime = i->mtime = i->ctime = vfs_now();
	return i;
}

void vfs_inode_get(struct inode *i)
{
	i->refs++;
}

void vfs_inode_put(struct inode *i)
{
	if (!i || --i->refs)
		return;
	/* No one uses it. Names hold references too, so nlink is 0 unless
	 * a file system root goes away. */
	if (i->iops && i->iops->destroy)
		i->iops->destroy(i);
	kfree(i);
}

struct dentry *vfs_dentry_new(struct dentry *parent, const char *name)
{
	struct dentry *d = kzalloc(sizeof(*d));

	if (!d)
		return NULL;
	kstrlcpy(d->name, name, sizeof(d->name));
	d->parent = parent ? parent : d;
	if (parent)
		vfs_dentry_get(parent);
	list_init(&d->children);
	list_init(&d->sibling);
	d->refs = 1;
	return d;
}

/* Every attach gets a larger cookie, so that a getdents64 position stays
 * valid while entries come and go. */
static uint64_t next_cookie = 2; /* 0 and 1: "." and ".." */

void vfs_dentry_attach(struct dentry *d)
{
	d->cookie = ++next_cookie;
	list_add_tail(&d->sibling, &d->parent->children);
	d->attached = true;
	d->refs++; /* the tree's reference */
}

void vfs_dentry_detach(struct dentry *d)
{
	if (!d->attached)
		return;
	list_del(&d->sibling);
	list_init(&d->sibling);
	d->attached = false;
	vfs_dentry_put(d);
}

void vfs_dentry_get(struct dentry *d)
{
	d->refs++;
}

void vfs_dentry_put(struct dentry *d)
{
	while (d && --d->refs == 0) {
		struct dentry *parent = d->parent == d ? NULL : d->parent;

		vfs_inode_put(d->inode);
		kfree(d);
		d = parent;
	}
}

int vfs_dentry_refresh(struct dentry *d)
{
	const struct inode_ops *ops = d->inode ? d->inode->iops : NULL;

	return ops && ops->refresh ? ops->refresh(d) : 0;
}

struct dentry *vfs_dentry_lookup(struct dentry *d, const char *name,
				 size_t len)
{
	const struct inode_ops *ops = d->inode ? d->inode->iops : NULL;
	struct dentry *c = vfs_dentry_child(d, name, len);

	if (c || !ops || !ops->lookup || ops->lookup(d, name, len))
		return c;
	return vfs_dentry_child(d, name, len);
}

struct dentry *vfs_dentry_child(struct dentry *d, const char *name,
				size_t len)
{
	struct list_head *pos;

	list_for_each(pos, &d->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);

		if (kstrlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	}
	return NULL;
}
