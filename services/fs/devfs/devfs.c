/*
 * devfs: /dev as Linux's devtmpfs, a tmpfs instance filled at creation
 * with a node per character device of the table (devices.c) and the
 * links stdin, stdout, stderr -> /proc/self/fd/0..2 and fd -> /proc/self/fd
 * (which resolve once /proc exists, as on Linux), and the directories pts
 * and shm that devpts and a tmpfs are mounted on at boot.
 */
#include <keel/heap.h>
#include <svc/devices.h>
#include <svc/fs.h>
#include <svc/vfs.h>

static const char *const links[][2] = {
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "fd", "/proc/self/fd" },
};

struct dentry *devfs_new(void)
{
	struct dentry *root = tmpfs_new();

	if (!root)
		return NULL;
	root->inode->sb->fs_name = "devtmpfs";
	for (const struct chrdev *c = chrdevs; c->name; c++)
		if (vfs_make_node(root, c->name, S_IFCHR | c->perm, c->rdev,
				  NULL))
			goto fail;
	if (vfs_make_node(root, "pts", S_IFDIR | 0755, 0, NULL) ||
	    vfs_make_node(root, "shm", S_IFDIR | 01777, 0, NULL))
		goto fail;
	for (size_t k = 0; k < ARRAY_SIZE(links); k++)
		if (vfs_make_node(root, links[k][0], S_IFLNK | 0777, 0,
				  links[k][1]))
			goto fail;
	return root;
fail:
	vfs_dentry_put(root);
	return NULL;
}
