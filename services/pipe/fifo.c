/*
 * Opening a fifo (a named pipe, S_IFIFO on any file system): everyone
 * who opens it shares one pipe, made at the first open and gone (its
 * data too) when the last end closes, as Linux's fifo_open. A reader
 * waits for a writer, a writer for a reader, unless O_NONBLOCK (a writer
 * then gets -ENXIO when there is no reader); O_RDWR never waits.
 */
#include <keel/errno.h>
#include <svc/pipe.h>
#include <svc/poll.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>

#include "pipe_internal.h"

/* The inode's pipe with a reference taken (made if it has none). */
static struct pipe *fifo_pipe(struct inode *i)
{
	struct pipe *p;

	vfs_lock();
	p = i->pipe;
	if (!p) {
		p = pipe_new();
		if (p) {
			p->fifo = i;
			i->pipe = p;
		}
	}
	if (p)
		p->refs++;
	vfs_unlock();
	return p;
}

/* Waits until *counter moves on from what it was (another end opened);
 * -ERESTARTSYS on a signal. The pipe is not locked. */
static int wait_for_partner(struct pipe *p, unsigned *counter, unsigned seen)
{
	if (WAITQ_WAIT_EVENT_UNTIL(&p->open_wait,
				   pipe_load_u(counter) != seen,
				   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
		return -ERESTARTSYS;
	return 0;
}

/* Counts the new end in (pipe locked); -ENXIO for a non-blocking
 * writer without a reader. */
static int add_end(struct pipe *p, struct file *f)
{
	uint32_t acc = f->flags & O_ACCMODE;

	if (acc == O_WRONLY && (f->flags & O_NONBLOCK) && !p->readers)
		return -ENXIO;
	if (acc != O_WRONLY) {
		pipe_store_u(&p->readers, p->readers + 1);
		pipe_store_u(&p->r_counter, p->r_counter + 1);
	}
	if (acc != O_RDONLY) {
		pipe_store_u(&p->writers, p->writers + 1);
		pipe_store_u(&p->w_counter, p->w_counter + 1);
	}
	return 0;
}

/* Takes an end that gave up waiting out again (pipe locked). */
static void drop_end(struct pipe *p, struct file *f)
{
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		pipe_store_u(&p->readers, p->readers - 1);
	else
		pipe_store_u(&p->writers, p->writers - 1);
}

/* Is i an anonymous pipe's inode, opened again through /proc/self/fd?
 * Such an open never waits for a partner, as Linux's fifo_open for
 * pipefs. */
static bool reopened_pipe(const struct inode *i)
{
	return i->sb && i->sb->magic == PIPEFS_MAGIC;
}

int fifo_open(struct file *f)
{
	struct pipe *p = fifo_pipe(f->inode);
	uint32_t acc = f->flags & O_ACCMODE;
	unsigned *partner = NULL, seen = 0;
	int err;

	if (!p)
		return -ENOMEM;
	pipe_lock(p);
	err = add_end(p, f);
	if (!err && reopened_pipe(f->inode)) {
		/* No partner to wait for: the pipe has its ends already. */
	} else if (!err && acc == O_RDONLY && !p->writers) {
		if (f->flags & O_NONBLOCK)
			f->version = p->w_counter; /* no POLLHUP yet */
		else
			partner = &p->w_counter;
	} else if (!err && acc == O_WRONLY && !p->readers) {
		partner = &p->r_counter;
	}
	if (partner)
		seen = *partner;
	pipe_unlock(p);
	if (!err) {
		waitq_wake_all(&p->open_wait);
		f->priv = p;
	}
	if (!err && partner) {
		err = wait_for_partner(p, partner, seen);
		if (err) {
			pipe_lock(p);
			drop_end(p, f);
			pipe_unlock(p);
			waitq_wake(&p->rd_wait, UINT32_MAX, POLLHUP);
			waitq_wake(&p->wr_wait, UINT32_MAX, POLLERR);
		}
	}
	if (err) {
		f->priv = NULL; /* release has nothing to undo */
		vfs_lock();
		pipe_put(p);
		vfs_unlock();
	}
	return err;
}
