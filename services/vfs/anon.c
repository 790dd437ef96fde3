/*
 * Files without a name: pipes, eventfds, timerfds, epoll instances. Each
 * has an inode on a pseudo file system of its kind (pipefs,
 * anon_inodefs) for fstat, and each open file gets a dentry of its own
 * outside any tree, so that every struct file has a path whose dentry
 * names its inode, as the rest of the VFS expects (the mount is NULL:
 * nothing can be looked up below it, and it has no path name).
 */
#include <keel/heap.h>
#include <svc/vfs.h>

struct inode *vfs_anon_inode(struct super_block *sb, uint32_t mode)
{
	struct inode *i = vfs_inode_new(sb, mode, cred_current_fs());

	if (i)
		i->nlink = 1;
	return i;
}

struct file *vfs_file_anon(struct inode *i, uint32_t flags,
			   const struct file_ops *ops, void *priv)
{
	struct dentry *d = vfs_dentry_new(NULL, "anon");
	struct path p = { NULL, d };
	struct file *f;

	if (!d)
		return NULL;
	vfs_inode_get(i);
	d->inode = i;
	f = vfs_file_new(&p, flags);
	vfs_dentry_put(d); /* the file holds it now */
	if (!f)
		return NULL;
	f->fops = ops;
	f->priv = priv;
	return f;
}
