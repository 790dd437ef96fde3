/*
 * The file descriptor table (see <svc/fdtable.h>), a PROC_STATE.
 *
 * A table starts with FD_INLINE slots inside itself and grows on demand,
 * as Linux's expand_files: when an fd at or past its size is wanted
 * (open after the soft RLIMIT_NOFILE was raised, dup2 or F_DUPFD to a
 * high number), the slots move to arrays of the size Linux's
 * alloc_fdtable would choose, and the table never shrinks. So a process
 * with few fds costs no allocation beyond the table itself, and the size
 * is Linux's max_fds (FDSize in status, where select stops). next_fd is
 * Linux's hint: no fd below it is free, so opening many fds in a row
 * does not scan the table from 0 each time.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/fdtable.h>
#include <svc/posix_lock.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <uapi/fcntl.h>
#include <uapi/sched.h>

/* An empty table with its inline slots and one reference. */
static struct fdtable *table_new(void)
{
	struct fdtable *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->refs = 1;
	t->size = FD_INLINE;
	t->fd = t->inline_fd;
	t->cloexec = t->inline_cloexec;
	return t;
}

/* Frees t's grown arrays and t itself (its files already put). */
static void table_free(struct fdtable *t)
{
	if (t && t->fd != t->inline_fd) {
		kfree(t->fd);
		kfree(t->cloexec);
	}
	kfree(t);
}

/* The size Linux gives a table that must hold fd nr: a power of two of
 * 1 KiB worth of pointers (128 slots) or more, at most FD_MAX. */
static unsigned size_for(unsigned nr)
{
	unsigned per_kib = 1024 / sizeof(struct file *), size = per_kib;

	while (size <= nr && size < FD_MAX)
		size *= 2;
	return MIN(size, (unsigned)FD_MAX);
}

/*
 * Makes t hold fd nr (< FD_MAX), moving its slots to larger arrays when
 * it does not yet. 0, or -ENOMEM with t unchanged. vfs_lock held.
 */
static int table_grow(struct fdtable *t, unsigned nr)
{
	unsigned size;
	struct file **fd;
	bool *cloexec;

	if (nr < t->size)
		return 0;
	size = size_for(nr);
	fd = kcalloc(size, sizeof(*fd));
	cloexec = kcalloc(size, sizeof(*cloexec));
	if (!fd || !cloexec) {
		kfree(fd);
		kfree(cloexec);
		return -ENOMEM;
	}
	memcpy(fd, t->fd, t->size * sizeof(*fd));
	memcpy(cloexec, t->cloexec, t->size * sizeof(*cloexec));
	if (t->fd != t->inline_fd) {
		kfree(t->fd);
		kfree(t->cloexec);
	}
	t->fd = fd;
	t->cloexec = cloexec;
	t->size = size;
	return 0;
}

/* fd's open file in t, or NULL (also past the table's end, and for a
 * process without a table: unit tests). */
static struct file *slot(const struct fdtable *t, int fd)
{
	return t && fd >= 0 && (unsigned)fd < t->size ? t->fd[fd] : NULL;
}

/* Empties slot fd of t (the caller drops the file); next_fd follows. */
static void clear_slot(struct fdtable *t, unsigned fd)
{
	t->fd[fd] = NULL;
	t->cloexec[fd] = false;
	if (fd < t->next_fd)
		t->next_fd = fd;
}

/* fds 0, 1, 2 of a first process on the console; none if it cannot be
 * opened (no /dev). */
static void open_console(struct fdtable *t)
{
	struct path root = vfs_root();
	struct file *f;

	if (!root.dentry ||
	    vfs_open(&root, "/dev/console", O_RDWR, 0, &VFS_ROOT_CRED, &f))
		return;
	for (int fd = 0; fd < 3; fd++) {
		vfs_file_get(f);
		t->fd[fd] = f;
	}
	t->next_fd = 3;
	vfs_file_put(f);
}

/* Closing one descriptor of f in p: p's record locks on the file go
 * (POSIX: any close does it), then the reference. vfs_lock held. */
static void fd_drop(struct proc *p, struct file *f)
{
	if (!f)
		return;
	posix_locks_close(p, f);
	vfs_file_put(f);
}

/* One past the highest open fd of t. */
static unsigned open_top(const struct fdtable *t)
{
	unsigned top = t->size;

	while (top > 0 && !t->fd[top - 1])
		top--;
	return top;
}

/* Copies every descriptor of from (with its close-on-exec flag) into
 * the empty table t, grown to what they need (as Linux's dup_fd sizes
 * the copy by the open fds, not by from's size). 0 or -ENOMEM (t still
 * empty). vfs_lock held. */
static int copy_fds(struct fdtable *t, const struct fdtable *from)
{
	unsigned top = open_top(from);

	if (top > t->size && table_grow(t, top - 1))
		return -ENOMEM;
	for (unsigned fd = 0; fd < top; fd++) {
		t->fd[fd] = from->fd[fd];
		t->cloexec[fd] = from->cloexec[fd];
		if (t->fd[fd])
			vfs_file_get(t->fd[fd]);
	}
	t->next_fd = from->next_fd;
	return 0;
}

/* CLONE_FILES shares the parent's table; a fork copies it (the same
 * open files), a first process gets the console as 0, 1, 2. */
static int files_fork(struct proc *parent, struct proc *child,
		      unsigned long flags)
{
	struct fdtable *t;
	int err = 0;

	if (parent && (flags & CLONE_FILES)) {
		vfs_lock();
		parent->files->refs++;
		vfs_unlock();
		child->files = parent->files;
		return 0;
	}
	t = table_new();
	if (!t)
		return -ENOMEM;
	vfs_lock();
	if (parent)
		err = copy_fds(t, parent->files);
	else
		open_console(t);
	vfs_unlock();
	if (err) {
		table_free(t);
		return err;
	}
	child->files = t;
	return 0;
}

/* When p shares its table with another process (CLONE_FILES), makes
 * the empty table own p's copy of it (own becomes NULL); else leaves own
 * unused. 0 or -ENOMEM (nothing changed). vfs_lock held. */
static int unshare_into(struct proc *p, struct fdtable **own)
{
	struct fdtable *t = p->files;
	int err;

	if (t->refs <= 1)
		return 0;
	err = copy_fds(*own, t);
	if (err)
		return err;
	t->refs--;
	p->files = *own;
	*own = NULL;
	return 0;
}

int fd_unshare(struct proc *p)
{
	struct fdtable *own = table_new();
	int err;

	if (!own)
		return -ENOMEM;
	vfs_lock();
	err = unshare_into(p, &own);
	vfs_unlock();
	table_free(own);
	return err;
}

/* Closes the close-on-exec descriptors; a table shared with another
 * process (CLONE_FILES) is unshared first, as Linux's unshare_files.
 * -ENOMEM when the copy cannot be had. */
static int files_exec(struct proc *p)
{
	struct fdtable *t, *own = table_new();
	int err;

	if (!own)
		return -ENOMEM;
	vfs_lock();
	err = unshare_into(p, &own);
	t = p->files;
	for (unsigned fd = 0; !err && fd < t->size; fd++) {
		if (t->fd[fd] && t->cloexec[fd]) {
			fd_drop(p, t->fd[fd]);
			clear_slot(t, fd);
		}
	}
	vfs_unlock();
	table_free(own);
	return err;
}

static void files_exit(struct proc *p)
{
	struct fdtable *t = p->files;

	if (!t)
		return;
	posix_locks_exit(p);
	vfs_lock();
	if (--t->refs == 0) {
		for (unsigned fd = 0; fd < t->size; fd++)
			vfs_file_put(t->fd[fd]);
		table_free(t);
	}
	vfs_unlock();
	p->files = NULL;
}

PROC_STATE(files, .fork = files_fork, .exec = files_exec,
	   .exit = files_exit);

struct file *fd_get(struct proc *p, int fd)
{
	struct file *f;

	if (!p->files)
		return NULL; /* a process without the state (unit tests) */
	vfs_lock();
	f = slot(p->files, fd);
	if (f)
		vfs_file_get(f);
	vfs_unlock();
	return f;
}

unsigned fd_table_size(struct proc *p)
{
	unsigned size;

	vfs_lock();
	size = p->files->size;
	vfs_unlock();
	return size;
}

void fd_put(struct file *f)
{
	vfs_lock();
	vfs_file_put(f);
	vfs_unlock();
}

unsigned fd_limit(struct proc *p)
{
	uint64_t lim = __atomic_load_n(&p->rlim[RLIMIT_NOFILE].rlim_cur,
				       __ATOMIC_RELAXED);

	return lim < FD_MAX ? (unsigned)lim : FD_MAX;
}

/* The lowest free fd of t from min on, below limit, or -EMFILE; the
 * slots past the table's end are free. vfs_lock held. */
static int find_free(const struct fdtable *t, unsigned min, unsigned limit)
{
	unsigned fd = MAX(min, t->next_fd);

	while (fd < limit && fd < t->size && t->fd[fd])
		fd++;
	return fd < limit ? (int)fd : -EMFILE;
}

int fd_install(struct proc *p, struct file *f, int min, bool cloexec)
{
	struct fdtable *t = p->files;
	int fd;

	vfs_lock();
	fd = min < 0 || min >= FD_MAX ? -EINVAL
				       : find_free(t, (unsigned)min, fd_limit(p));
	if (fd >= 0 && table_grow(t, (unsigned)fd))
		fd = -ENOMEM;
	if (fd >= 0) {
		t->fd[fd] = f;
		t->cloexec[fd] = cloexec;
		if ((unsigned)min <= t->next_fd)
			t->next_fd = (unsigned)fd + 1;
	} else {
		vfs_file_put(f);
	}
	vfs_unlock();
	return fd;
}

int fd_install_at(struct proc *p, int fd, struct file *f, bool cloexec)
{
	struct fdtable *t = p->files;
	struct file *old;

	if (fd < 0 || fd >= (int)fd_limit(p))
		return -EBADF;
	vfs_lock();
	if (table_grow(t, (unsigned)fd)) {
		vfs_unlock();
		return -ENOMEM;
	}
	old = t->fd[fd];
	vfs_file_get(f);
	t->fd[fd] = f;
	t->cloexec[fd] = cloexec;
	fd_drop(p, old);
	vfs_unlock();
	return fd;
}

int fd_close(struct proc *p, int fd)
{
	struct fdtable *t = p->files;
	struct file *f;

	vfs_lock();
	f = slot(t, fd);
	if (f) {
		clear_slot(t, (unsigned)fd);
		fd_drop(p, f);
	}
	vfs_unlock();
	return f ? 0 : -EBADF;
}

void fd_close_range(struct proc *p, unsigned first, unsigned last,
		    bool cloexec)
{
	struct fdtable *t = p->files;

	vfs_lock();
	for (unsigned fd = first; fd <= last && fd < t->size; fd++) {
		struct file *f = t->fd[fd];

		if (!f)
			continue;
		if (cloexec) {
			t->cloexec[fd] = true;
			continue;
		}
		clear_slot(t, fd);
		fd_drop(p, f);
	}
	vfs_unlock();
}

int fd_get_cloexec(struct proc *p, int fd)
{
	int ret = -EBADF;

	vfs_lock();
	if (slot(p->files, fd))
		ret = p->files->cloexec[fd] ? FD_CLOEXEC : 0;
	vfs_unlock();
	return ret;
}

int fd_set_cloexec(struct proc *p, int fd, bool on)
{
	int ret = -EBADF;

	vfs_lock();
	if (slot(p->files, fd)) {
		p->files->cloexec[fd] = on;
		ret = 0;
	}
	vfs_unlock();
	return ret;
}
