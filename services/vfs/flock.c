/*
 * flock(2): advisory whole-file locks held by open files (Linux's
 * flock_lock_inode), shared or exclusive. A lock belongs to the open
 * file, so dups share it and two opens of one file conflict even in one
 * process; the last close of the file drops it (vfs_file_put calls
 * flock_file_closed). Changing a lock's kind first drops the old one, as
 * Linux: a conversion that cannot be had with LOCK_NB leaves none.
 * Waiting is interruptible (-ERESTARTSYS). One spinlock guards the list
 * of all locks; waiters sleep on one queue that every unlock wakes.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/list.h>
#include <keel/sync.h>
#include <svc/fdtable.h>
#include <svc/posix_lock.h>
#include <svc/service.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

#define LOCK_MAND 32 /* Linux's old mandatory locks: ignored, 0 */

struct flock_entry {
	struct list_head link;
	struct inode *inode;
	struct file *file;
	bool exclusive;
};

static struct spinlock flock_lock = SPINLOCK_INIT("flock");
static struct list_head flocks = LIST_HEAD_INIT(flocks);
static struct waitq flock_wait;

static int flock_init(void)
{
	waitq_init(&flock_wait, "flock");
	return 0;
}
SERVICE_INIT(flock, SVC_LEVEL_FS, flock_init);

/* The lock f holds, or NULL (flock_lock held). */
static struct flock_entry *held_by(struct file *f)
{
	struct list_head *pos;

	list_for_each(pos, &flocks) {
		struct flock_entry *e = list_entry(pos, struct flock_entry, link);

		if (e->file == f)
			return e;
	}
	return NULL;
}

/* Whether another file's lock on f's inode stands in the way of a lock
 * of the kind asked (flock_lock held). */
static bool conflicts(struct file *f, bool exclusive)
{
	struct list_head *pos;

	list_for_each(pos, &flocks) {
		struct flock_entry *e = list_entry(pos, struct flock_entry, link);

		if (e->inode == f->inode && e->file != f &&
		    (exclusive || e->exclusive))
			return true;
	}
	return false;
}

/* Drops f's lock, if any, and wakes the waiters. */
static void unlock_file(struct file *f)
{
	struct flock_entry *e;

	spin_lock(&flock_lock);
	e = held_by(f);
	if (e)
		list_del(&e->link);
	spin_unlock(&flock_lock);
	if (e) {
		kfree(e);
		waitq_wake_all(&flock_wait);
	}
}

void flock_file_closed(struct file *f)
{
	unlock_file(f);
	ofd_locks_closed(f);
}

/* Takes the lock into e if nothing conflicts; whether it did. */
static bool try_lock(struct file *f, struct flock_entry *e)
{
	bool ok;

	spin_lock(&flock_lock);
	ok = !conflicts(f, e->exclusive);
	if (ok)
		list_add_tail(&e->link, &flocks);
	spin_unlock(&flock_lock);
	return ok;
}

static bool lockable(struct file *f, bool exclusive)
{
	bool free;

	spin_lock(&flock_lock);
	free = !conflicts(f, exclusive);
	spin_unlock(&flock_lock);
	return free;
}

static long lock_file(struct file *f, bool exclusive, bool nonblock)
{
	struct flock_entry *e = kzalloc(sizeof(*e));

	if (!e)
		return -ENOMEM;
	e->inode = f->inode;
	e->file = f;
	e->exclusive = exclusive;
	unlock_file(f); /* a conversion drops the old kind first */
	while (!try_lock(f, e)) {
		if (nonblock ||
		    WAITQ_WAIT_EVENT_UNTIL(&flock_wait, lockable(f, exclusive),
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER)) {
			kfree(e);
			return nonblock ? -EAGAIN : -ERESTARTSYS;
		}
	}
	return 0;
}

SYSCALL_DEFINE2(flock, unsigned int, fd, unsigned int, operation)
{
	unsigned cmd = operation & ~(unsigned)LOCK_NB;
	struct file *f = fd_get(proc, (int)fd);
	long err;

	if (!f)
		return -EBADF;
	if (f->flags & O_PATH)
		err = -EBADF;
	else if (cmd & LOCK_MAND)
		err = 0;
	else if (cmd == LOCK_UN)
		err = (unlock_file(f), 0);
	else if (cmd == LOCK_SH || cmd == LOCK_EX)
		err = lock_file(f, cmd == LOCK_EX, operation & LOCK_NB);
	else
		err = -EINVAL;
	fd_put(f);
	return err;
}
