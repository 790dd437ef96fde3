/*
 * The anonymous inodes of eventfd, timerfd and epoll files: one pseudo
 * file system (anon_inodefs), an inode per file, as Linux's
 * anon_inode_getfile with a private inode.
 */
#include <keel/errno.h>
#include <svc/vfs.h>
#include <uapi/mount.h>

#include "event_internal.h"

static struct super_block anon_inodefs = { .dev = 0x0d,
					   .fs_name = "anon_inodefs",
					   .magic = ANON_INODE_FS_MAGIC };

int event_anon_file(uint32_t flags, const struct file_ops *ops, void *priv,
		    struct file **out)
{
	struct inode *i;
	int err = -ENOMEM;

	*out = NULL;
	vfs_lock();
	i = vfs_anon_inode(&anon_inodefs, 0600);
	if (i) {
		err = vfs_file_anon_alloc(i, flags, ops, priv, out);
		vfs_inode_put(i);
	}
	vfs_unlock();
	return err;
}

int64_t event_noop_llseek(struct file *f, int64_t off, int whence)
{
	return (int64_t)f->pos;
}
