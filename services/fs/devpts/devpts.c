/*
 * devpts (<svc/devpts.h>): one instance, made at first use, whose root
 * holds "ptmx" and a node per live pty. Nothing else can be made in it:
 * its directory has no inode_ops, so mknod, creat and mkdir fail as
 * Linux's devpts does. Its superblock counts one mount of its own, so no
 * umount ever frees the tree that the ptys' nodes are in.
 */
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <svc/devices.h>
#include <svc/devpts.h>
#include <svc/fs.h>
#include <svc/vfs.h>
#include <uapi/mount.h>

#define DEVPTS_DEV 0x32 /* st_dev: one instance */
#define PTS_MODE 0600   /* Linux's DEVPTS_DEFAULT_MODE */

static struct dentry *devpts_root;

/* A node name under the root: its inode (mode, rdev, owner cred) on the
 * instance's superblock; its dentry (a reference) or NULL. */
static struct dentry *make_node(const char *name, uint32_t mode,
				uint32_t rdev, const struct vfs_cred *cred)
{
	struct dentry *d;

	if (vfs_dentry_child(devpts_root, name, kstrlen(name)))
		return NULL;
	d = vfs_dentry_new(devpts_root, name);
	if (!d)
		return NULL;
	d->inode = vfs_inode_new(devpts_root->inode->sb, mode, cred);
	if (!d->inode) {
		vfs_dentry_put(d);
		return NULL;
	}
	d->inode->rdev = rdev;
	d->inode->nlink = 1;
	vfs_dentry_attach(d);
	return d;
}

/* Makes the instance: its root (mode 0755) and ptmx. */
static struct dentry *make_instance(void)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct dentry *root, *ptmx;

	if (!sb)
		return NULL;
	sb->dev = DEVPTS_DEV;
	sb->fs_name = "devpts";
	sb->magic = DEVPTS_SUPER_MAGIC;
	root = vfs_dentry_new(NULL, "/");
	if (root)
		root->inode = vfs_inode_new(sb, S_IFDIR | 0755, &VFS_ROOT_CRED);
	if (!root || !root->inode) {
		vfs_dentry_put(root);
		kfree(sb);
		return NULL;
	}
	root->inode->nlink = 2;
	/* Its own mount: the tree outlives every umount (file comment). */
	sb->mounts = 1;
	sb->root = root;
	devpts_root = root;
	ptmx = make_node("ptmx", S_IFCHR, DEV_MKDEV(5, 2), &VFS_ROOT_CRED);
	vfs_dentry_put(ptmx); /* the tree keeps it */
	return root;
}

struct dentry *devpts_new(void)
{
	if (!devpts_root && !make_instance())
		return NULL;
	vfs_dentry_get(devpts_root);
	return devpts_root;
}

struct dentry *devpts_pty_new(unsigned index, const struct vfs_cred *cred)
{
	char name[12];

	if (index >= PTY_MAX || (!devpts_root && !make_instance()))
		return NULL;
	ksnprintf(name, sizeof(name), "%u", index);
	return make_node(name, S_IFCHR | PTS_MODE,
			 DEV_MKDEV(PTY_SLAVE_MAJOR, index), cred);
}

void devpts_pty_kill(struct dentry *d)
{
	if (!d)
		return;
	d->inode->nlink = 0;
	vfs_dentry_detach(d);
	vfs_dentry_put(d);
}

bool devpts_owns(const struct inode *i)
{
	return devpts_root && i->sb == devpts_root->inode->sb;
}
