/*
 * Fills the root tmpfs from the boot cpio archive, as Linux's
 * init/initramfs.c: directories, regular files (hard links by inode
 * number: later names of an inode with nlink > 1 link to the first, and
 * whichever entry carries the data fills it), symlinks (the data is the
 * target) and device nodes, each with its mode, owner and mtime. A name
 * that already exists is replaced, except that a directory stays (and
 * takes the new attributes). A malformed archive stops the unpacking with
 * a message; what came before stays, and the kernel goes on.
 */
#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <svc/cpio.h>
#include <svc/devices.h>
#include <svc/initramfs.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

/* Inodes seen with nlink > 1, for the later names of each. */
struct hardlink {
	uint32_t ino, dev_major, dev_minor;
	struct inode *inode;
};

#define HARDLINKS_FIRST 64 /* the table's first size; it doubles as needed */

struct unpack {
	struct path root;
	struct hardlink *links; /* kmalloc'd, cap entries */
	size_t nlinks, cap;
};

static struct inode *find_hardlink(struct unpack *u,
				   const struct cpio_entry *e)
{
	for (size_t k = 0; k < u->nlinks; k++)
		if (u->links[k].ino == e->ino &&
		    u->links[k].dev_major == e->dev_major &&
		    u->links[k].dev_minor == e->dev_minor)
			return u->links[k].inode;
	return NULL;
}

/* Notes inode as the one later names of e's inode number link to; the
 * table doubles when full (Linux hashes every one too). -ENOMEM. */
static int remember_hardlink(struct unpack *u, const struct cpio_entry *e,
			     struct inode *inode)
{
	if (u->nlinks == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : HARDLINKS_FIRST;
		struct hardlink *links = kcalloc(cap, sizeof(*links));

		if (!links)
			return -ENOMEM;
		if (u->nlinks)
			memcpy(links, u->links, u->nlinks * sizeof(*links));
		kfree(u->links);
		u->links = links;
		u->cap = cap;
	}
	u->links[u->nlinks++] = (struct hardlink){
		e->ino, e->dev_major, e->dev_minor, inode
	};
	return 0;
}

static void set_attrs(struct inode *i, const struct cpio_entry *e)
{
	i->mode = (i->mode & S_IFMT) | (e->mode & 07777);
	i->uid = e->uid;
	i->gid = e->gid;
	i->mtime = (struct vfs_time){ e->mtime, 0 };
}

/* Writes the entry's data into the regular file d. */
static int fill(const struct path *p, const struct cpio_entry *e)
{
	struct file *f = vfs_file_new(p, O_WRONLY);
	uint64_t pos = 0;
	ssize_t n = 0;

	if (!f)
		return -ENOMEM;
	if (e->size && f->fops->kwrite)
		n = f->fops->kwrite(f, e->data, e->size, &pos);
	vfs_file_put(f);
	if (n < 0)
		return (int)n;
	return (size_t)n == e->size ? 0 : -ENOSPC;
}

/* Makes the node of one entry at name in parent. */
static int make_entry(struct unpack *u, const struct path *parent,
		      const char *name, const struct cpio_entry *e)
{
	uint32_t type = e->mode & CPIO_MODE_TYPE;
	struct inode *linked = type != S_IFDIR && e->nlink > 1
				       ? find_hardlink(u, e)
				       : NULL;
	struct dentry *d;
	struct path p;
	char *target;
	int err;

	if (linked) {
		d = vfs_dentry_new(parent->dentry, name);
		if (!d)
			return -ENOMEM;
		d->inode = linked;
		vfs_inode_get(linked);
		linked->nlink++;
		vfs_dentry_attach(d);
		vfs_dentry_put(d);
	} else if (type == S_IFLNK) {
		if (!e->size || e->size >= VFS_PATH_MAX)
			return -ENAMETOOLONG;
		target = kmalloc(e->size + 1);
		if (!target)
			return -ENOMEM;
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		err = vfs_make_node(parent->dentry, name, S_IFLNK | 0777, 0,
				    target);
		kfree(target);
		if (err)
			return err;
	} else {
		if (type != S_IFREG && type != S_IFDIR && type != S_IFCHR &&
		    type != S_IFBLK && type != S_IFIFO && type != S_IFSOCK)
			return -EINVAL;
		err = vfs_make_node(parent->dentry, name, e->mode, 
				    DEV_MKDEV(e->rdev_major, e->rdev_minor),
				    NULL);
		if (err)
			return err;
	}
	d = vfs_dentry_child(parent->dentry, name, kstrlen(name));
	set_attrs(d->inode, e);
	if (!linked && type == S_IFREG && e->nlink > 1) {
		err = remember_hardlink(u, e, d->inode);
		if (err)
			return err;
	}
	if (type != S_IFREG || !e->size)
		return 0;
	p = (struct path){ parent->mnt, d };
	err = fill(&p, e);
	/* Writing the data made mtime now: the archive's time is the file's,
	 * as Linux's unpacking ends a file with vfs_utimes. */
	d->inode->mtime = (struct vfs_time){ e->mtime, 0 };
	return err;
}

/* Unpacks one entry (name already stripped of "./" and "/"). */
static int unpack_entry(struct unpack *u, const char *name,
			const struct cpio_entry *e)
{
	char last[VFS_NAME_MAX + 1];
	struct path parent;
	struct dentry *old;
	bool slash;
	int err;

	if (!*name || !kstrcmp(name, ".")) {
		set_attrs(u->root.dentry->inode, e);
		return 0;
	}
	err = vfs_lookup_parent(&u->root, name, &parent, last, &slash);
	if (err)
		return err;
	old = vfs_dentry_child(parent.dentry, last, kstrlen(last));
	if (old && vfs_is_dir(old->inode) &&
	    (e->mode & CPIO_MODE_TYPE) == S_IFDIR) {
		set_attrs(old->inode, e);
		err = 0;
	} else {
		if (old)
			err = vfs_unlink(&parent, last,
					 vfs_is_dir(old->inode),
					 &VFS_ROOT_CRED);
		if (!err)
			err = make_entry(u, &parent, last, e);
	}
	vfs_path_put(&parent);
	return err;
}

static const char *strip(const char *name)
{
	for (;;) {
		if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '/')
			name++;
		else
			return name;
	}
}

int initramfs_unpack(const void *archive, size_t size)
{
	struct unpack *u = kzalloc(sizeof(*u));
	struct cpio_iter it;
	struct cpio_entry e;
	unsigned count = 0;
	int err;

	if (!u)
		return -ENOMEM;
	u->root = vfs_root();
	cpio_iter_init(&it, archive, size);
	while (!(err = cpio_next(&it, &e))) {
		int one = unpack_entry(u, strip(e.name), &e);

		if (one)
			pr_warn("initramfs: %s not unpacked (error %d)\n",
				e.name, one);
		else
			count++;
	}
	kfree(u->links);
	kfree(u);
	if (err == -EINVAL) {
		pr_err("initramfs: the archive is malformed after %u "
		       "entries (not cpio newc, or truncated); the rest "
		       "is not unpacked\n", count);
		return -EINVAL;
	}
	return 0;
}
