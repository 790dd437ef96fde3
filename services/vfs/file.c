/*
 * Open files: open(2)'s resolution and checks, and the generic parts of
 * read, write, lseek and getdents64 around a file system's file_ops.
 * Callers hold vfs_lock (the sys_* handlers take it).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/devices.h>
#include <svc/epoll.h>
#include <svc/pipe.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/vfs.h>
#include <uapi/arch_stat.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>

/* Linux's MAX_RW_COUNT: one read or write moves at most this much. */
#define RW_MAX (0x7ffff000ul)

/* The flags open(2) keeps in the file (F_GETFL shows them). */
#define KEPT_FLAGS                                                        \
	(O_ACCMODE | O_APPEND | O_NONBLOCK | O_DSYNC | O_DIRECT |          \
	 O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | O_SYNC |     \
	 O_PATH | O_TMPFILE)

/* Open files in the whole system (Linux's nr_files), and the limit,
 * /proc/sys/fs/file-max: 0 until first needed, then Linux's default. */
static size_t nr_files;
static size_t file_max;

/* Linux's files_maxfiles_init: 10% of memory at 1 KiB a file, at least
 * NR_FILE. */
#define NR_FILE 8192

size_t vfs_file_max(void)
{
	size_t max = __atomic_load_n(&file_max, __ATOMIC_RELAXED);

	if (!max) {
		max = MAX(frames_total() * (PAGE_SIZE / 1024) / 10,
			  (size_t)NR_FILE);
		__atomic_store_n(&file_max, max, __ATOMIC_RELAXED);
	}
	return max;
}

int vfs_set_file_max(uint64_t max)
{
	if (max < 1 || max > SIZE_MAX / 2)
		return -EINVAL;
	__atomic_store_n(&file_max, (size_t)max, __ATOMIC_RELAXED);
	return 0;
}

size_t vfs_nr_files(void)
{
	return __atomic_load_n(&nr_files, __ATOMIC_RELAXED);
}

/* Takes one of the system's file slots: -ENFILE when all are taken. Linux
 * exempts CAP_SYS_ADMIN; Keel exempts nobody, else tests/user/enfile, which
 * runs as root, could never reach the limit. */
static int take_file_slot(void)
{
	size_t n = __atomic_load_n(&nr_files, __ATOMIC_RELAXED);

	do {
		if (n >= vfs_file_max())
			return -ENFILE;
	} while (!__atomic_compare_exchange_n(&nr_files, &n, n + 1, true,
					      __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

static void drop_file_slot(void)
{
	__atomic_sub_fetch(&nr_files, 1, __ATOMIC_RELAXED);
}

/* Moves i->write_count one step by delta (+1: a writer, -1: a denier)
 * unless the other side holds it: -ETXTBSY then. */
static int take_write_count(struct inode *i, int delta)
{
	int n = __atomic_load_n(&i->write_count, __ATOMIC_RELAXED);

	do {
		if (delta > 0 ? n < 0 : n > 0)
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&i->write_count, &n, n + delta,
					      true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return 0;
}

static bool opens_for_writing(const struct inode *i, uint32_t flags)
{
	uint32_t acc = flags & O_ACCMODE;

	return (i->mode & S_IFMT) == S_IFREG && !(flags & O_PATH) &&
	       (acc == O_WRONLY || acc == O_RDWR);
}

int vfs_deny_write(struct file *f)
{
	int err;

	if (f->write_hold)
		return f->write_hold < 0 ? 0 : -ETXTBSY;
	err = take_write_count(f->inode, -1);
	if (!err)
		f->write_hold = -1;
	return err;
}

int vfs_file_alloc(const struct path *p, uint32_t flags, struct file **out)
{
	struct inode *inode = p->dentry->inode;
	bool writer = opens_for_writing(inode, flags);
	struct file *f;
	int err = writer ? take_write_count(inode, 1) : 0;

	*out = NULL;
	if (!err)
		err = take_file_slot();
	else
		writer = false;
	if (err)
		goto undo;
	f = kzalloc(sizeof(*f));
	if (!f) {
		drop_file_slot();
		err = -ENOMEM;
		goto undo;
	}
	f->write_hold = writer ? 1 : 0;
	f->path = *p;
	vfs_path_get(p);
	f->inode = p->dentry->inode;
	f->flags = flags & KEPT_FLAGS;
	f->refs = 1;
	f->fops = f->inode->fops;
	list_init(&f->watches);
	*out = f;
	return 0;
undo:
	if (writer)
		__atomic_sub_fetch(&inode->write_count, 1, __ATOMIC_RELAXED);
	return err;
}

struct file *vfs_file_new(const struct path *p, uint32_t flags)
{
	struct file *f;

	vfs_file_alloc(p, flags, &f);
	return f;
}

void vfs_file_get(struct file *f)
{
	f->refs++;
}

void vfs_file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (!list_empty(&f->watches))
		epoll_file_closed(f);
	flock_file_closed(f);
	if (f->fops && f->fops->release)
		f->fops->release(f);
	if (f->write_hold)
		__atomic_sub_fetch(&f->inode->write_count, f->write_hold,
				   __ATOMIC_RELAXED);
	vfs_path_put(&f->path);
	kfree(f);
	drop_file_slot();
}

static int open_create(const struct path *start, const char *path,
		       uint32_t flags, uint32_t mode, unsigned resolve,
		       const struct vfs_cred *cred, struct path *out,
		       unsigned links);

/* O_CREAT on an existing symlink d in parent whose target is missing:
 * Linux makes the target, relative to the link's directory. */
static int create_link_target(const struct path *parent, struct dentry *d,
			      uint32_t flags, uint32_t mode, unsigned resolve,
			      const struct vfs_cred *cred, struct path *out,
			      unsigned links)
{
	struct inode *i = d->inode;
	char *target;
	ssize_t n;
	int err;

	if (links >= VFS_SYMLOOP_MAX || (resolve & LOOKUP_NO_SYMLINKS))
		return -ELOOP;
	target = kmalloc(VFS_PATH_MAX);
	if (!target)
		return -ENOMEM;
	n = i->iops->readlink(i, target, VFS_PATH_MAX - 1);
	if (n <= 0) {
		err = n ? (int)n : -ENOENT;
	} else {
		target[n] = '\0';
		err = open_create(parent, target, flags, mode, resolve, cred,
				  out, links + 1);
	}
	kfree(target);
	return err;
}

/* Finds or makes the file O_CREAT names (links: symlinks followed so
 * far; resolve: openat2's LOOKUP_RESOLVE flags, whose root for the last
 * component is its directory). Returns 0 with *out. */
static int open_create(const struct path *start, const char *path,
		       uint32_t flags, uint32_t mode, unsigned resolve,
		       const struct vfs_cred *cred, struct path *out,
		       unsigned links)
{
	char last[VFS_NAME_MAX + 1];
	struct path parent;
	struct dentry *d;
	bool slash;
	int err = vfs_lookup_parent_flags(start, path, resolve, &parent, last,
					  &slash);

	if (err)
		return err;
	if (!kstrcmp(last, ".") || !kstrcmp(last, "..") || slash) {
		err = -EISDIR;
		goto out;
	}
	d = vfs_dentry_child(parent.dentry, last, kstrlen(last));
	if (d && (flags & O_EXCL)) {
		err = -EEXIST;
	} else if (d) {
		/* It exists: open it as without O_CREAT. */
		err = vfs_lookup(&parent, last,
				 (flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
					 resolve,
				 out);
		if (err == -ENOENT && !(flags & O_NOFOLLOW) &&
		    (d->inode->mode & S_IFMT) == S_IFLNK)
			err = create_link_target(&parent, d, flags, mode,
						 resolve, cred, out, links);
	} else {
		err = vfs_path_readonly(&parent)
			      ? -EROFS
			      : vfs_permission(parent.dentry->inode,
					       VFS_MAY_WRITE | VFS_MAY_EXEC, cred);
		if (!err)
			err = vfs_make_node(parent.dentry, last,
					    S_IFREG | (mode & 07777), 0,
					    NULL);
		if (!err)
			err = vfs_lookup(&parent, last, 0, out);
	}
out:
	vfs_path_put(&parent);
	return err;
}

/* The access checks of open on the file found at p. */
static int open_check(const struct path *p, uint32_t flags,
		      const struct vfs_cred *cred)
{
	struct inode *i = p->dentry->inode;
	uint32_t acc = flags & O_ACCMODE;
	uint32_t type = i->mode & S_IFMT;
	int mask = 0;

	if (type == S_IFLNK)
		return -ELOOP; /* O_NOFOLLOW */
	if ((flags & O_DIRECTORY) && type != S_IFDIR)
		return -ENOTDIR;
	if (type == S_IFDIR && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= VFS_MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		mask |= VFS_MAY_WRITE;
	if ((flags & O_TRUNC) && type == S_IFREG)
		mask |= VFS_MAY_WRITE;
	if ((mask & VFS_MAY_WRITE) && vfs_path_readonly(p) &&
	    (type == S_IFREG || type == S_IFDIR))
		return -EROFS;
	return vfs_permission(i, mask, cred);
}

int vfs_open(const struct path *start, const char *path, uint32_t flags,
	     uint32_t mode, const struct vfs_cred *cred, struct file **out)
{
	return vfs_open_resolve(start, path, flags, mode, 0, cred, out);
}

/* O_TMPFILE: an unnamed file in the directory path names (see
 * vfs_make_tmpfile), open for writing; -EINVAL without write access or
 * with O_CREAT, as Linux's build_open_flags. O_EXCL: never linkable. */
static int open_tmpfile(const struct path *start, const char *path,
			uint32_t flags, uint32_t mode, unsigned resolve,
			const struct vfs_cred *cred, struct file **out)
{
	uint32_t acc = flags & O_ACCMODE;
	struct path dir, p;
	int err;

	if ((acc != O_WRONLY && acc != O_RDWR) || (flags & O_CREAT))
		return -EINVAL;
	err = vfs_lookup(start, path,
			 LOOKUP_FOLLOW | LOOKUP_DIRECTORY |
				 (resolve & LOOKUP_RESOLVE),
			 &dir);
	if (err)
		return err;
	err = vfs_make_tmpfile(&dir, mode, !(flags & O_EXCL), cred, &p);
	vfs_path_put(&dir);
	if (err)
		return err;
	err = vfs_file_alloc(&p, flags, out);
	vfs_path_put(&p);
	return err;
}

int vfs_open_resolve(const struct path *start, const char *path,
		     uint32_t flags, uint32_t mode, unsigned resolve,
		     const struct vfs_cred *cred, struct file **out)
{
	unsigned lookup = resolve & LOOKUP_RESOLVE;
	struct path p;
	struct file *f;
	int err;

	if ((flags & O_TMPFILE) == O_TMPFILE && !(flags & O_PATH))
		return open_tmpfile(start, path, flags, mode, resolve, cred,
				    out);

	if (!(flags & O_NOFOLLOW))
		lookup |= LOOKUP_FOLLOW;
	if (flags & O_DIRECTORY)
		lookup |= LOOKUP_DIRECTORY;
	if ((flags & O_CREAT) && !(flags & O_PATH))
		err = open_create(start, path, flags, mode,
				  resolve & LOOKUP_RESOLVE, cred, &p, 0);
	else
		err = vfs_lookup(start, path, lookup, &p);
	if (err)
		return err;
	if (flags & O_PATH) {
		err = (flags & O_DIRECTORY) && !vfs_is_dir(p.dentry->inode)
			      ? -ENOTDIR
			      : 0;
		flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW;
	} else {
		err = open_check(&p, flags, cred);
	}
	if (!err)
		err = vfs_file_alloc(&p, flags, &f);
	if (!err && !(flags & O_PATH)) {
		uint32_t type = f->inode->mode & S_IFMT;

		if (type == S_IFCHR)
			f->fops = vfs_chrdev_ops(f->inode->rdev);
		if (type == S_IFIFO)
			f->fops = &fifo_file_ops; /* the caller: fifo_open */
		if ((type == S_IFCHR && !f->fops) || type == S_IFBLK ||
		    type == S_IFSOCK)
			err = -ENXIO;
		else if (type == S_IFCHR && f->fops->open)
			err = f->fops->open(f);
		else if ((flags & O_TRUNC) && type == S_IFREG)
			err = vfs_truncate(f->inode, 0, cred);
		if (err) {
			vfs_file_put(f);
			f = NULL;
		}
	}
	vfs_path_put(&p);
	if (err)
		return err;
	*out = f;
	return 0;
}

/* Linux's access_ok: [addr, addr + len) inside user space, no wrap. */
static bool user_range_ok(uptr_t addr, size_t len)
{
	uintptr_t end;

	return !__builtin_add_overflow(addr.addr, len, &end) &&
	       end <= user_va_max();
}

/* The checks read and write share; 0 when f may do it. */
static int rw_check(struct file *f, uint32_t need_acc, uptr_t buf,
		    size_t len)
{
	uint32_t acc = f->flags & O_ACCMODE;

	if ((f->flags & O_PATH) || (acc != need_acc && acc != O_RDWR))
		return -EBADF;
	if (vfs_is_dir(f->inode))
		return -EISDIR;
	if (!user_range_ok(buf, len))
		return -EFAULT;
	return 0;
}

ssize_t vfs_read(struct file *f, uptr_t buf, size_t len, uint64_t *pos)
{
	int err = rw_check(f, O_RDONLY, buf, len);

	if (err)
		return err;
	if (!f->fops || !f->fops->read)
		return -EINVAL;
	if (!len)
		return 0;
	return f->fops->read(f, buf, MIN(len, (size_t)RW_MAX),
			     pos ? pos : &f->pos);
}

/* The caller's RLIMIT_FSIZE soft limit (RLIM_INFINITY for the kernel). */
static uint64_t fsize_limit(void)
{
	struct proc *self = proc_current();

	return self ? __atomic_load_n(&self->rlim[RLIMIT_FSIZE].rlim_cur,
				      __ATOMIC_RELAXED)
		    : RLIM_INFINITY;
}

/* Linux's generic_write_check_limits for a write of *len bytes at pos to
 * regular file i: VFS_EFBIG_SIGXFSZ when pos is at or past RLIMIT_FSIZE,
 * else 0 with *len cut to end at the limit. An empty write passes. */
static int fsize_check_write(const struct inode *i, uint64_t pos,
			     size_t *len)
{
	uint64_t lim;

	if ((i->mode & S_IFMT) != S_IFREG || !*len)
		return 0;
	lim = fsize_limit();
	if (lim == RLIM_INFINITY)
		return 0;
	if (pos >= lim)
		return VFS_EFBIG_SIGXFSZ;
	*len = MIN(*len, (size_t)MIN(lim - pos, (uint64_t)SIZE_MAX));
	return 0;
}

long vfs_fsize_signal(long ret)
{
	struct proc *self = proc_current();
	struct linux_siginfo info = { 0 };

	if (ret != VFS_EFBIG_SIGXFSZ)
		return ret;
	if (self) {
		info.si_code = SI_USER;
		info.fields.kill.si_pid = self->pid;
		signal_send(self, SIGXFSZ, &info);
	}
	return -EFBIG;
}

ssize_t vfs_write(struct file *f, uptr_t buf, size_t len, uint64_t *pos)
{
	return vfs_write_mode(f, buf, len, pos, VFS_APPEND_FILE);
}

ssize_t vfs_write_mode(struct file *f, uptr_t buf, size_t len, uint64_t *pos,
		       enum vfs_append how)
{
	bool append = how == VFS_APPEND_ALWAYS ||
		      (how == VFS_APPEND_FILE && (f->flags & O_APPEND));
	uint64_t end;
	int err = rw_check(f, O_WRONLY, buf, len);

	if (err)
		return err;
	if (!f->fops || !f->fops->write)
		return -EINVAL;
	/* No shortcut for len 0: the file says what that does (/dev/full:
	 * -ENOSPC; a pipe: 0), as Linux's vfs_write. */
	if (!pos) {
		pos = &f->pos;
		if (append)
			f->pos = f->inode->size;
	} else if (append) {
		/* Linux: pwrite on an O_APPEND file appends. */
		end = f->inode->size;
		pos = &end;
	}
	err = fsize_check_write(f->inode, *pos, &len);
	if (err)
		return err;
	if (len && (f->inode->mode & S_IFMT) == S_IFREG)
		vfs_drop_setid(f->inode, cred_current_fs());
	return f->fops->write(f, buf, MIN(len, (size_t)RW_MAX), pos);
}

/* SEEK_DATA / SEEK_HOLE for files without holes: all data to the end. */
static int64_t seek_data_plain(struct file *f, uint64_t off, int whence)
{
	if (off >= f->inode->size)
		return -ENXIO;
	return whence == SEEK_DATA ? (int64_t)off : (int64_t)f->inode->size;
}

int vfs_whence_base(const struct file *f, int whence, int64_t *base)
{
	switch (whence) {
	case SEEK_SET:
		*base = 0;
		return 0;
	case SEEK_CUR:
		*base = (int64_t)f->pos;
		return 0;
	case SEEK_END:
		*base = (int64_t)f->inode->size;
		return 0;
	default:
		return -EINVAL;
	}
}

int64_t vfs_llseek(struct file *f, int64_t off, int whence)
{
	int64_t base, pos;

	if (f->flags & O_PATH)
		return -EBADF;
	if (whence < 0 || whence > SEEK_MAX)
		return -EINVAL;
	if (f->fops && f->fops->llseek)
		return f->fops->llseek(f, off, whence);
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		if (off < 0)
			return -ENXIO;
		pos = f->fops && f->fops->seek_data
			      ? f->fops->seek_data(f, (uint64_t)off, whence)
			      : seek_data_plain(f, (uint64_t)off, whence);
		if (pos >= 0)
			f->pos = (uint64_t)pos;
		return pos;
	}
	if (vfs_whence_base(f, whence, &base))
		return -EINVAL;
	/* Linux's sum wraps to a negative offset: EINVAL, not EOVERFLOW. */
	if (__builtin_add_overflow(base, off, &pos) || pos < 0)
		return -EINVAL;
	f->pos = (uint64_t)pos;
	return pos;
}

void vfs_fill_stat(const struct inode *i, struct linux_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = i->sb->dev;
	st->st_ino = i->ino;
	st->st_mode = i->mode;
	st->st_nlink = i->nlink;
	st->st_uid = i->uid;
	st->st_gid = i->gid;
	st->st_rdev = i->rdev;
	st->st_size = (int64_t)i->size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (int64_t)i->blocks;
	st->st_atime = i->atime.sec;
	st->st_atime_nsec = i->atime.nsec;
	st->st_mtime = i->mtime.sec;
	st->st_mtime_nsec = i->mtime.nsec;
	st->st_ctime = i->ctime.sec;
	st->st_ctime_nsec = i->ctime.nsec;
}

int vfs_truncate(struct inode *i, uint64_t size, const struct vfs_cred *c)
{
	int err;

	if (vfs_is_dir(i))
		return -EISDIR;
	if ((i->mode & S_IFMT) != S_IFREG || !i->iops->truncate)
		return -EINVAL;
	if (size > (uint64_t)INT64_MAX)
		return -EINVAL;
	if (__atomic_load_n(&i->write_count, __ATOMIC_RELAXED) < 0)
		return -ETXTBSY; /* a program runs from it */
	/* Linux's inode_newsize_ok: growing past RLIMIT_FSIZE */
	if (size > i->size && size > fsize_limit())
		return VFS_EFBIG_SIGXFSZ;
	vfs_drop_setid(i, c);
	err = i->iops->truncate(i, size);
	if (!err)
		i->mtime = i->ctime = vfs_now();
	return err;
}
