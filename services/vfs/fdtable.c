/*
 * The file descriptor table (see <svc/fdtable.h>), a PROC_STATE.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/fdtable.h>
#include <svc/posix_lock.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <uapi/fcntl.h>
#include <uapi/sched.h>

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
	vfs_file_put(f);
}

/* Copies every descriptor of from (with its close-on-exec flag) into t;
 * caller holds vfs_lock. */
/* Closing one descriptor of f in p: p's record locks on the file go
 * (POSIX: any close does it), then the reference. vfs_lock held. */
static void fd_drop(struct proc *p, struct file *f)
{
	if (!f)
		return;
	posix_locks_close(p, f);
	vfs_file_put(f);
}

static void copy_fds(struct fdtable *t, const struct fdtable *from)
{
	for (int fd = 0; fd < FD_MAX; fd++) {
		t->fd[fd] = from->fd[fd];
		t->cloexec[fd] = from->cloexec[fd];
		if (t->fd[fd])
			vfs_file_get(t->fd[fd]);
	}
}

/* CLONE_FILES shares the parent's table; a fork copies it (the same
 * open files), a first process gets the console as 0, 1, 2. */
static int files_fork(struct proc *parent, struct proc *child,
		      unsigned long flags)
{
	struct fdtable *t;

	if (parent && (flags & CLONE_FILES)) {
		vfs_lock();
		parent->files->refs++;
		vfs_unlock();
		child->files = parent->files;
		return 0;
	}
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->refs = 1;
	vfs_lock();
	if (parent)
		copy_fds(t, parent->files);
	else
		open_console(t);
	vfs_unlock();
	child->files = t;
	return 0;
}

/* When p shares its table with another process (CLONE_FILES), makes
 * the empty table own p's copy of it and returns NULL; else returns own
 * unused. vfs_lock held. */
static struct fdtable *unshare_into(struct proc *p, struct fdtable *own)
{
	struct fdtable *t = p->files;

	if (t->refs <= 1)
		return own;
	own->refs = 1;
	copy_fds(own, t);
	t->refs--;
	p->files = own;
	return NULL;
}

int fd_unshare(struct proc *p)
{
	struct fdtable *own = kzalloc(sizeof(*own));

	if (!own)
		return -ENOMEM;
	vfs_lock();
	own = unshare_into(p, own);
	vfs_unlock();
	kfree(own);
	return 0;
}

/* Closes the close-on-exec descriptors; a table shared with another
 * process (CLONE_FILES) is unshared first, as Linux's unshare_files.
 * -ENOMEM when the copy cannot be had. */
static int files_exec(struct proc *p)
{
	struct fdtable *t, *own = kzalloc(sizeof(*own));

	if (!own)
		return -ENOMEM;
	vfs_lock();
	own = unshare_into(p, own);
	t = p->files;
	for (int fd = 0; fd < FD_MAX; fd++) {
		if (t->fd[fd] && t->cloexec[fd]) {
			fd_drop(p, t->fd[fd]);
			t->fd[fd] = NULL;
			t->cloexec[fd] = false;
		}
	}
	vfs_unlock();
	kfree(own);
	return 0;
}

static void files_exit(struct proc *p)
{
	struct fdtable *t = p->files;

	if (!t)
		return;
	posix_locks_exit(p);
	vfs_lock();
	if (--t->refs == 0) {
		for (int fd = 0; fd < FD_MAX; fd++)
			vfs_file_put(t->fd[fd]);
		kfree(t);
	}
	vfs_unlock();
	p->files = NULL;
}

PROC_STATE(files, .fork = files_fork, .exec = files_exec,
	   .exit = files_exit);

struct file *fd_get(struct proc *p, int fd)
{
	struct file *f = NULL;

	if (!p->files)
		return NULL; /* a process without the state (unit tests) */
	vfs_lock();
	if (fd >= 0 && fd < FD_MAX && p->files->fd[fd]) {
		f = p->files->fd[fd];
		vfs_file_get(f);
	}
	vfs_unlock();
	return f;
}

unsigned fd_table_size(struct proc *p)
{
	unsigned size = 64, top = 0;

	vfs_lock();
	for (unsigned fd = 0; fd < FD_MAX; fd++)
		if (p->files->fd[fd])
			top = fd + 1;
	vfs_unlock();
	while (size < top)
		size *= 2;
	return MIN(size, (unsigned)FD_MAX);
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

int fd_install(struct proc *p, struct file *f, int min, bool cloexec)
{
	struct fdtable *t = p->files;
	int limit = (int)fd_limit(p);
	int ret = -EMFILE;

	if (min < 0 || min >= FD_MAX) {
		vfs_lock();
		vfs_file_put(f);
		vfs_unlock();
		return -EINVAL;
	}
	vfs_lock();
	for (int fd = min; fd < limit; fd++) {
		if (!t->fd[fd]) {
			t->fd[fd] = f;
			t->cloexec[fd] = cloexec;
			ret = fd;
			break;
		}
	}
	if (ret < 0)
		vfs_file_put(f);
	vfs_unlock();
	return ret;
}

int fd_install_at(struct proc *p, int fd, struct file *f, bool cloexec)
{
	struct fdtable *t = p->files;
	struct file *old;

	if (fd < 0 || fd >= (int)fd_limit(p))
		return -EBADF;
	vfs_lock();
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

	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	vfs_lock();
	f = t->fd[fd];
	t->fd[fd] = NULL;
	t->cloexec[fd] = false;
	fd_drop(p, f);
	vfs_unlock();
	return f ? 0 : -EBADF;
}

void fd_close_range(struct proc *p, unsigned first, unsigned last,
		    bool cloexec)
{
	struct fdtable *t = p->files;

	vfs_lock();
	for (unsigned fd = first; fd <= last && fd < FD_MAX; fd++) {
		if (!t->fd[fd])
			continue;
		if (cloexec) {
			t->cloexec[fd] = true;
			continue;
		}
		fd_drop(p, t->fd[fd]);
		t->fd[fd] = NULL;
		t->cloexec[fd] = false;
	}
	vfs_unlock();
}

int fd_get_cloexec(struct proc *p, int fd)
{
	int ret = -EBADF;

	vfs_lock();
	if (fd >= 0 && fd < FD_MAX && p->files->fd[fd])
		ret = p->files->cloexec[fd] ? FD_CLOEXEC : 0;
	vfs_unlock();
	return ret;
}

int fd_set_cloexec(struct proc *p, int fd, bool on)
{
	int ret = -EBADF;

	vfs_lock();
	if (fd >= 0 && fd < FD_MAX && p->files->fd[fd]) {
		p->files->cloexec[fd] = on;
		ret = 0;
	}
	vfs_unlock();
	return ret;
}
