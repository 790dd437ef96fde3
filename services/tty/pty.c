/*
 * Unix98 pseudo-terminals, after Linux's drivers/tty/pty.c: each open of
 * /dev/ptmx (5:2) makes a pty, a master file and a slave tty (tty_core.h)
 * whose device node /dev/pts/N (136:N, <svc/devpts.h>) exists while the
 * master is open. The slave is locked at first (its opens fail with -EIO)
 * until TIOCSPTLCK unlocks it; TIOCGPTN names N; TIOCGPTPEER opens the
 * slave from the master.
 *
 * Data: what the master writes is the slave's input, through the slave's
 * line discipline (echo, signals, canonical editing); what the slave
 * writes (after OPOST) and its echo wait in a buffer the master reads.
 * A writer that finds no room waits (O_NONBLOCK: -EAGAIN), so no written
 * byte is lost: the master's writes stop where the slave's line
 * discipline is full (ldisc_receive_some), the slave's where the master's
 * buffer is; only echo that finds the buffer full is dropped, as Linux's.
 * The master's termios ioctls, window size and job-control queries act on
 * the slave (tty_ioctl_peer), as Linux's.
 *
 * Closing: when the last slave file closes, the master reads what is
 * left and then -EIO, and polls POLLHUP, until a slave opens again. When
 * the master closes, its node goes, the slave hangs up (tty_hangup: its
 * session leader gets SIGHUP and SIGCONT) and the pty is freed with the
 * last slave file.
 *
 * Packet mode (TIOCPKT): each master read starts with a status byte,
 * TIOCPKT_DATA before data, or alone TIOCPKT_FLUSHREAD / FLUSHWRITE after
 * the slave flushed its input / output (TCFLSH); the flow-control
 * statuses never come (Keel has no IXON flow control).
 *
 * Locking: the slave tty's lock guards the whole pty (the buffer, the
 * counts, the lock flag); the table of ptys and the nodes go with
 * vfs_lock, which opens and the master's release hold.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/devices.h>
#include <svc/devpts.h>
#include <svc/fdtable.h>
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/tty.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>

#include "tty_core.h"

#define PTY_BUF 8192  /* the slave's output waiting for the master */
#define PTY_CHUNK 2048 /* bytes a master read or write moves at once */

struct pty {
	struct tty slave;
	char *buf;         /* PTY_BUF bytes, the slave's output */
	size_t head, tail; /* free-running counters into buf */
	struct waitq master_read_wq;  /* master readers and pollers */
	struct waitq master_write_wq; /* master writers, for slave room */
	struct dentry *node; /* /dev/pts/N */
	unsigned index;
	unsigned slave_opens;
	bool locked;       /* TIOCSPTLCK: slave opens -EIO */
	bool slave_closed; /* opened once, none open now */
	bool packet;       /* TIOCPKT */
	uint8_t pkt_status; /* TIOCPKT_FLUSH* for the master's next read */
};

static struct pty *ptys[PTY_MAX]; /* vfs_lock */

static struct pty *pty_of(struct tty *t)
{
	return container_of(t, struct pty, slave);
}

static size_t buf_used(const struct pty *p)
{
	return p->head - p->tail;
}

/* ---- The slave's driver ----------------------------------------------- */

static void slave_output(struct tty *t, const char *data, size_t len)
{
	struct pty *p = pty_of(t);
	size_t n = MIN(len, PTY_BUF - buf_used(p));

	for (size_t i = 0; i < n; i++)
		p->buf[(p->head + i) % PTY_BUF] = data[i];
	p->head += n;
}

static size_t slave_write_room(struct tty *t)
{
	return PTY_BUF - buf_used(pty_of(t));
}

static void slave_output_done(struct tty *t)
{
	waitq_wake_all(&pty_of(t)->master_read_wq);
}

static void slave_input_taken(struct tty *t)
{
	waitq_wake_all(&pty_of(t)->master_write_wq);
}

/* Counts an open of the slave; -EIO while locked or after the master
 * went (Linux's pty_open). */
static int slave_attach(struct tty *t)
{
	struct pty *p = pty_of(t);
	int err = 0;

	spin_lock(&t->lock);
	if (p->locked || t->hung_up)
		err = -EIO;
	else {
		p->slave_opens++;
		p->slave_closed = false;
	}
	spin_unlock(&t->lock);
	return err;
}

static void slave_detach(struct tty *t)
{
	struct pty *p = pty_of(t);

	spin_lock(&t->lock);
	if (!--p->slave_opens)
		p->slave_closed = true;
	spin_unlock(&t->lock);
	waitq_wake_all(&p->master_read_wq);
}

static void slave_flushed(struct tty *t, unsigned how)
{
	struct pty *p = pty_of(t);

	/* Lock held. Linux's pty_flush_buffer and TCFLSH's packet note. */
	if (!p->packet)
		return;
	if (how != TCOFLUSH)
		p->pkt_status |= TIOCPKT_FLUSHREAD;
	if (how != TCIFLUSH)
		p->pkt_status |= TIOCPKT_FLUSHWRITE;
}

static void pty_free(struct tty *t)
{
	struct pty *p = pty_of(t);

	kfree(p->buf);
	kfree(p);
}

static const struct tty_driver slave_driver = {
	.output = slave_output,
	.write_room = slave_write_room,
	.output_done = slave_output_done,
	.input_taken = slave_input_taken,
	.flushed = slave_flushed,
	.open = slave_attach,
	.close = slave_detach,
	.free = pty_free,
	.leader_exit_frees = true,
};

/* ---- The slave's files (136:N) ---------------------------------------- */

/* Opens pty N's slave (vfs_lock held): the pty whose node it is. */
static int slave_file_open(struct file *f)
{
	unsigned index = DEV_MINOR(f->inode->rdev);
	struct pty *p = index < PTY_MAX ? ptys[index] : NULL;
	int err;

	if (!p)
		return -ENXIO;
	tty_get(&p->slave);
	err = slave_attach(&p->slave);
	if (err) {
		tty_put(&p->slave);
		return err;
	}
	f->priv = &p->slave;
	tty_open_ctty(&p->slave, f);
	return 0;
}

static void slave_file_release(struct file *f)
{
	struct tty *t = f->priv;

	if (!t)
		return; /* its open failed */
	slave_detach(t);
	tty_put(t);
}

const struct file_ops pty_slave_ops = {
	.own_lock = true,
	.open = slave_file_open,
	.release = slave_file_release,
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
	.poll = tty_file_poll,
};

/* ---- The master: open and close --------------------------------------- */

static int free_index(void)
{
	for (unsigned i = 0; i < PTY_MAX; i++)
		if (!ptys[i])
			return (int)i;
	return -ENOSPC; /* Linux's answer past kernel.pty.max */
}

/* The slave starts with Linux's pts init_termios: tty_std_termios with
 * c_cflag B38400 | CS8 | CREAD. */
static void slave_termios(struct tty *t)
{
	t->ld.tio.c_cflag = B38400 | CS8 | CREAD;
}

/* /dev/ptmx (vfs_lock held): a new pty, its slave locked, its node owned
 * by the opener. */
static int master_open(struct file *f)
{
	int index = free_index();
	struct pty *p;

	if (index < 0)
		return index;
	p = kzalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->buf = kmalloc(PTY_BUF);
	p->node = devpts_pty_new((unsigned)index, cred_current_fs());
	if (!p->buf || !p->node) {
		devpts_pty_kill(p->node);
		kfree(p->buf);
		kfree(p);
		return -ENOMEM;
	}
	tty_setup(&p->slave, &slave_driver, "pty");
	slave_termios(&p->slave);
	waitq_init(&p->master_read_wq, "pty master read");
	waitq_init(&p->master_write_wq, "pty master write");
	p->index = (unsigned)index;
	p->locked = true;
	ptys[index] = p;
	f->priv = p; /* the reference tty_setup made */
	return 0;
}

/* The master's last file went (vfs_lock held): the node and the index go,
 * the slave hangs up, and the pty goes with its last slave file. */
static void master_release(struct file *f)
{
	struct pty *p = f->priv;

	if (!p)
		return; /* its open failed */
	ptys[p->index] = NULL;
	devpts_pty_kill(p->node);
	p->node = NULL;
	tty_hangup(&p->slave);
	tty_put(&p->slave);
}

/* ---- The master: read, write, poll ------------------------------------ */

/* Takes up to len bytes of the slave's output into kbuf, with packet
 * mode's status byte in front; -EAGAIN when there is none, -EIO when
 * there is none and no slave is open. Lock held. */
static ssize_t master_take(struct pty *p, char *kbuf, size_t len)
{
	size_t n, off = 0;

	if (p->packet && p->pkt_status) {
		kbuf[0] = (char)p->pkt_status;
		p->pkt_status = 0;
		return 1;
	}
	if (!buf_used(p))
		return p->slave_closed ? -EIO : -EAGAIN;
	if (p->packet) {
		kbuf[off++] = TIOCPKT_DATA;
		len--;
	}
	n = MIN(len, buf_used(p));
	for (size_t i = 0; i < n; i++)
		kbuf[off + i] = p->buf[(p->tail + i) % PTY_BUF];
	p->tail += n;
	return (ssize_t)(off + n);
}

static ssize_t master_take_locked(struct pty *p, char *kbuf, size_t len)
{
	ssize_t n;

	spin_lock(&p->slave.lock);
	n = master_take(p, kbuf, len);
	spin_unlock(&p->slave.lock);
	if (n > 0)
		waitq_wake_all(&p->slave.write_wq);
	return n;
}

/* Reads what the slave wrote: what there is (raw, as the master's own
 * termios), waiting for some unless O_NONBLOCK. */
static ssize_t master_read(struct file *f, uptr_t buf, size_t len,
			   uint64_t *pos)
{
	struct pty *p = f->priv;
	ssize_t n;
	char *kbuf;

	if (!len)
		return 0;
	len = MIN(len, (size_t)PTY_CHUNK);
	kbuf = kmalloc(len);
	if (!kbuf)
		return -ENOMEM;
	for (;;) {
		struct waiter w;
		int err = 0;

		n = master_take_locked(p, kbuf, len);
		if (n != -EAGAIN || (f->flags & O_NONBLOCK))
			break;
		waitq_prepare_flags(&p->master_read_wq, &w,
				    WAIT_INTERRUPTIBLE);
		n = master_take_locked(p, kbuf, len);
		if (n == -EAGAIN)
			err = waitq_sleep(&w);
		waitq_finish(&p->master_read_wq, &w);
		if (n != -EAGAIN)
			break;
		if (err == -EINTR) {
			n = -ERESTARTSYS;
			break;
		}
	}
	if (n > 0 && copy_to_user(buf, kbuf, (size_t)n))
		n = -EFAULT;
	kfree(kbuf);
	return n;
}

/* Gives the slave's line discipline what it takes of kbuf's n bytes: how
 * many, with the wake-ups of the slave's readers and of the master's
 * (echo). */
static size_t master_put(struct pty *p, const char *kbuf, size_t n)
{
	size_t took;

	spin_lock(&p->slave.lock);
	took = ldisc_receive_some(&p->slave.ld, kbuf, n);
	spin_unlock(&p->slave.lock);
	if (took) {
		waitq_wake_all(&p->slave.read_wq);
		waitq_wake_all(&p->master_read_wq);
	}
	return took;
}

static bool slave_can_receive(struct pty *p)
{
	bool can;

	spin_lock(&p->slave.lock);
	can = tty_can_receive(&p->slave);
	spin_unlock(&p->slave.lock);
	return can;
}

/* Waits until the slave's line discipline takes input again: 0 or
 * -ERESTARTSYS. */
static int master_wait_room(struct pty *p)
{
	struct waiter w;
	int err = 0;

	waitq_prepare_flags(&p->master_write_wq, &w, WAIT_INTERRUPTIBLE);
	if (!slave_can_receive(p))
		err = waitq_sleep(&w);
	waitq_finish(&p->master_write_wq, &w);
	return err == -EINTR ? -ERESTARTSYS : 0;
}

/* Writes the slave's input, in chunks copied whole first; waits while
 * its line discipline is full unless O_NONBLOCK. */
static ssize_t master_write(struct file *f, uptr_t buf, size_t len,
			    uint64_t *pos)
{
	struct pty *p = f->priv;
	size_t done = 0;
	int err = 0;
	char *kbuf;

	if (!len)
		return 0;
	kbuf = kmalloc(PTY_CHUNK);
	if (!kbuf)
		return -ENOMEM;
	while (done < len && !err) {
		size_t n = MIN(len - done, (size_t)PTY_CHUNK), off = 0;

		if (copy_from_user(kbuf, uptr_add(buf, done), n)) {
			err = -EFAULT;
			break;
		}
		while (off < n) {
			size_t took = master_put(p, kbuf + off, n - off);

			off += took;
			if (took)
				continue;
			if (f->flags & O_NONBLOCK)
				err = -EAGAIN;
			else
				err = master_wait_room(p);
			if (err)
				break;
		}
		done += off;
	}
	kfree(kbuf);
	return done ? (ssize_t)done : err;
}

/* Readable when the slave wrote something (or packet mode has a status:
 * POLLPRI too); POLLHUP once the slave closed; writable while the slave
 * takes input, as Linux's n_tty_poll on the master. */
static uint32_t master_poll(struct file *f, struct poll_table *pt)
{
	struct pty *p = f->priv;
	uint32_t mask = 0;

	poll_wait(pt, &p->master_read_wq);
	poll_wait(pt, &p->master_write_wq);
	spin_lock(&p->slave.lock);
	if (buf_used(p))
		mask |= POLLIN | POLLRDNORM;
	if (p->packet && p->pkt_status)
		mask |= POLLPRI | POLLIN | POLLRDNORM;
	if (p->slave_closed)
		mask |= POLLHUP;
	if (tty_can_receive(&p->slave))
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&p->slave.lock);
	return mask;
}

/* ---- The master: ioctl ------------------------------------------------ */

/* TIOCGPTPEER: a new file on the slave, opened with flags as open(2)
 * would (O_NOCTTY or not), found from the master's own place as Linux's
 * devpts_mntget: the node N of the devpts on "pts" beside the ptmx it
 * was opened through (or beside it, for /dev/pts/ptmx). */
static long open_peer(struct file *master, struct pty *p, unsigned long flags)
{
	struct path start = { master->path.mnt, master->path.dentry->parent };
	struct file *slave = NULL;
	struct path sp;
	char name[16];
	int err;

	ksnprintf(name, sizeof(name), devpts_owns(master->inode) ? "%u"
								   : "pts/%u",
		  p->index);
	vfs_lock();
	err = vfs_lookup(&start, name, 0, &sp);
	if (!err) {
		if (sp.dentry != p->node)
			err = -ENODEV;
		else
			err = vfs_file_alloc(&sp, (uint32_t)flags & ~O_CREAT,
					     &slave);
		vfs_path_put(&sp);
	}
	if (!err) {
		slave->fops = &pty_slave_ops;
		err = slave_file_open(slave);
		if (err)
			vfs_file_put(slave);
	}
	vfs_unlock();
	if (err)
		return err;
	return fd_install(proc_current(), slave, 0, flags & O_CLOEXEC);
}

/* Plain copies: an int argument may be unaligned (see tty.c). */
static long get_int(uptr_t arg, int *v)
{
	return copy_from_user(v, arg, sizeof(*v)) ? -EFAULT : 0;
}

static long put_int(uptr_t arg, int v)
{
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

/* TIOCSPTLCK (packet false) and TIOCPKT (true): sets the lock or packet
 * mode from the int at arg; entering packet mode forgets old statuses. */
static long set_flag(struct pty *p, uptr_t arg, bool packet)
{
	int v;
	long err = get_int(arg, &v);

	if (err)
		return err;
	spin_lock(&p->slave.lock);
	if (!packet)
		p->locked = v != 0;
	else if (v && !p->packet)
		p->pkt_status = 0;
	if (packet)
		p->packet = v != 0;
	spin_unlock(&p->slave.lock);
	return 0;
}

/* TCFLSH on the master: TCIFLUSH drops what the slave wrote; the output
 * side has nothing waiting (Linux's pty_flush_buffer). */
static long master_flush(struct pty *p, unsigned long how)
{
	if (how > TCIOFLUSH)
		return -EINVAL;
	if (how != TCOFLUSH) {
		spin_lock(&p->slave.lock);
		p->tail = p->head;
		spin_unlock(&p->slave.lock);
		waitq_wake_all(&p->slave.write_wq);
	}
	return 0;
}

static long master_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pty *p = f->priv;
	uptr_t uarg = uptr(arg);
	size_t n;
	long err;

	switch (cmd) {
	case TIOCGPTN:
		return put_int(uarg, (int)p->index);
	case TIOCSPTLCK:
		return set_flag(p, uarg, false);
	case TIOCGPTLCK:
		return put_int(uarg, p->locked);
	case TIOCGPTPEER:
		return open_peer(f, p, arg);
	case TIOCPKT:
		return set_flag(p, uarg, true);
	case TIOCGPKT:
		return put_int(uarg, p->packet);
	case FIONREAD:
		spin_lock(&p->slave.lock);
		n = buf_used(p);
		spin_unlock(&p->slave.lock);
		return put_int(uarg, (int)n);
	case TCFLSH:
		return master_flush(p, arg);
	case TIOCOUTQ:
		return put_int(uarg, 0);
	case TCSBRK:
		return 0;
	case TCXONC:
		return arg <= 3 ? 0 : -EINVAL;
	default:
		err = tty_ioctl_peer(&p->slave, cmd, arg);
		return err == -ENOIOCTLCMD ? -ENOTTY : err;
	}
}

const struct file_ops pty_master_ops = {
	.own_lock = true,
	.open = master_open,
	.release = master_release,
	.read = master_read,
	.write = master_write,
	.ioctl = master_ioctl,
	.poll = master_poll,
};
