/*
 * Files without a name: pipes, eventfds, timerfds, epoll instances. Each
 * has an inode on a pseudo file system of its kind (pipefs,
 * anon_inodefs) for fstat, and each open file gets a dentry of its own
 * outside any tree, so that every struct file has a path whose dentry
 * names its inode, as the rest of the VFS expects (the mount is NULL:
 * nothing can be looked up below it, and it has no path name).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/vfs.h>

struct inode *vfs_anon_inode(struct super_block *sb, uint32_t mode)
{
	struct inode *i = vfs_inode_new(sb, mode, cred_current_fs());

	if (i)
		i->nlink = 1;
	return i;
}

int vfs_file_anon_alloc(struct inode *i, uint32_t flags,
			const struct file_ops *ops, void *priv,
			struct file **out)
{
	struct dentry *d = vfs_dentry_new(NULL, "anon");
	struct path p = { NULL, d };
	int err;

	*out = NULL;
	if (!d)
		return -ENOMEM;
	vfs_inode_get(i);
	d->inode = i;
	err = vfs_file_alloc(&p, flags, out);
	vfs_dentry_put(d); /* the file holds it now */
	if (err)
		return err;
	(*out)->fops = ops;
	(*out)->priv = priv;
	return 0;
}
