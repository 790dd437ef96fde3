/*
 * pipe2 (and x86-64's pipe, services/arch/x86_64/event_legacy.c) and the
 * pipe's size (F_SETPIPE_SZ: any power-of-two number of slots up to 2^31
 * bytes, as for root on Linux): making the two ends on one anonymous
 * pipefs inode, and resizing the ring.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/pipe.h>
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

long pipe_resize(struct pipe *p, unsigned long arg)
{
	struct pipe_slot *slots;
	unsigned n = 1;
	long ret;

	if (arg > (1ul << 31))
		return -EINVAL;
	while ((size_t)n * PIPE_SLOT < arg)
		n *= 2;
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
