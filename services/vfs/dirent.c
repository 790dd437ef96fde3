/*
 * getdents64: a directory's entries as struct linux_dirent64 records
 * (linux/dirent.h, not part of Linux's UAPI headers, hence written here).
 * The position is 0 for ".", 1 for "..", then the cookie of the last entry
 * returned: entries carry ever-growing cookies in list order, so entries
 * added or removed between calls never make a reader skip or repeat the
 * others.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

struct linux_dirent64_head {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
} __attribute__((packed));

#define DIRENT_NAME_OFF 19 /* offsetof(struct linux_dirent64, d_name) */

struct dirent_buf {
	uptr_t buf;
	size_t len, used;
	int err;
};

/* Copies one record; false when it does not fit (or faulted). */
static bool emit(struct dirent_buf *b, uint64_t ino, uint64_t next,
		 uint32_t mode, const char *name)
{
	size_t name_len = kstrlen(name);
	size_t reclen = (DIRENT_NAME_OFF + name_len + 1 + 7) & ~(size_t)7;
	char rec[DIRENT_NAME_OFF + VFS_NAME_MAX + 1 + 8];
	struct linux_dirent64_head h = { ino, (int64_t)next, (uint16_t)reclen,
					 (uint8_t)((mode >> 12) & 15) };

	if (b->used + reclen > b->len) {
		if (!b->used)
			b->err = -EINVAL;
		return false;
	}
	memset(rec, 0, reclen);
	memcpy(rec, &h, sizeof(h));
	memcpy(rec + DIRENT_NAME_OFF, name, name_len);
	if (copy_to_user(uptr_add(b->buf, b->used), rec, reclen)) {
		b->err = -EFAULT;
		return false;
	}
	b->used += reclen;
	return true;
}

/* The inode ".." of f's directory names (across a mount point). */
static const struct inode *dotdot(const struct file *f)
{
	struct path p = f->path;

	while (p.dentry == p.mnt->root && p.mnt->parent)
		p = (struct path){ p.mnt->parent, p.mnt->mountpoint };
	return p.dentry->parent->inode;
}

ssize_t vfs_getdents64(struct file *f, uptr_t buf, size_t len)
{
	struct dirent_buf b = { buf, len, 0, 0 };
	struct dentry *dir = f->path.dentry;
	struct list_head *pos;
	int err;

	if (f->flags & O_PATH)
		return -EBADF;
	if (!vfs_is_dir(f->inode))
		return -ENOTDIR;
	if (!dir->attached && dir->parent != dir)
		return -ENOENT; /* removed (Linux's IS_DEADDIR) */
	err = vfs_dentry_refresh(dir);
	if (err)
		return err;
	if (f->pos == 0) {
		if (!emit(&b, f->inode->ino, 1, S_IFDIR, "."))
			goto out;
		f->pos = 1;
	}
	if (f->pos == 1) {
		if (!emit(&b, dotdot(f)->ino, 2, S_IFDIR, ".."))
			goto out;
		f->pos = 2;
	}
	list_for_each(pos, &dir->children) {
		struct dentry *c = list_entry(pos, struct dentry, sibling);

		if (c->cookie <= f->pos || c->unlisted)
			continue;
		if (!emit(&b, c->inode->ino, c->cookie, c->inode->mode,
			  c->name))
			break;
		f->pos = c->cookie;
	}
out:
	if (b.used)
		return (ssize_t)b.used;
	return b.err;
}
