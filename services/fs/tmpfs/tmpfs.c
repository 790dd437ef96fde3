/*
 * tmpfs: a file system in memory. Directories are the VFS's dentry tree
 * (<svc/vfs.h>); a regular file's bytes live in the core's page handles
 * (tmpfs_pages.h), absent pages are holes that read as zeros, so a sparse
 * file costs only the pages written. A symlink keeps its target string.
 *
 * Reads and writes go through a one-page kernel buffer with the short-count
 * uaccess calls, so a user buffer that runs into an unmapped page gives
 * the bytes before it (or -EFAULT when there are none), as Linux.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/fs.h>
#include <svc/vfs.h>
#include <uapi/mount.h>
#include <uapi/fs.h>

#include "tmpfs_pages.h"

/* The largest tmpfs file (Linux's MAX_LFS_FILESIZE on 64 bits). */
#define TMPFS_MAX_SIZE ((uint64_t)INT64_MAX)

struct tmpfs_inode {
	struct tmpfs_pages pages;
	char *target; /* symlinks */
};

static struct tmpfs_inode *tmpfs_i(const struct inode *i)
{
	return i->priv;
}

static const struct inode_ops tmpfs_iops;
static const struct file_ops tmpfs_file_ops;

static uint32_t next_dev = 0x10; /* st_dev of each new instance */

static void count_blocks(struct inode *i)
{
	i->blocks = tmpfs_i(i)->pages.n * (PAGE_SIZE / 512);
}

/* Copies up to len bytes of file data at *pos to the user. */
static ssize_t tmpfs_read(struct file *f, uptr_t buf, size_t len,
			  uint64_t *pos)
{
	struct inode *i = f->inode;
	size_t done = 0;
	char *bounce;

	if (*pos >= i->size || !len)
		return 0;
	len = MIN(len, i->size - *pos);
	bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	while (done < len) {
		uint64_t off = *pos + done;
		size_t in_page = off % PAGE_SIZE;
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		struct vm_page *pg = tmpfs_page_find(&tmpfs_i(i)->pages,
						     off / PAGE_SIZE);
		ssize_t got;

		if (pg)
			vm_page_read(pg, in_page, bounce, n);
		else
			memset(bounce, 0, n);
		got = copy_to_user_partial(uptr_add(buf, done), bounce, n);
		if (got < 0) {
			if (!done)
				done = (size_t)got;
			break;
		}
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	kfree(bounce);
	if ((ssize_t)done > 0) {
		*pos += done;
		i->atime = vfs_now();
	}
	return (ssize_t)done;
}

/* Copies up to len bytes into the file at *pos, growing it: from kbuf
 * when it is not NULL, else from the user's buf. */
static ssize_t write_from(struct file *f, const char *kbuf, uptr_t buf,
			  size_t len, uint64_t *pos)
{
	struct inode *i = f->inode;
	size_t done = 0;
	ssize_t err = 0;
	char *bounce;

	if (*pos >= TMPFS_MAX_SIZE)
		return -EFBIG;
	len = MIN(len, TMPFS_MAX_SIZE - *pos);
	bounce = kmalloc(PAGE_SIZE);
	if (!bounce)
		return -ENOMEM;
	while (done < len) {
		uint64_t off = *pos + done;
		size_t in_page = off % PAGE_SIZE;
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		struct vm_page *pg;
		ssize_t got;

		if (kbuf) {
			memcpy(bounce, kbuf + done, n);
			got = (ssize_t)n;
		} else {
			got = copy_from_user_partial(bounce,
						     uptr_add(buf, done), n);
		}
		if (got < 0) {
			err = got;
			break;
		}
		pg = tmpfs_page_make(&tmpfs_i(i)->pages, off / PAGE_SIZE);
		if (!pg) {
			err = -ENOMEM;
			break;
		}
		vm_page_write(pg, in_page, bounce, (size_t)got);
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	kfree(bounce);
	if (!done)
		return err;
	*pos += done;
	if (*pos > i->size)
		i->size = *pos;
	count_blocks(i);
	i->mtime = i->ctime = vfs_now();
	return (ssize_t)done;
}

static ssize_t tmpfs_write(struct file *f, uptr_t buf, size_t len,
			   uint64_t *pos)
{
	return write_from(f, NULL, buf, len, pos);
}

static ssize_t tmpfs_kwrite(struct file *f, const void *buf, size_t len,
			    uint64_t *pos)
{
	return write_from(f, buf, uptr(0), len, pos);
}

/* Copies up to len bytes from *pos into kernel memory (holes read as
 * zeros); returns the count, 0 at or past the end. */
static ssize_t tmpfs_kread(struct file *f, void *buf, size_t len,
			   uint64_t *pos)
{
	struct inode *i = f->inode;
	char *out = buf;
	size_t done = 0;

	if (*pos >= i->size)
		return 0;
	len = MIN(len, i->size - *pos);
	while (done < len) {
		uint64_t off = *pos + done;
		size_t in_page = off % PAGE_SIZE;
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		struct vm_page *pg = tmpfs_page_find(&tmpfs_i(i)->pages,
						     off / PAGE_SIZE);

		if (pg)
			vm_page_read(pg, in_page, out + done, n);
		else
			memset(out + done, 0, n);
		done += n;
	}
	*pos += done;
	return (ssize_t)done;
}

/* SEEK_DATA / SEEK_HOLE at page granularity; the end of the file is a
 * hole. -ENXIO at or past the end, or when no data follows. */
static int64_t tmpfs_seek_data(struct file *f, uint64_t off, int whence)
{
	struct inode *i = f->inode;
	uint64_t page, at;

	if (off >= i->size)
		return -ENXIO;
	page = tmpfs_pages_next(&tmpfs_i(i)->pages, off / PAGE_SIZE,
				whence == SEEK_DATA);
	if (page == UINT64_MAX)
		return whence == SEEK_DATA ? -ENXIO : (int64_t)i->size;
	at = MAX(off, page * PAGE_SIZE);
	if (at >= i->size)
		return whence == SEEK_DATA ? -ENXIO : (int64_t)i->size;
	return (int64_t)at;
}

/* A new inode of this instance; regular files get tmpfs data. */
static struct inode *tmpfs_inode(struct super_block *sb, uint32_t mode,
				 uint32_t rdev, const struct vfs_cred *cred)
{
	struct inode *i = vfs_inode_new(sb, mode, cred);

	if (!i)
		return NULL;
	i->priv = kzalloc(sizeof(struct tmpfs_inode));
	if (!i->priv) {
		kfree(i);
		return NULL;
	}
	i->nlink = vfs_is_dir(i) ? 2 : 1;
	i->rdev = rdev;
	i->iops = &tmpfs_iops;
	i->fops = &tmpfs_file_ops;
	return i;
}

static int tmpfs_create(struct inode *dir, struct dentry *d, uint32_t mode,
			uint32_t rdev, const struct vfs_cred *cred)
{
	struct inode *i = tmpfs_inode(dir->sb, mode, rdev, cred);

	if (!i)
		return -ENOMEM;
	d->inode = i;
	return 0;
}

static int tmpfs_symlink(struct inode *dir, struct dentry *d,
			 const char *target, const struct vfs_cred *cred)
{
	struct inode *i = tmpfs_inode(dir->sb, S_IFLNK | 0777, 0, cred);

	if (!i)
		return -ENOMEM;
	tmpfs_i(i)->target = kstrdup(target);
	if (!tmpfs_i(i)->target) {
		vfs_inode_put(i);
		return -ENOMEM;
	}
	i->size = kstrlen(target);
	d->inode = i;
	return 0;
}

static ssize_t tmpfs_readlink(struct inode *i, char *buf, size_t size)
{
	size_t n = MIN(size, (size_t)i->size);

	memcpy(buf, tmpfs_i(i)->target, n);
	return (ssize_t)n;
}

static int tmpfs_truncate(struct inode *i, uint64_t size)
{
	struct tmpfs_inode *t = tmpfs_i(i);
	uint64_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct vm_page *last;

	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	tmpfs_pages_cut(&t->pages, keep);
	/* The tail of the last kept page must read as zeros if the file
	 * grows again. */
	last = size % PAGE_SIZE ? tmpfs_page_find(&t->pages, size / PAGE_SIZE)
				: NULL;
	if (last) {
		static const char zeros[256];
		size_t off = size % PAGE_SIZE;

		while (off < PAGE_SIZE) {
			size_t n = MIN(sizeof(zeros), PAGE_SIZE - off);

			vm_page_write(last, off, zeros, n);
			off += n;
		}
	}
	i->size = size;
	count_blocks(i);
	return 0;
}

static void tmpfs_destroy(struct inode *i)
{
	struct tmpfs_inode *t = tmpfs_i(i);

	tmpfs_pages_cut(&t->pages, 0);
	kfree(t->target);
	kfree(t);
}

static const struct inode_ops tmpfs_iops = {
	.create = tmpfs_create,
	.symlink = tmpfs_symlink,
	.readlink = tmpfs_readlink,
	.truncate = tmpfs_truncate,
	.destroy = tmpfs_destroy,
};

/* Memory is where the data stays: nothing to write back. */
static int tmpfs_fsync(struct file *f, bool datasync)
{
	return 0;
}

static const struct file_ops tmpfs_file_ops = {
	.fsync = tmpfs_fsync,
	.read = tmpfs_read,
	.write = tmpfs_write,
	.kwrite = tmpfs_kwrite,
	.kread = tmpfs_kread,
	.seek_data = tmpfs_seek_data,
};

struct dentry *tmpfs_new(void)
{
	struct super_block *sb = kzalloc(sizeof(*sb));
	struct dentry *root;

	if (!sb)
		return NULL;
	sb->dev = next_dev++;
	sb->fs_name = "tmpfs";
	sb->magic = TMPFS_MAGIC; /* devtmpfs's too: it is a tmpfs */
	root = vfs_dentry_new(NULL, "/");
	if (root)
		root->inode = tmpfs_inode(sb, S_IFDIR | 0755, 0, &VFS_ROOT_CRED);
	if (!root || !root->inode) {
		kfree(root);
		kfree(sb);
		return NULL;
	}
	return root;
}
