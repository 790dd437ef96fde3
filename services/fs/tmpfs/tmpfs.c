/*
 * tmpfs: a file system in memory. Directories are the VFS's dentry tree
 * (<svc/vfs.h>); a regular file's bytes live in the core's page handles
 * (tmpfs_pages.h), absent pages are holes that read as zeros, so a sparse
 * file costs only the pages written. A symlink keeps its target string.
 * mmap maps the file's pages themselves (tmpfs_mmap.c), so mappings and
 * read/write see the same bytes.
 *
 * Reads and writes copy straight between user memory and the pages with
 * the core's short-count page copies (vm_page_copy_*_user_partial), so a
 * user buffer that runs into an unmapped page gives the bytes before it
 * (or -EFAULT when there are none), as Linux.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/vm_object.h>
#include <svc/fs.h>
#include <svc/vfs.h>
#include <uapi/mount.h>
#include <uapi/falloc.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>

#include "tmpfs_data.h"

/* The largest tmpfs file (Linux's MAX_LFS_FILESIZE on 64 bits). */
#define TMPFS_MAX_SIZE ((uint64_t)INT64_MAX)

struct tmpfs_inode {
	struct tmpfs_data *data; /* shared with the file's mappings */
	char *target;   /* symlinks */
	bool memfd;     /* made by memfd_create: F_ADD_SEALS works */
	uint32_t seals; /* F_SEAL_*, enforced by write, truncate, fallocate */
};

static struct tmpfs_inode *tmpfs_i(const struct inode *i)
{
	return i->priv;
}

static const struct inode_ops tmpfs_iops;
static const struct file_ops tmpfs_file_ops;

static uint32_t next_dev = 0x10; /* st_dev of each new instance */

/* Sets the size of i and of its data (for the pager). */
static void set_size(struct inode *i, uint64_t size)
{
	struct tmpfs_data *d = tmpfs_i(i)->data;

	spin_lock(&d->lock);
	d->size = size;
	spin_unlock(&d->lock);
	i->size = size;
}

static void count_blocks(struct inode *i)
{
	i->blocks = tmpfs_i(i)->data->pages.n * (PAGE_SIZE / 512);
}

/* Copies up to len bytes of file data at *pos to the user, straight out
 * of the pages (holes as zeros). */
static ssize_t tmpfs_read(struct file *f, uptr_t buf, size_t len,
			  uint64_t *pos)
{
	struct inode *i = f->inode;
	size_t done = 0;

	if (*pos >= i->size || !len)
		return 0;
	len = MIN(len, i->size - *pos);
	while (done < len) {
		uint64_t off = *pos + done;
		size_t in_page = off % PAGE_SIZE;
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		struct vm_page *pg = tmpfs_data_find(tmpfs_i(i)->data,
						     off / PAGE_SIZE);
		uptr_t to = uptr_add(buf, done);
		ssize_t got = pg ? vm_page_copy_to_user_partial(pg, in_page,
								to, n)
				 : clear_user_partial(to, n);

		if (got < 0) {
			if (!done)
				done = (size_t)got;
			break;
		}
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	if ((ssize_t)done > 0) {
		*pos += done;
		i->atime = vfs_now();
	}
	return (ssize_t)done;
}

/*
 * Copies n bytes into the file's page idx at in_page, from kbuf when it
 * is not NULL, else from the user's buf, straight into the page: the
 * count (short when the user buffer runs into an unmapped page), or
 * -EFAULT / -ENOMEM. A page this made for nothing (not one byte came) is
 * dropped again, so a failed write leaves no data page behind.
 */
static ssize_t write_page(struct tmpfs_data *d, uint64_t idx, size_t in_page,
			  const char *kbuf, uptr_t buf, size_t n)
{
	bool hole = !tmpfs_data_find(d, idx);
	struct vm_page *pg = tmpfs_data_make(d, idx);
	ssize_t got;

	if (!pg)
		return -ENOMEM;
	if (kbuf) {
		vm_page_write(pg, in_page, kbuf, n); /* in the page: cannot fail */
		return (ssize_t)n;
	}
	got = vm_page_copy_from_user_partial(pg, in_page, buf, n);
	if (got < 0 && hole) {
		spin_lock(&d->lock);
		tmpfs_pages_punch(&d->pages, idx, idx + 1);
		spin_unlock(&d->lock);
	}
	return got;
}

/* Copies up to len bytes into the file at *pos, growing it: from kbuf
 * when it is not NULL, else from the user's buf. */
static ssize_t write_from(struct file *f, const char *kbuf, uptr_t buf,
			  size_t len, uint64_t *pos)
{
	struct inode *i = f->inode;
	size_t done = 0;
	ssize_t err = 0;

	if (*pos >= TMPFS_MAX_SIZE)
		return -EFBIG;
	len = MIN(len, TMPFS_MAX_SIZE - *pos);
	if (tmpfs_i(i)->seals & F_SEAL_WRITE)
		return -EPERM;
	if ((tmpfs_i(i)->seals & F_SEAL_GROW) && *pos + len > i->size) {
		/* a sealed file takes what fits below its end, as Linux's
		 * shmem_write_begin refuses the first page past it */
		if (*pos >= i->size)
			return -EPERM;
		len = i->size - *pos;
	}
	while (done < len) {
		uint64_t off = *pos + done;
		size_t in_page = off % PAGE_SIZE;
		size_t n = MIN(len - done, PAGE_SIZE - in_page);
		ssize_t got = write_page(tmpfs_i(i)->data, off / PAGE_SIZE,
					 in_page, kbuf ? kbuf + done : NULL,
					 uptr_add(buf, done), n);

		if (got < 0) {
			err = got;
			break;
		}
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	if (!done)
		return err;
	*pos += done;
	if (*pos > i->size)
		set_size(i, *pos);
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
		struct vm_page *pg = tmpfs_data_find(tmpfs_i(i)->data,
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
	spin_lock(&tmpfs_i(i)->data->lock);
	page = tmpfs_pages_next(&tmpfs_i(i)->data->pages, off / PAGE_SIZE,
				whence == SEEK_DATA);
	spin_unlock(&tmpfs_i(i)->data->lock);
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
	if (i->priv)
		tmpfs_i(i)->data = tmpfs_data_new();
	if (!i->priv || !tmpfs_i(i)->data) {
		kfree(i->priv);
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
	set_size(i, kstrlen(target));
	d->inode = i;
	return 0;
}

static ssize_t tmpfs_readlink(struct inode *i, char *buf, size_t size)
{
	size_t n = MIN(size, (size_t)i->size);

	memcpy(buf, tmpfs_i(i)->target, n);
	return (ssize_t)n;
}

/* Zeroes bytes [off, end) of page pg (NULL: a hole, already zeros). */
static void zero_range(struct vm_page *pg, size_t off, size_t end)
{
	static const char zeros[256];

	while (pg && off < end) {
		size_t n = MIN(sizeof(zeros), end - off);

		vm_page_write(pg, off, zeros, n);
		off += n;
	}
}

static int tmpfs_truncate(struct inode *i, uint64_t size)
{
	struct tmpfs_inode *t = tmpfs_i(i);
	uint64_t keep = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	struct vm_object *obj;
	bool shrunk;

	if (size > TMPFS_MAX_SIZE)
		return -EFBIG;
	if ((size < i->size && (t->seals & F_SEAL_SHRINK)) ||
	    (size > i->size && (t->seals & F_SEAL_GROW)))
		return -EPERM;
	spin_lock(&t->data->lock);
	tmpfs_pages_cut(&t->data->pages, keep);
	/* The tail of the last kept page must read as zeros if the file
	 * grows again. */
	if (size % PAGE_SIZE)
		zero_range(tmpfs_page_find(&t->data->pages, size / PAGE_SIZE),
			   size % PAGE_SIZE, PAGE_SIZE);
	shrunk = size < t->data->size;
	t->data->size = size;
	obj = shrunk ? tmpfs_data_object(t->data) : NULL;
	spin_unlock(&t->data->lock);
	/* The pager now says -ENXIO past the end: take what mappings hold
	 * there away, so their next touch is a SIGBUS, as Linux's. */
	if (obj) {
		vm_object_cut(obj, size);
		vm_object_put(obj);
	}
	i->size = size;
	count_blocks(i);
	return 0;
}

static void tmpfs_destroy(struct inode *i)
{
	struct tmpfs_inode *t = tmpfs_i(i);

	tmpfs_data_put(t->data);
	kfree(t->target);
	kfree(t);
}

/* FALLOC_FL_PUNCH_HOLE: the whole pages inside go, the partial ones at
 * the edges are zeroed; the size stays. */
static int punch_hole(struct inode *i, uint64_t off, uint64_t end)
{
	struct tmpfs_inode *t = tmpfs_i(i);
	uint64_t first = ALIGN_UP(off, PAGE_SIZE) / PAGE_SIZE;
	uint64_t last = end / PAGE_SIZE; /* the first page not wholly inside */
	struct tmpfs_pages *pages = &t->data->pages;

	if (t->seals & F_SEAL_WRITE)
		return -EPERM;
	spin_lock(&t->data->lock);
	if (off / PAGE_SIZE == end / PAGE_SIZE) {
		zero_range(tmpfs_page_find(pages, off / PAGE_SIZE),
			   off % PAGE_SIZE, end % PAGE_SIZE);
	} else {
		if (off % PAGE_SIZE)
			zero_range(tmpfs_page_find(pages, off / PAGE_SIZE),
				   off % PAGE_SIZE, PAGE_SIZE);
		if (end % PAGE_SIZE)
			zero_range(tmpfs_page_find(pages, last), 0,
				   end % PAGE_SIZE);
	}
	if (first < last)
		tmpfs_pages_punch(pages, first, last);
	spin_unlock(&t->data->lock);
	return 0;
}

/* Modes 0 and KEEP_SIZE: every page of the range is made (zeros), so
 * that later writes there cannot run out of memory; the size grows to
 * the range's end unless KEEP_SIZE. */
static int reserve(struct inode *i, bool keep_size, uint64_t off,
		   uint64_t end)
{
	struct tmpfs_inode *t = tmpfs_i(i);

	if (end > i->size && (t->seals & F_SEAL_GROW))
		return -EPERM; /* even with KEEP_SIZE, as Linux */
	for (uint64_t pg = off / PAGE_SIZE; pg <= (end - 1) / PAGE_SIZE; pg++)
		if (!tmpfs_data_make(t->data, pg)) {
			count_blocks(i);
			return -ENOSPC;
		}
	if (!keep_size && end > i->size)
		set_size(i, end);
	return 0;
}

static int tmpfs_fallocate(struct inode *i, int mode, uint64_t off,
			   uint64_t len)
{
	uint64_t end = off + len;
	int err;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (end > TMPFS_MAX_SIZE || end < off)
		return -EFBIG;
	if (mode & FALLOC_FL_PUNCH_HOLE)
		err = punch_hole(i, off, end);
	else
		err = reserve(i, mode & FALLOC_FL_KEEP_SIZE, off, end);
	count_blocks(i);
	if (!err)
		i->ctime = vfs_now();
	return err;
}

static const struct inode_ops tmpfs_iops = {
	.create = tmpfs_create,
	.symlink = tmpfs_symlink,
	.readlink = tmpfs_readlink,
	.truncate = tmpfs_truncate,
	.destroy = tmpfs_destroy,
	.fallocate = tmpfs_fallocate,
};

/* Memory is where the data stays: nothing to write back. */
static int tmpfs_fsync(struct file *f, bool datasync)
{
	return 0;
}

#define SEALS_KNOWN                                                     \
	(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |     \
	 F_SEAL_FUTURE_WRITE | UAPI_F_SEAL_EXEC)

/* F_ADD_SEALS / F_GET_SEALS of a memfd (memfd_create without
 * MFD_ALLOW_SEALING starts with F_SEAL_SEAL); -EINVAL for other files.
 * Runs with vfs_lock held. */
static long tmpfs_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct tmpfs_inode *t = tmpfs_i(f->inode);

	if (cmd == F_GETPIPE_SZ || cmd == F_SETPIPE_SZ)
		return -EBADF; /* not a pipe, as Linux */
	if ((cmd != F_ADD_SEALS && cmd != F_GET_SEALS) || !t->memfd)
		return -EINVAL;
	if (cmd == F_GET_SEALS)
		return t->seals;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EPERM;
	if (arg & ~(unsigned long)SEALS_KNOWN)
		return -EINVAL;
	if (t->seals & F_SEAL_SEAL)
		return -EPERM;
	t->seals |= (uint32_t)arg;
	return 0;
}

/* Only regular files have pages to map (directories share these file
 * ops): -ENODEV for the others, as Linux. */
static int tmpfs_file_mmap(struct file *f, struct vm_object **out)
{
	if ((f->inode->mode & S_IFMT) != S_IFREG)
		return -ENODEV;
	return tmpfs_data_mmap(tmpfs_i(f->inode)->data, out);
}

static const struct file_ops tmpfs_file_ops = {
	.mmap = tmpfs_file_mmap,
	.fcntl = tmpfs_fcntl,
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

/* The instance memfds live on: never mounted, so their files have no
 * path (/proc/self/fd shows "/memfd:NAME (deleted)"). */
static struct dentry *memfd_root;

struct file *tmpfs_memfd(const char *name, uint32_t mode, uint32_t seals)
{
	struct dentry *d;
	struct inode *i;
	struct file *f;

	if (!memfd_root)
		memfd_root = tmpfs_new();
	if (!memfd_root)
		return NULL;
	d = vfs_dentry_new(memfd_root, name);
	i = d ? tmpfs_inode(memfd_root->inode->sb, S_IFREG | mode, 0,
			    &VFS_ROOT_CRED)
	      : NULL;
	if (!i) {
		vfs_dentry_put(d);
		return NULL;
	}
	tmpfs_i(i)->memfd = true;
	tmpfs_i(i)->seals = seals;
	i->nlink = 0; /* on no directory, as Linux's */
	d->inode = i;
	f = vfs_file_new(&(struct path){ NULL, d }, O_RDWR | O_LARGEFILE);
	vfs_dentry_put(d); /* the file holds it, or it goes */
	return f;
}
