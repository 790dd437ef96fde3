/*
 * eventfd2 (and x86-64's eventfd): a 64-bit counter as a file. A write
 * of 8 bytes adds to it (blocking, or -EAGAIN, while the sum would pass
 * 2^64 - 2; the value 2^64 - 1 is -EINVAL); a read of 8 bytes or more
 * takes it and sets it to 0, or with EFD_SEMAPHORE takes 1; a read of a
 * zero counter blocks (or -EAGAIN). POLLIN while the counter is not 0,
 * POLLOUT while 1 more fits. The file is an anonymous inode (fstat: mode
 * 0600 and no type, as Linux's anon_inode).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>
#include <svc/event.h>
#include <svc/fdtable.h>
#include <svc/poll.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

#include "event_internal.h"

#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_FLAGS (EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK)
#define EVENTFD_MAX (UINT64_MAX - 1)

struct eventfd {
	struct spinlock lock;
	struct waitq wq; /* readers and writers, and polls */
	uint64_t count;  /* atomic reads outside the lock */
	bool semaphore;
};

static uint64_t count_of(struct eventfd *e)
{
	return __atomic_load_n(&e->count, __ATOMIC_ACQUIRE);
}

static void set_count(struct eventfd *e, uint64_t v)
{
	__atomic_store_n(&e->count, v, __ATOMIC_RELEASE);
}

/* Takes what a read gets, or 0 when the counter is 0. */
static uint64_t take(struct eventfd *e)
{
	uint64_t got;

	spin_lock(&e->lock);
	got = e->semaphore && e->count ? 1 : e->count;
	set_count(e, e->count - got);
	spin_unlock(&e->lock);
	return got;
}

static ssize_t eventfd_read(struct file *f, uptr_t buf, size_t len,
			    uint64_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t got;

	if (len < sizeof(got))
		return -EINVAL;
	while (!(got = take(e))) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (WAITQ_WAIT_EVENT_UNTIL(&e->wq, count_of(e) != 0,
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
			return -ERESTARTSYS;
	}
	waitq_wake(&e->wq, UINT32_MAX, POLLOUT | POLLWRNORM);
	/* As Linux, a bad buffer loses what was taken. */
	if (copy_to_user(buf, &got, sizeof(got)))
		return -EFAULT;
	return sizeof(got);
}

/* Adds v if it fits; whether it did. */
static bool add(struct eventfd *e, uint64_t v)
{
	bool fits;

	spin_lock(&e->lock);
	fits = EVENTFD_MAX - e->count >= v;
	if (fits)
		set_count(e, e->count + v);
	spin_unlock(&e->lock);
	return fits;
}

static ssize_t eventfd_write(struct file *f, uptr_t buf, size_t len,
			     uint64_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	if (len < sizeof(v))
		return -EINVAL;
	if (copy_from_user(&v, buf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	while (!add(e, v)) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (WAITQ_WAIT_EVENT_UNTIL(&e->wq,
					   EVENTFD_MAX - count_of(e) >= v,
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
			return -ERESTARTSYS;
	}
	/* Even a write of 0 wakes, as Linux's: an edge-triggered epoll
	 * reports it again. */
	waitq_wake(&e->wq, UINT32_MAX, POLLIN | POLLRDNORM);
	return sizeof(v);
}

static uint32_t eventfd_poll(struct file *f, struct poll_table *pt)
{
	struct eventfd *e = f->priv;
	uint64_t c;
	uint32_t mask = 0;

	poll_wait(pt, &e->wq);
	c = count_of(e);
	/* Linux's eventfd_poll sets no RDNORM or WRNORM. */
	if (c)
		mask |= POLLIN;
	if (c == UINT64_MAX)
		mask |= POLLERR;
	if (c < EVENTFD_MAX)
		mask |= POLLOUT;
	return mask;
}

static void eventfd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops eventfd_ops = {
	.anon_name = "[eventfd]",
	.own_lock = true,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.llseek = event_noop_llseek,
	.release = eventfd_release,
};

long event_sys_eventfd2(struct proc *proc, unsigned int initval, int flags)
{
	struct eventfd *e;
	struct file *f;
	int err;

	if (flags & ~EFD_FLAGS)
		return -EINVAL;
	e = kzalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	spin_init(&e->lock, "eventfd");
	waitq_init(&e->wq, "eventfd");
	e->count = initval;
	e->semaphore = flags & EFD_SEMAPHORE;
	err = event_anon_file(O_RDWR | (flags & O_NONBLOCK), &eventfd_ops, e,
			      &f);
	if (err) {
		kfree(e);
		return err;
	}
	return fd_install(proc, f, 0, flags & EFD_CLOEXEC);
}

SYSCALL_DEFINE2(eventfd2, unsigned int, initval, int, flags)
{
	return event_sys_eventfd2(proc, initval, flags);
}
