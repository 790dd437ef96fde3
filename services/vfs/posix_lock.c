/*
 * fcntl(2) record locks: byte ranges of a file locked for reading
 * (shared) or writing (exclusive), as Linux's fs/locks.c.
 *
 *   POSIX locks  (F_GETLK, F_SETLK, F_SETLKW) belong to a process: its
 *                own locks never conflict with each other, a new one
 *                replaces what it overlaps (ranges are split and merged
 *                so that the process holds at most one lock per byte,
 *                adjacent ranges of one type merged), and any close of
 *                any descriptor of the file by the process drops all of
 *                them (fd_drop in fdtable.c calls posix_locks_close), as
 *                does its exit. F_SETLKW refuses with -EDEADLK a wait
 *                that would close a cycle of processes waiting for each
 *                other's locks.
 *   OFD locks    (F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW) belong to the
 *                open file description: dups share them, the last close
 *                of the description drops them (flock_file_closed).
 *                No deadlock detection, as Linux.
 *
 * Both kinds conflict with each other. Ranges are [start, end] with end
 * LOCK_EOF for "to the end of the file, however long". One spinlock
 * guards the list of all locks and the list of POSIX waiters; waiters
 * sleep on one queue that every change wakes. A wait is interruptible
 * (-ERESTARTSYS: EINTR, or a restart under SA_RESTART).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/list.h>
#include <keel/sync.h>
#include <keel/uaccess.h>
#include <svc/posix_lock.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>

#define LOCK_EOF UINT64_MAX
#define DEADLOCK_DEPTH 64 /* cycle search bound (Linux: MAX_DEADLK_ITERATIONS 10) */

struct rlock {
	struct list_head link;
	const struct inode *inode;
	const void *owner; /* the struct proc, or the struct file (OFD) */
	bool ofd;
	int pid; /* F_GETLK's l_pid: the POSIX owner's; -1 for OFD */
	bool write;
	uint64_t start, end;
};

/* A process sleeping in F_SETLKW, and the owner whose lock it waits for. */
struct rwaiter {
	struct list_head link;
	const void *owner;
	const void *blocker;
};

static struct spinlock rlock_lock = SPINLOCK_INIT("rlock");
static struct list_head rlocks = LIST_HEAD_INIT(rlocks);
static struct list_head rwaiters = LIST_HEAD_INIT(rwaiters);
static struct waitq rlock_wait;

static int rlock_init(void)
{
	waitq_init(&rlock_wait, "rlock");
	return 0;
}
SERVICE_INIT(rlock, SVC_LEVEL_FS, rlock_init);

/* What one request is about: the range, the kind, the owner. */
struct rreq {
	const struct inode *inode;
	const void *owner;
	bool ofd;
	int pid;
	int type; /* F_RDLCK, F_WRLCK, F_UNLCK */
	uint64_t start, end;
};

static bool overlaps(const struct rlock *l, uint64_t start, uint64_t end)
{
	return l->start <= end && start <= l->end;
}

/* Whether l touches [start, end] or lies right next to it. */
static bool touches(const struct rlock *l, uint64_t start, uint64_t end)
{
	return overlaps(l, start, end) ||
	       (l->end != LOCK_EOF && l->end + 1 == start) ||
	       (end != LOCK_EOF && end + 1 == l->start);
}

static bool same_owner(const struct rlock *l, const struct rreq *r)
{
	return l->owner == r->owner && l->ofd == r->ofd;
}

/* The first lock of another owner that r's lock would conflict with, or
 * NULL (rlock_lock held). */
static struct rlock *conflict(const struct rreq *r)
{
	struct list_head *pos;

	list_for_each(pos, &rlocks) {
		struct rlock *l = list_entry(pos, struct rlock, link);

		if (l->inode == r->inode && !same_owner(l, r) &&
		    overlaps(l, r->start, r->end) &&
		    (l->write || r->type == F_WRLCK))
			return l;
	}
	return NULL;
}

static struct rlock *new_lock(const struct rreq *r, bool write,
			      uint64_t start, uint64_t end)
{
	struct rlock *l = kzalloc(sizeof(*l));

	if (!l)
		return NULL;
	*l = (struct rlock){ .inode = r->inode, .owner = r->owner,
			     .ofd = r->ofd, .pid = r->pid, .write = write,
			     .start = start, .end = end };
	return l;
}

/* The pieces of l that lie outside [start, end]: at most two, into
 * spare (preallocated, so that the change cannot fail halfway). */
static void cut(struct rlock *l, uint64_t start, uint64_t end,
		struct rlock **spare)
{
	if (l->start < start) {
		struct rlock *left = *spare;

		*spare = NULL;
		*left = *l;
		left->end = start - 1;
		list_add_tail(&left->link, &rlocks);
	}
	if (l->end > end) {
		l->start = end + 1; /* l itself stays as the right piece */
		return;
	}
	list_del(&l->link);
	kfree(l);
}

/*
 * Applies r for its owner (rlock_lock held, no conflict): every own lock
 * overlapping the range is cut out of it; own locks of the same type
 * touching it are merged into the new one. spare and fresh are
 * preallocated; what is not used is freed by the caller.
 */
static void apply(const struct rreq *r, struct rlock **spare,
		  struct rlock **fresh)
{
	uint64_t start = r->start, end = r->end;
	bool write = r->type == F_WRLCK;
	struct list_head *pos, *next;

	list_for_each_safe(pos, next, &rlocks) {
		struct rlock *l = list_entry(pos, struct rlock, link);

		if (l->inode != r->inode || !same_owner(l, r))
			continue;
		if (r->type != F_UNLCK && l->write == write &&
		    touches(l, start, end)) {
			start = MIN(start, l->start);
			end = MAX(end, l->end);
			list_del(&l->link);
			kfree(l);
		} else if (overlaps(l, r->start, r->end)) {
			cut(l, r->start, r->end, spare);
		}
	}
	if (r->type != F_UNLCK) {
		(*fresh)->start = start;
		(*fresh)->end = end;
		list_add_tail(&(*fresh)->link, &rlocks);
		*fresh = NULL;
	}
}

/* Whether owner blocker waits, directly or through others, for owner
 * (rlock_lock held). */
static bool waits_for(const void *blocker, const void *owner)
{
	for (int depth = 0; depth < DEADLOCK_DEPTH; depth++) {
		struct list_head *pos;
		const void *next = NULL;

		list_for_each(pos, &rwaiters) {
			struct rwaiter *w = list_entry(pos, struct rwaiter, link);

			if (w->owner == blocker)
				next = w->blocker;
		}
		if (!next)
			return false;
		if (next == owner)
			return true;
		blocker = next;
	}
	return false;
}

/* One attempt: 0 (applied), -EAGAIN (a conflict; *blocker its owner) or
 * -ENOMEM. */
static int try_set(const struct rreq *r, const void **blocker)
{
	struct rlock *spare = kzalloc(sizeof(*spare));
	struct rlock *fresh = new_lock(r, r->type == F_WRLCK, 0, 0);
	struct rlock *c;
	int err = 0;

	if (!spare || !fresh) {
		kfree(spare);
		kfree(fresh);
		return -ENOMEM;
	}
	spin_lock(&rlock_lock);
	c = r->type == F_UNLCK ? NULL : conflict(r);
	if (c) {
		*blocker = c->owner;
		err = -EAGAIN;
	} else {
		apply(r, &spare, &fresh);
	}
	spin_unlock(&rlock_lock);
	kfree(spare);
	kfree(fresh);
	if (!err)
		waitq_wake_all(&rlock_wait);
	return err;
}

static bool settable(const struct rreq *r)
{
	bool free;

	spin_lock(&rlock_lock);
	free = !conflict(r);
	spin_unlock(&rlock_lock);
	return free;
}

/* F_SETLKW: tries until it works, refusing a wait that closes a cycle
 * (POSIX locks only). */
static int set_wait(const struct rreq *r)
{
	struct rwaiter w = { .owner = r->owner };
	const void *blocker = NULL;
	int err;

	while ((err = try_set(r, &blocker)) == -EAGAIN) {
		spin_lock(&rlock_lock);
		if (!r->ofd && waits_for(blocker, r->owner)) {
			spin_unlock(&rlock_lock);
			return -EDEADLK;
		}
		w.blocker = blocker;
		if (!r->ofd)
			list_add_tail(&w.link, &rwaiters);
		spin_unlock(&rlock_lock);
		err = WAITQ_WAIT_EVENT_UNTIL(&rlock_wait, settable(r),
					     WAIT_INTERRUPTIBLE, WAIT_FOREVER);
		if (!r->ofd) {
			spin_lock(&rlock_lock);
			list_del(&w.link);
			spin_unlock(&rlock_lock);
		}
		if (err)
			return -ERESTARTSYS;
	}
	return err;
}

/* Drops the locks matching (inode or any, owner, ofd) and wakes waiters. */
static void drop(const struct inode *inode, const void *owner, bool ofd)
{
	struct list_head *pos, *next;
	bool any = false;

	spin_lock(&rlock_lock);
	list_for_each_safe(pos, next, &rlocks) {
		struct rlock *l = list_entry(pos, struct rlock, link);

		if (l->owner == owner && l->ofd == ofd &&
		    (!inode || l->inode == inode)) {
			list_del(&l->link);
			kfree(l);
			any = true;
		}
	}
	spin_unlock(&rlock_lock);
	if (any)
		waitq_wake_all(&rlock_wait);
}

void posix_locks_close(struct proc *p, struct file *f)
{
	if (f && f->inode)
		drop(f->inode, p, false);
}

void posix_locks_exit(struct proc *p)
{
	drop(NULL, p, false);
}

void ofd_locks_closed(struct file *f)
{
	drop(f->inode, f, true);
}

/* struct flock's range from the file position base it is relative to:
 * [start, end], end LOCK_EOF for l_len 0. -EINVAL for a start before
 * the file, -EOVERFLOW past what an off_t holds. */
static int flock_range(const struct linux_flock *fl, int64_t base,
		       uint64_t *start, uint64_t *end)
{
	int64_t s, len = fl->l_len;

	if (__builtin_add_overflow(base, fl->l_start, &s))
		return -EOVERFLOW;
	if (len < 0) {
		if (s + len < 0)
			return -EINVAL;
		*start = (uint64_t)(s + len);
		*end = (uint64_t)s - 1;
		return 0;
	}
	if (s < 0)
		return -EINVAL;
	*start = (uint64_t)s;
	if (len == 0) {
		*end = LOCK_EOF;
		return 0;
	}
	if (s - 1 > INT64_MAX - len)
		return -EOVERFLOW;
	*end = (uint64_t)(s + len - 1);
	return 0;
}

/* Decodes and checks fl for f into r. */
static int make_request(struct proc *proc, struct file *f,
			const struct linux_flock *fl, bool ofd, bool get,
			struct rreq *r)
{
	uint32_t acc = f->flags & O_ACCMODE;
	int64_t base;

	if (fl->l_type != F_RDLCK && fl->l_type != F_WRLCK &&
	    (get || fl->l_type != F_UNLCK))
		return -EINVAL; /* F_GETLK asks about a lock, not F_UNLCK */
	if (ofd && fl->l_pid != 0)
		return -EINVAL;
	if (!get && fl->l_type == F_RDLCK && acc == O_WRONLY)
		return -EBADF;
	if (!get && fl->l_type == F_WRLCK && acc == O_RDONLY)
		return -EBADF;
	if (vfs_whence_base(f, fl->l_whence, &base))
		return -EINVAL;
	*r = (struct rreq){ .inode = f->inode, .ofd = ofd,
			    .owner = ofd ? (const void *)f : (const void *)proc,
			    .pid = ofd ? -1 : proc->pid, .type = fl->l_type };
	return flock_range(fl, base, &r->start, &r->end);
}

/* F_GETLK: the first lock in the way of fl, or F_UNLCK. */
static void get_lock(const struct rreq *r, struct linux_flock *fl)
{
	struct rlock *c;

	spin_lock(&rlock_lock);
	c = conflict(r);
	if (!c) {
		fl->l_type = F_UNLCK;
	} else {
		fl->l_type = c->write ? F_WRLCK : F_RDLCK;
		fl->l_whence = SEEK_SET;
		fl->l_start = (int64_t)c->start;
		fl->l_len = c->end == LOCK_EOF ? 0
					       : (int64_t)(c->end - c->start + 1);
		fl->l_pid = c->pid;
	}
	spin_unlock(&rlock_lock);
}

long posix_lock_fcntl(struct proc *proc, struct file *f, unsigned int cmd,
		      uptr_t arg)
{
	bool ofd = cmd == F_OFD_GETLK || cmd == F_OFD_SETLK ||
		   cmd == F_OFD_SETLKW;
	bool get = cmd == F_GETLK || cmd == F_OFD_GETLK;
	struct linux_flock fl;
	struct rreq r;
	const void *blocker;
	long err;

	if (copy_from_user(&fl, arg, sizeof(fl)))
		return -EFAULT;
	if (f->flags & O_PATH)
		return -EBADF;
	vfs_lock();
	err = make_request(proc, f, &fl, ofd, get, &r);
	vfs_unlock();
	if (err)
		return err;
	if (get) {
		get_lock(&r, &fl);
		return copy_to_user(arg, &fl, sizeof(fl));
	}
	if (cmd == F_SETLKW || cmd == F_OFD_SETLKW)
		return set_wait(&r);
	return try_set(&r, &blocker);
}
