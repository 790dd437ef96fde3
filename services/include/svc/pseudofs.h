/*
 * Pseudo file systems (procfs, sysfs): trees of generated entries kept in
 * the VFS's dentry tree (services/fs/pseudofs/pseudofs.c). Each inode's
 * pnode names its kind (struct pentry) and the process and fd it
 * describes. Reading a file runs its generator through seq_read; a
 * symlink's target is computed when read; a dynamic directory brings its
 * entries in line with the present through the VFS's refresh hook before
 * every lookup and listing. A few files take writes (store: sysctls such
 * as /proc/sys/fs/file-max); nothing can be created or removed.
 */
#ifndef SVC_PSEUDOFS_H
#define SVC_PSEUDOFS_H

#include <keel/types.h>
#include <svc/seq.h>
#include <svc/vfs.h>

struct pentry;

/* inode->priv of every pseudo file system inode. */
struct pnode {
	const struct pentry *entry;
	int pid; /* the process it describes, 0 for machine-wide files */
	int fd;  /* fd/N and fdinfo/N */
};

/*
 * One kind of entry. A regular file has show (its whole text), a symlink
 * link (its target into buf, returning the length or -errno), a directory
 * either a static list of children (ended by a NULL name) or refresh,
 * which brings its entries in line with the present (pid directories,
 * fd/) before each lookup and listing.
 */
struct pentry {
	const char *name;
	uint32_t mode;
	int (*show)(struct seq *s, const struct pnode *n);
	ssize_t (*link)(char *buf, size_t size, const struct pnode *n);
	/* A magic link's path (inode_ops.get_path), a reference taken; NULL
	 * for an ordinary link. */
	int (*path)(const struct pnode *n, struct path *out);
	const struct pentry *children;
	int (*refresh)(struct dentry *dir, const struct pnode *n);
	/* A writable file (PE_RWFILE): takes what one write(2) wrote, NUL
	 * terminated (at most PFS_STORE_MAX bytes); 0 or -errno. */
	int (*store)(const char *text, const struct pnode *n);
	/* Nonzero: a write longer than this is cut to it and still counts
	 * whole (Linux's comm_write), where it is -EINVAL otherwise. */
	size_t store_cut;
	/* A dynamic directory's unlisted entries (inode_ops.lookup): makes
	 * the entry name (len bytes) under dir and marks it unlisted; 0 or
	 * -ENOENT. */
	int (*lookup)(struct dentry *dir, const struct pnode *n,
		      const char *name, size_t len);
};

#define PFS_STORE_MAX 64

#define PE_FILE(name_, fn_) \
	{ .name = (name_), .mode = S_IFREG | 0444, .show = (fn_) }
#define PE_RWFILE(name_, fn_, store_)                                \
	{ .name = (name_), .mode = S_IFREG | 0644, .show = (fn_),       \
	  .store = (store_) }
#define PE_RWFILE_CUT(name_, fn_, store_, cut_)                      \
	{ .name = (name_), .mode = S_IFREG | 0644, .show = (fn_),       \
	  .store = (store_), .store_cut = (cut_) }
#define PE_LINK(name_, fn_) \
	{ .name = (name_), .mode = S_IFLNK | 0777, .link = (fn_) }
#define PE_MAGIC_LINK(name_, fn_, path_)                                   \
	{ .name = (name_), .mode = S_IFLNK | 0777, .link = (fn_),          \
	  .path = (path_) }
#define PE_DIR(name_, kids_) \
	{ .name = (name_), .mode = S_IFDIR | 0555, .children = (kids_) }
#define PE_DYNDIR(name_, fn_) \
	{ .name = (name_), .mode = S_IFDIR | 0555, .refresh = (fn_) }
#define PE_END { .name = NULL } /* ends a table */

/* Makes the entry name for e under dir (and its static children), for
 * process pid and descriptor fd. 0 or -ENOMEM. Caller holds vfs_lock. */
int pfs_make(struct dentry *dir, const char *name, const struct pentry *e,
		int pid, int fd);
/* Takes d and everything below it out of the tree. */
void pfs_remove(struct dentry *d);
/* The entry called name under dir, or NULL. */
struct dentry *pfs_child(struct dentry *dir, const char *name);

/* For link functions: copies target (at most size bytes, no NUL) to buf
 * and returns the length copied. */
ssize_t pfs_link_text(char *buf, size_t size, const char *target);

/* A new instance: a root directory made from root (its children and
 * refresh), st_dev dev, type fs_name. NULL when memory runs out. */
struct dentry *pfs_new(const char *fs_name, uint32_t dev,
		       const struct pentry *root);

#endif
