/*
 * pipe2 (and x86-64's pipe, services/arch/x86_64/event_legacy.c) and the
 * pipe's size (F_SETPIPE_SZ: any power-of-two number of slots up to 2^31
 * bytes, growing past pipe-max-size for root only, as Linux's
 * CAP_SYS_RESOURCE): making the two ends on one anonymous pipefs inode,
 * and resizing the ring.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/cred.h>
#include <svc/fdtable.h>
#include <svc/pipe.h>
#include <svc/proc.h>
#include <svc/poll.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>

#include "pipe_internal.h"

/* O_NOTIFICATION_PIPE (= O_EXCL), which Keel does not support. */
#define PIPE2_FLAGS (O_CLOEXEC | O_NONBLOCK | O_DIRECT)

/* The pseudo file system of pipe inodes (fstat shows its st_dev). */
static struct super_block pipefs = { .dev = 0x0c,
				     .fs_name = "pipefs",
				     .magic = PIPEFS_MAGIC };

int pipe_create(uint32_t flags, struct file *ends[2])
{
	struct pipe *p = pipe_new();
	struct inode *i = p ? vfs_anon_inode(&pipefs, S_IFIFO | 0600) : NULL;
	uint32_t status = flags & (O_NONBLOCK | O_DIRECT);
	int err = -ENOMEM;

	ends[0] = ends[1] = NULL;
	if (i) {
		err = vfs_file_anon_alloc(i, O_RDONLY | status, &fifo_file_ops,
					  p, &ends[0]);
		if (!err)
			err = vfs_file_anon_alloc(i, O_WRONLY | status,
						  &fifo_file_ops, p, &ends[1]);
		vfs_inode_put(i); /* the files hold it */
	}
	if (err) {
		/* Without release: neither end was counted yet. */
		for (int k = 0; k < 2; k++)
			if (ends[k]) {
				ends[k]->priv = NULL;
				vfs_file_put(ends[k]);
			}
		if (p)
			pipe_free_slots(p->slots, p->nslots);
		kfree(p);
		return err;
	}
	/* Reopening the inode (/proc/self/fd/N) joins this pipe, as a fifo's
	 * open does; pipe_put unhooks it. */
	p->fifo = ends[0]->inode;
	p->fifo->pipe = p;
	p->readers = p->writers = 1;
	/* As Linux's get_pipe_inode: readers see POLLHUP once the writer
	 * goes (their f->version 0 differs from w_counter). */
	p->r_counter = p->w_counter = 1;
	p->refs = 2;
	return 0;
}

static size_t max_size = 1u << 20;

/* Linux's round_pipe_size in slots: a power of two, at least one; 0 over
 * 2^31 bytes. */
static unsigned round_slots(uint64_t size)
{
	unsigned n = 1;

	if (size > (1ul << 31))
		return 0;
	while ((size_t)n * PIPE_SLOT < size)
		n *= 2;
	return n;
}

size_t pipe_max_size(void)
{
	return __atomic_load_n(&max_size, __ATOMIC_RELAXED);
}

int pipe_set_max_size(uint64_t size)
{
	unsigned n = round_slots(size);

	if (!n || !size)
		return -EINVAL;
	__atomic_store_n(&max_size, (size_t)n * PIPE_SLOT, __ATOMIC_RELAXED);
	return 0;
}

/* Linux's pipe_set_size rule: growing past pipe-max-size needs
 * CAP_SYS_RESOURCE (root here); keeping or shrinking a size never does. */
static bool may_grow(struct pipe *p, unsigned n)
{
	struct proc *me = proc_current();

	if (n <= pipe_load_u(&p->nslots) ||
	    (size_t)n * PIPE_SLOT <= pipe_max_size())
		return true;
	return !me || cred_proc_capable(me);
}

long pipe_resize(struct pipe *p, unsigned long arg)
{
	struct pipe_slot *slots;
	unsigned n = round_slots(arg);
	long ret;

	if (!n)
		return -EINVAL;
	if (!may_grow(p, n))
		return -EPERM;
	slots = kcalloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	pipe_lock(p);
	if (p->used > n) {
		ret = -EBUSY;
	} else {
		/* The slots in use, oldest first, at the start of the new
		 * ring. */
		for (unsigned k = 0; k < p->used; k++)
			slots[k] = p->slots[(p->tail + k) % p->nslots];
		kfree(p->slots);
		p->slots = slots;
		slots = NULL;
		p->tail = 0;
		pipe_store_u(&p->nslots, n);
		ret = (long)n * PIPE_SLOT;
	}
	pipe_unlock(p);
	kfree(slots);
	if (ret > 0)
		waitq_wake(&p->wr_wait, UINT32_MAX, POLLOUT | POLLWRNORM);
	return ret;
}

long pipe_sys_pipe2(struct proc *proc, uptr_t fds, int flags)
{
	struct file *ends[2];
	int32_t nums[2];
	long err;

	if (flags & ~PIPE2_FLAGS)
		return -EINVAL;
	vfs_lock();
	err = pipe_create((uint32_t)flags, ends);
	vfs_unlock();
	if (err)
		return err;
	nums[0] = fd_install(proc, ends[0], 0, flags & O_CLOEXEC);
	if (nums[0] < 0) {
		fd_put(ends[1]);
		return nums[0];
	}
	nums[1] = fd_install(proc, ends[1], 0, flags & O_CLOEXEC);
	if (nums[1] < 0) {
		fd_close(proc, nums[0]);
		return nums[1];
	}
	if (copy_to_user(fds, nums, sizeof(nums))) {
		fd_close(proc, nums[0]);
		fd_close(proc, nums[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(pipe2, uptr_t, fds, int, flags)
{
	return pipe_sys_pipe2(proc, fds, flags);
}
