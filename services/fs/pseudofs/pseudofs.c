/*
 * The pseudo file systems' machinery (<svc/pseudofs.h>): inodes made from
 * entry tables, their inode and file operations (generated reads,
 * computed link targets, refreshed directories), and removal of whole
 * subtrees when a dynamic directory's entry goes away.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/pseudofs.h>

static const struct inode_ops pfs_iops;
static const struct file_ops pfs_fops;

static const struct pnode *pnode_of(const struct inode *i)
{
	return i->priv;
}

static int show_node(struct seq *s, void *arg)
{
	const struct pnode *n = arg;

	return n->entry->show(s, n);
}

static ssize_t pfs_read(struct file *f, uptr_t buf, size_t len,
			   uint64_t *pos)
{
	return seq_read(show_node, f->inode->priv, buf, len, pos);
}

/* A write to a writable entry hands its text to the entry's store, as
 * Linux's proc_sysctl writes: one write is one value; a longer one than
 * the entry takes is -EINVAL, or cut where the entry says so. */
static ssize_t pfs_write(struct file *f, uptr_t buf, size_t len,
			 uint64_t *pos)
{
	const struct pnode *n = f->inode->priv;
	char text[PFS_STORE_MAX + 1];
	size_t take = len;
	int err;

	if (!n->entry->store)
		return -EINVAL;
	if (n->entry->store_cut && take > n->entry->store_cut)
		take = n->entry->store_cut;
	if (take > PFS_STORE_MAX)
		return -EINVAL;
	if (copy_from_user(text, buf, take))
		return -EFAULT;
	text[take] = '\0';
	err = n->entry->store(text, n);
	return err ? err : (ssize_t)len;
}

static ssize_t pfs_readlink(struct inode *i, char *buf, size_t size)
{
	const struct pnode *n = pnode_of(i);

	return n->entry->link ? n->entry->link(buf, size, n) : -EINVAL;
}

static int pfs_get_path(struct inode *i, struct path *out)
{
	const struct pnode *n = pnode_of(i);

	return n->entry->path ? n->entry->path(n, out) : -EINVAL;
}

static int pfs_refresh(struct dentry *dir)
{
	const struct pnode *n = pnode_of(dir->inode);

	return n->entry->refresh ? n->entry->refresh(dir, n) : 0;
}

static int pfs_lookup(struct dentry *dir, const char *name, size_t len)
{
	const struct pnode *n = pnode_of(dir->inode);

	return n->entry->lookup ? n->entry->lookup(dir, n, name, len)
				: -ENOENT;
}

static void pfs_destroy(struct inode *i)
{
	kfree(i->priv);
}

static const struct inode_ops pfs_iops = {
	.readlink = pfs_readlink,
	.get_path = pfs_get_path,
	.refresh = pfs_refresh,
	.lookup = pfs_lookup,
	.destroy = pfs_destroy,
};

static const struct file_ops pfs_fops = {
	.read = pfs_read,
	.write = pfs_write,
};

/* A new inode for e on sb, described by a fresh pnode. */
static struct inode *make_inode(struct super_block *sb, const struct pentry *e,
				int pid, int fd)
{
	struct pnode *n = kzalloc(sizeof(*n));
	struct inode *i;

	if (!n)
		return NULL;
	i = vfs_inode_new(sb, e->mode, &VFS_ROOT_CRED);
	if (!i) {
		kfree(n);
		return NULL;
	}
	n->entry = e;
	n->pid = pid;
	n->fd = fd;
	i->priv = n;
	i->iops = &pfs_iops;
	if ((e->mode & S_IFMT) == S_IFREG)
		i->fops = &pfs_fops;
	if ((e->mode & S_IFMT) == S_IFDIR)
		i->nlink = 2;
	return i;
}

static int make_children(struct dentry *d, const struct pentry *kids, int pid,
			 int fd)
{
	for (const struct pentry *k = kids; k && k->name; k++) {
		int err = pfs_make(d, k->name, k, pid, fd);

		if (err)
			return err;
	}
	return 0;
}

int pfs_make(struct dentry *dir, const char *name, const struct pentry *e,
		int pid, int fd)
{
	struct dentry *d = vfs_dentry_new(dir, name);
	int err;

	if (!d)
		return -ENOMEM;
	d->inode = make_inode(dir->inode->sb, e, pid, fd);
	if (!d->inode) {
		vfs_dentry_put(d);
		return -ENOMEM;
	}
	vfs_dentry_attach(d);
	err = make_children(d, e->children, pid, fd);
	if (err)
		pfs_remove(d);
	vfs_dentry_put(d); /* the tree keeps it */
	return err;
}

void pfs_remove(struct dentry *d)
{
	while (!list_empty(&d->children))
		pfs_remove(list_entry(d->children.next, struct dentry,
					 sibling));
	vfs_dentry_detach(d);
}

ssize_t pfs_link_text(char *buf, size_t size, const char *target)
{
	size_t n = MIN(size, kstrlen(target));

	memcpy(buf, target, n);
	return (ssize_t)n;
}

struct dentry *pfs_child(struct dentry *dir, const char *name)
{
	return vfs_dentry_child(dir, name, kstrlen(name));
}

struct dentry *pfs_new(const char *fs_name, uint32_t dev,
		       const struct pentry *root_entry)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct dentry *root;

	if (!sb)
		return NULL;
	sb->dev = dev;
	sb->fs_name = fs_name;
	root = vfs_dentry_new(NULL, "/");
	if (!root) {
		kfree(sb);
		return NULL;
	}
	root->inode = make_inode(sb, root_entry, 0, 0);
	/* Out of memory at boot: what was made stays (boot fails anyway). */
	if (!root->inode ||
	    make_children(root, root_entry->children, 0, 0)) {
		vfs_dentry_put(root);
		return NULL;
	}
	return root;
}
