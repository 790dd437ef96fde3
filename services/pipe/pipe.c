/*
 * The pipe: a ring of page slots (svc/pipe.h) and the file_ops both ends of a
 * pipe(2) and every open fifo share. The ops lock the pipe themselves
 * (file_ops.own_lock): a blocked reader or writer sleeps on the pipe's
 * queue with no lock held. Sleep conditions read the counters with
 * atomic loads; every change of them is made under the pipe's mutex with
 * atomic stores, then the queue is woken with the poll events that became
 * ready (svc/poll.h), so a blocked read, a poll and an epoll watch all
 * see it.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <svc/pipe.h>
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/siginfo.h>

#include "pipe_internal.h"

size_t pipe_load(const size_t *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

void pipe_store(size_t *v, size_t x)
{
	__atomic_store_n(v, x, __ATOMIC_RELEASE);
}

unsigned pipe_load_u(const unsigned *v)
{
	return __atomic_load_n(v, __ATOMIC_ACQUIRE);
}

void pipe_store_u(unsigned *v, unsigned x)
{
	__atomic_store_n(v, x, __ATOMIC_RELEASE);
}

void pipe_lock(struct pipe *p)
{
	if (task_current())
		mutex_lock(&p->lock);
}

void pipe_unlock(struct pipe *p)
{
	if (task_current())
		mutex_unlock(&p->lock);
}

struct pipe *pipe_new(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->slots = kcalloc(PIPE_DEF_SLOTS, sizeof(*p->slots));
	if (!p->slots) {
		kfree(p);
		return NULL;
	}
	mutex_init(&p->lock, "pipe");
	waitq_init(&p->rd_wait, "pipe read");
	waitq_init(&p->wr_wait, "pipe write");
	waitq_init(&p->open_wait, "fifo open");
	p->nslots = PIPE_DEF_SLOTS;
	return p;
}

void pipe_free_slots(struct pipe_slot *slots, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		kfree(slots[k].page);
	kfree(slots);
}

void pipe_put(struct pipe *p)
{
	if (--p->refs)
		return;
	if (p->fifo)
		p->fifo->pipe = NULL;
	pipe_free_slots(p->slots, p->nslots);
	kfree(p);
}

static struct pipe_slot *slot_at(struct pipe *p, unsigned k)
{
	return &p->slots[(p->tail + k) % p->nslots];
}

/* The other end of a copy into or out of the slots: user memory (read,
 * write) or kernel memory (splice, tee, sendfile): k to copy into, kc to
 * copy from. */
struct pbuf {
	uptr_t u;
	char *k;
	const char *kc;
};

static struct pbuf pbuf_add(struct pbuf b, size_t off)
{
	if (b.k)
		b.k += off;
	else if (b.kc)
		b.kc += off;
	else
		b.u = uptr_add(b.u, off);
	return b;
}

/* Short copies, as copy_to_user_partial / copy_from_user_partial. */
static ssize_t pbuf_out(struct pbuf dst, const void *src, size_t n)
{
	if (!dst.k)
		return copy_to_user_partial(dst.u, src, n);
	memcpy(dst.k, src, n);
	return (ssize_t)n;
}

static ssize_t pbuf_in(void *dst, struct pbuf src, size_t n)
{
	if (!src.kc)
		return copy_from_user_partial(dst, src.u, n);
	memcpy(dst, src.kc, n);
	return (ssize_t)n;
}

/* tee's copy: up to n bytes of the slots, oldest first, left in place
 * (a packet alone). Pipe locked, not empty. */
static ssize_t slots_peek(struct pipe *p, char *buf, size_t n)
{
	size_t done = 0;

	for (unsigned k = 0; k < p->used && done < n; k++) {
		struct pipe_slot *s = slot_at(p, k);
		size_t want = MIN(n - done, (size_t)s->len);

		memcpy(buf + done, s->page + s->off, want);
		done += want;
		if (!s->merge)
			break;
	}
	return (ssize_t)done;
}

/* Copies up to n bytes out of the slots to the user, oldest first, a
 * packet alone; the count, or -EFAULT when not even the first byte went.
 * Pipe locked, not empty. */
static ssize_t slots_to_user(struct pipe *p, struct pbuf buf, size_t n)
{
	size_t done = 0;

	while (done < n && p->used) {
		struct pipe_slot *s = slot_at(p, 0);
		size_t want = MIN(n - done, (size_t)s->len);
		ssize_t got = pbuf_out(pbuf_add(buf, done), s->page + s->off,
				       want);
		bool packet = !s->merge;
		size_t dropped;

		if (got < 0)
			break;
		s->off += (uint16_t)got;
		s->len -= (uint16_t)got;
		dropped = packet ? s->len : 0; /* a packet's rest goes */
		s->len -= (uint16_t)dropped;
		pipe_store(&p->bytes, p->bytes - (size_t)got - dropped);
		done += (size_t)got;
		if (!s->len) {
			kfree(s->page);
			s->page = NULL;
			p->tail = (p->tail + 1) % p->nslots;
			pipe_store_u(&p->used, p->used - 1);
		}
		if ((size_t)got < want || packet)
			break;
	}
	return done ? (ssize_t)done : -EFAULT;
}

static bool readable(struct pipe *p)
{
	return pipe_load_u(&p->used) || !pipe_load_u(&p->writers);
}

/* read's work, into user or kernel memory, taking the bytes (or only
 * looking at them: peek, kernel memory only). */
static ssize_t read_buf(struct file *f, struct pbuf buf, size_t count,
			bool nonblock, bool peek)
{
	struct pipe *p = f->priv;
	ssize_t n;

	for (;;) {
		pipe_lock(p);
		if (p->used) {
			/* Writers sleep only on a full pipe: as Linux's
			 * pipe_read, only a read from a full one wakes them
			 * (an edge-triggered EPOLLOUT sees no other edge). */
			bool was_full = p->used >= p->nslots;

			n = peek ? slots_peek(p, buf.k, count)
				 : slots_to_user(p, buf, count);
			pipe_unlock(p);
			if (n > 0 && !peek && was_full)
				waitq_wake(&p->wr_wait, UINT32_MAX,
					   POLLOUT | POLLWRNORM);
			return n;
		}
		n = p->writers ? -EAGAIN : 0;
		pipe_unlock(p);
		if (!n || nonblock)
			return n;
		if (WAITQ_WAIT_EVENT_UNTIL(&p->rd_wait, readable(p),
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
			return -ERESTARTSYS;
	}
}

static ssize_t pipe_read(struct file *f, uptr_t buf, size_t count,
			 uint64_t *pos)
{
	if (pos != &f->pos)
		return -ESPIPE; /* pread on a pipe */
	return read_buf(f, (struct pbuf){ .u = buf }, count,
			f->flags & O_NONBLOCK, false);
}

static bool writable(struct pipe *p)
{
	return pipe_load_u(&p->used) < pipe_load_u(&p->nslots) ||
	       !pipe_load_u(&p->readers);
}

/* SIGPIPE to the writing thread (<svc/signal.h>). */
static void raise_sigpipe(void)
{
	signal_send_sigpipe();
}

/* Tops up the newest slot with the first part of a write, as Linux: the
 * write's length modulo a page, when that fits behind its data. Returns
 * the bytes copied (0: no merge), or -EFAULT. */
static ssize_t merge_tail(struct pipe *p, struct pbuf buf, size_t total)
{
	size_t chars = total % PIPE_SLOT;
	struct pipe_slot *s;
	ssize_t got;

	if (!chars || !p->used)
		return 0;
	s = slot_at(p, p->used - 1);
	if (!s->merge || s->off + s->len + chars > PIPE_SLOT)
		return 0;
	got = pbuf_in(s->page + s->off + s->len, buf, chars);
	if (got < 0)
		return got;
	s->len += (uint16_t)got;
	pipe_store(&p->bytes, p->bytes + (size_t)got);
	return (size_t)got < chars ? -EFAULT : got;
}

/* Fills one fresh slot from the user (pipe locked, one free): the bytes
 * copied, or -ENOMEM / -EFAULT. */
static ssize_t fill_slot(struct pipe *p, struct pbuf buf, size_t left,
			 bool packet)
{
	struct pipe_slot *s = slot_at(p, p->used);
	size_t want = MIN(left, (size_t)PIPE_SLOT);
	ssize_t got;

	s->page = kmalloc(PIPE_SLOT);
	if (!s->page)
		return -ENOMEM;
	got = pbuf_in(s->page, buf, want);
	if (got <= 0) {
		kfree(s->page);
		s->page = NULL;
		return got < 0 ? got : -EFAULT;
	}
	s->off = 0;
	s->len = (uint16_t)got;
	s->merge = !packet;
	pipe_store_u(&p->used, p->used + 1);
	pipe_store(&p->bytes, p->bytes + (size_t)got);
	return (size_t)got < want ? -EFAULT : got;
}

/* What may go now of a write (pipe locked): into free slots, after a
 * merge on the first step. The bytes written (0: full), or -EPIPE,
 * -ENOMEM, -EFAULT (with *partial the bytes that went before a fault). */
static ssize_t write_step(struct pipe *p, struct file *f, struct pbuf buf,
			  size_t left, bool first, size_t *partial)
{
	bool packet = f->flags & O_DIRECT;
	size_t done = 0;
	ssize_t n;

	*partial = 0;
	if (!p->readers)
		return -EPIPE;
	if (first && !packet) {
		n = merge_tail(p, buf, left);
		if (n < 0)
			return n;
		done = (size_t)n;
	}
	while (done < left && p->used < p->nslots) {
		n = fill_slot(p, pbuf_add(buf, done), left - done, packet);
		if (n < 0) {
			*partial = done;
			return n;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* write's work, from user or kernel memory. */
static ssize_t write_buf(struct file *f, struct pbuf buf, size_t count,
			 bool nonblock)
{
	struct pipe *p = f->priv;
	size_t done = 0, partial;
	ssize_t n;

	if (!count)
		return 0;
	for (bool first = true;; first = false) {
		pipe_lock(p);
		n = write_step(p, f, pbuf_add(buf, done), count - done, first,
			       &partial);
		pipe_unlock(p);
		/* Sync: a writer next waits for room or for its reader's
		 * answer (a request, a pipeline step), so the reader may run
		 * on this CPU (wake-affine, docs/architecture.md). */
		if (n > 0 || partial)
			waitq_wake_sync(&p->rd_wait, UINT32_MAX,
					POLLIN | POLLRDNORM);
		if (n == -EPIPE)
			raise_sigpipe();
		if (n < 0) {
			done += partial;
			return done ? (ssize_t)done : n;
		}
		done += (size_t)n;
		if (done == count)
			return (ssize_t)done;
		if (nonblock)
			return done ? (ssize_t)done : -EAGAIN;
		if (WAITQ_WAIT_EVENT_UNTIL(&p->wr_wait, writable(p),
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
			return done ? (ssize_t)done : -ERESTARTSYS;
	}
}

static ssize_t pipe_write(struct file *f, uptr_t buf, size_t count,
			  uint64_t *pos)
{
	if (pos != &f->pos)
		return -ESPIPE;
	return write_buf(f, (struct pbuf){ .u = buf }, count,
			 f->flags & O_NONBLOCK);
}

/* ---- For splice, tee and sendfile (svc/pipe.h) ------------------------ */

bool pipe_file(const struct file *f)
{
	return f->fops == &fifo_file_ops && f->priv;
}

ssize_t pipe_kread(struct file *f, void *buf, size_t n, bool nonblock,
		   bool peek)
{
	return read_buf(f, (struct pbuf){ .k = buf }, n, nonblock, peek);
}

ssize_t pipe_kwrite(struct file *f, const void *buf, size_t n, bool nonblock)
{
	return write_buf(f, (struct pbuf){ .kc = buf }, n, nonblock);
}

ssize_t pipe_wait_room(struct file *f, bool nonblock)
{
	struct pipe *p = f->priv;

	for (;;) {
		unsigned free_slots;
		bool readers;

		pipe_lock(p);
		free_slots = p->nslots - p->used;
		readers = p->readers;
		pipe_unlock(p);
		if (!readers) {
			raise_sigpipe();
			return -EPIPE;
		}
		if (free_slots)
			return (ssize_t)free_slots * PIPE_SLOT;
		if (nonblock)
			return -EAGAIN;
		if (WAITQ_WAIT_EVENT_UNTIL(&p->wr_wait, writable(p),
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
			return -ERESTARTSYS;
	}
}

bool pipe_same(const struct file *a, const struct file *b)
{
	return a->priv == b->priv;
}

static uint32_t pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe *p = f->priv;
	uint32_t acc = f->flags & O_ACCMODE, mask = 0;
	unsigned used;

	if (acc != O_WRONLY)
		poll_wait(pt, &p->rd_wait);
	if (acc != O_RDONLY)
		poll_wait(pt, &p->wr_wait);
	used = pipe_load_u(&p->used);
	if (acc != O_WRONLY) {
		if (used)
			mask |= POLLIN | POLLRDNORM;
		/* A fifo reader that never saw a writer is not hung up. */
		if (!pipe_load_u(&p->writers) &&
		    f->version != pipe_load_u(&p->w_counter))
			mask |= POLLHUP;
	}
	if (acc != O_RDONLY) {
		if (used < pipe_load_u(&p->nslots))
			mask |= POLLOUT | POLLWRNORM;
		if (!pipe_load_u(&p->readers))
			mask |= POLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->priv;
	int32_t n;

	if (cmd != FIONREAD)
		return -ENOTTY;
	n = (int32_t)pipe_load(&p->bytes);
	return copy_to_user(uptr(arg), &n, sizeof(n));
}

static long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->priv;

	if (cmd == F_GETPIPE_SZ)
		return (long)pipe_load_u(&p->nslots) * PIPE_SLOT;
	if (cmd == F_SETPIPE_SZ)
		return pipe_resize(p, arg);
	return -EINVAL;
}

static int64_t pipe_llseek(struct file *f, int64_t off, int whence)
{
	return -ESPIPE;
}

/* The last reference to an end: one reader or writer less; the other
 * side learns of it (POLLHUP for readers, POLLERR for writers). vfs_lock
 * is held (for pipe_put). */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	uint32_t acc = f->flags & O_ACCMODE;

	if (!p)
		return; /* a fifo open that failed */
	pipe_lock(p);
	if (acc != O_WRONLY)
		pipe_store_u(&p->readers, p->readers - 1);
	if (acc != O_RDONLY)
		pipe_store_u(&p->writers, p->writers - 1);
	pipe_unlock(p);
	waitq_wake(&p->rd_wait, UINT32_MAX, POLLHUP);
	waitq_wake(&p->wr_wait, UINT32_MAX, POLLERR);
	pipe_put(p);
}

const struct file_ops fifo_file_ops = {
	.own_lock = true,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
	.fcntl = pipe_fcntl,
	.llseek = pipe_llseek,
	.release = pipe_release,
};
