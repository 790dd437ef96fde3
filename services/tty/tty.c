/*
 * The terminal core (tty_core.h): what a file open on any tty does, the
 * console (console.c) and the pty slaves (pty.c) alike. Reads sleep
 * (interruptibly; the file ops are own_lock, called without vfs_lock)
 * until the line discipline has what canonical mode or VMIN/VTIME asks
 * for; writes go out through OPOST processing, as much at a time as the
 * driver takes (a pty slave's writer waits for its master to read).
 *
 * Job control (ioctl_tty(2)): a process in a background group of the
 * terminal that controls it gets SIGTTIN when it reads (EIO when it
 * ignores or blocks it), and SIGTTOU when it writes with TOSTOP set or
 * changes the settings. The stop action does not exist yet, so a
 * background read whose SIGTTIN is at its default action sends it and
 * fails with EIO instead of waiting to be continued.
 *
 * A hung-up tty (a pty slave whose master closed) behaves as Linux's
 * hung_up_tty_fops: read is 0, write and ioctl -EIO (TIOCSPGRP -ENOTTY),
 * poll everything; a read or write that was waiting when it hung up
 * fails with -EIO (n_tty's TTY_OTHER_CLOSED check).
 *
 * One lock (tty->lock, a spinlock: the console's interrupt handler takes
 * it) guards the line discipline, the window size and the session
 * fields. It is never held while user memory is copied.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>

#include "tty_core.h"
#include "tty_internal.h"

#define WRITE_CHUNK 2048 /* Linux's tty chunk (iterate_tty_write) */

static void ld_output(void *arg, const char *buf, size_t len)
{
	struct tty *t = arg;

	t->drv->output(t, buf, len);
}

/* A signal character: its signal to the foreground group. Called with
 * the tty's lock held (job_lock nests inside it). */
static void ld_signal(void *arg, int sig)
{
	struct tty *t = arg;

	if (t->fg_pgrp)
		job_signal_pgrp(t->fg_pgrp, sig);
}

static const struct ldisc_ops tty_ldisc_ops = {
	.output = ld_output,
	.signal = ld_signal,
};

void tty_setup(struct tty *t, const struct tty_driver *drv, const char *name)
{
	spin_init(&t->lock, name);
	ldisc_init(&t->ld, &tty_ldisc_ops, t);
	waitq_init(&t->read_wq, name);
	waitq_init(&t->write_wq, name);
	memset(&t->ws, 0, sizeof(t->ws));
	t->session = t->fg_pgrp = 0;
	t->hung_up = false;
	t->refs = 1;
	t->drv = drv;
}

void tty_get(struct tty *t)
{
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

void tty_put(struct tty *t)
{
	if (!__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) && t->drv->free)
		t->drv->free(t);
}

bool tty_can_receive(struct tty *t)
{
	return !t->hung_up && ldisc_can_receive(&t->ld);
}

static bool hung_up(struct tty *t)
{
	bool hung;

	spin_lock(&t->lock);
	hung = t->hung_up;
	spin_unlock(&t->lock);
	return hung;
}

/* ---- Job control checks --------------------------------------------- */

static uint64_t sig_handler(const struct proc *p, int sig)
{
	return p->sighand->action[sig - 1].sa_handler;
}

/* Blocked by the calling thread (p's). */
static bool sig_blocked(const struct proc *p, int sig)
{
	const struct thread *t = thread_current();

	return t && t->proc == p && (t->sig.blocked & SIG_BIT(sig));
}

/*
 * Whether the calling process may go on reading (sig SIGTTIN) or writing
 * (SIGTTOU) the terminal t: 0 when it is not in a background group of t's
 * session; otherwise Linux's __tty_check_change: SIGTTOU ignored or
 * blocked lets it go on, SIGTTIN so fails with -EIO; else the signal goes
 * to its group and the call restarts once a handler ran (-ERESTARTSYS),
 * or fails with -EIO at the default action (see the file comment).
 */
static int job_check(struct tty *t, int sig)
{
	struct proc *p = proc_current();
	struct job_info ji;
	int fg;

	if (!job_get(p, &ji) || ji.ctty != t)
		return 0;
	spin_lock(&t->lock);
	fg = t->fg_pgrp;
	spin_unlock(&t->lock);
	if (!fg || ji.pgid == fg)
		return 0;
	if (sig_handler(p, sig) == SIG_IGN || sig_blocked(p, sig))
		return sig == SIGTTIN ? -EIO : 0;
	job_signal_pgrp(ji.pgid, sig);
	return sig_handler(p, sig) == SIG_DFL ? -EIO : -ERESTARTSYS;
}

/* ---- read ----------------------------------------------------------- */

/* Takes up to len bytes into kbuf under the lock; *canon says whether the
 * read is line-based, *eof whether an EOF mark ended it. */
static size_t take_input(struct tty *t, char *kbuf, size_t len, bool *canon,
			 bool *eof)
{
	size_t n = 0;

	*eof = false;
	*canon = t->ld.tio.c_lflag & ICANON;
	if (ldisc_readable(&t->ld))
		n = ldisc_read(&t->ld, kbuf, len, eof);
	return n;
}

/* Sleeps until input arrives, the tty hangs up, deadline_ns passes or a
 * signal comes: 0 (recheck), -ETIMEDOUT or -EINTR. */
static int wait_input(struct tty *t, uint64_t deadline_ns)
{
	struct waiter w;
	bool ready;
	int err = 0;

	waitq_prepare_flags(&t->read_wq, &w, WAIT_INTERRUPTIBLE);
	spin_lock(&t->lock);
	ready = ldisc_readable(&t->ld) != 0 || t->hung_up;
	spin_unlock(&t->lock);
	if (!ready)
		err = waitq_sleep_until(&w, deadline_ns);
	waitq_finish(&t->read_wq, &w);
	return err;
}

/* One pass of a read: takes what there is into kbuf and says whether the
 * read is complete (*done) and until when it may wait (*deadline). */
static size_t read_pass(struct tty *t, char *kbuf, size_t chunk,
			struct ldisc_read_state *st, bool *done,
			uint64_t *deadline, bool *hung)
{
	bool canon, eof;
	size_t n;

	*deadline = WAIT_FOREVER;
	spin_lock(&t->lock);
	n = take_input(t, kbuf, MIN(chunk, st->want - st->got), &canon, &eof);
	if (n)
		st->last_ns = time_now_ns();
	st->got += n;
	if (canon)
		*done = n || eof || st->got;
	else
		*done = ldisc_read_done(&t->ld, st, time_now_ns(), deadline);
	*hung = t->hung_up;
	spin_unlock(&t->lock);
	return n;
}

ssize_t tty_read(struct tty *t, struct file *f, uptr_t buf, size_t len)
{
	size_t chunk = MIN(len, (size_t)LDISC_BUF);
	struct ldisc_read_state st = { .want = len };
	ssize_t ret;
	char *kbuf;
	int err;

	if (hung_up(t))
		return 0;
	if (!len)
		return 0;
	err = job_check(t, SIGTTIN);
	if (err)
		return err;
	kbuf = kmalloc(chunk);
	if (!kbuf)
		return -ENOMEM;
	st.start_ns = st.last_ns = time_now_ns();
	for (;;) {
		uint64_t deadline;
		bool done, hung;
		size_t n = read_pass(t, kbuf, chunk, &st, &done, &deadline,
				     &hung);

		if (n && t->drv->input_taken)
			t->drv->input_taken(t);
		if (n && copy_to_user(uptr_add(buf, st.got - n), kbuf, n)) {
			st.got -= n;
			ret = st.got ? (ssize_t)st.got : -EFAULT;
			break;
		}
		if (done) {
			ret = (ssize_t)st.got;
			break;
		}
		if (hung) {
			ret = st.got ? (ssize_t)st.got : -EIO;
			break;
		}
		if (f->flags & O_NONBLOCK) {
			ret = st.got ? (ssize_t)st.got : -EAGAIN;
			break;
		}
		err = wait_input(t, deadline);
		if (err == -EINTR) {
			ret = st.got ? (ssize_t)st.got : -ERESTARTSYS;
			break;
		}
	}
	kfree(kbuf);
	return ret;
}

/* ---- write ---------------------------------------------------------- */

/* Puts what fits of kbuf's n bytes out now, under the lock: how many,
 * with *hung saying whether the tty hung up. */
static size_t put_output(struct tty *t, const char *kbuf, size_t n,
			 bool *hung)
{
	size_t took = 0;

	spin_lock(&t->lock);
	*hung = t->hung_up;
	if (!*hung)
		took = ldisc_write_some(&t->ld, kbuf, n,
					t->drv->write_room
						? t->drv->write_room(t)
						: SIZE_MAX);
	spin_unlock(&t->lock);
	if (took && t->drv->output_done)
		t->drv->output_done(t);
	return took;
}

/* Writes some of kbuf's n bytes, waiting for room unless O_NONBLOCK:
 * how many (> 0), -EAGAIN, -EIO (hung up) or -ERESTARTSYS. */
static ssize_t write_some(struct tty *t, struct file *f, const char *kbuf,
			  size_t n)
{
	for (;;) {
		struct waiter w;
		bool hung;
		size_t took = put_output(t, kbuf, n, &hung);
		int err;

		if (took)
			return (ssize_t)took;
		if (hung)
			return -EIO;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		waitq_prepare_flags(&t->write_wq, &w, WAIT_INTERRUPTIBLE);
		took = put_output(t, kbuf, n, &hung);
		err = took || hung ? 0 : waitq_sleep(&w);
		waitq_finish(&t->write_wq, &w);
		if (took)
			return (ssize_t)took;
		if (err == -EINTR)
			return -ERESTARTSYS;
	}
}

/* Writes in chunks, each copied whole before any of it goes out, so no
 * byte past a bad page is written. */
ssize_t tty_write(struct tty *t, struct file *f, uptr_t buf, size_t len)
{
	size_t chunk_size = MIN(len, (size_t)WRITE_CHUNK);
	size_t done = 0;
	ssize_t err = 0;
	char *chunk;

	if (hung_up(t))
		return -EIO;
	if (!len)
		return 0;
	if (t->ld.tio.c_lflag & TOSTOP) {
		err = job_check(t, SIGTTOU);
		if (err)
			return err;
	}
	chunk = kmalloc(chunk_size);
	if (!chunk)
		return -ENOMEM;
	while (done < len && !err) {
		size_t n = MIN(len - done, chunk_size), off = 0;

		if (copy_from_user(chunk, uptr_add(buf, done), n)) {
			err = -EFAULT;
			break;
		}
		while (off < n) {
			err = write_some(t, f, chunk + off, n - off);
			if (err < 0)
				break;
			off += (size_t)err;
			err = 0;
		}
		done += off;
	}
	kfree(chunk);
	return done ? (ssize_t)done : err;
}

/* ---- ioctl ---------------------------------------------------------- */

static long get_termios(struct tty *t, uptr_t arg, bool two)
{
	struct linux_termios2 tio2 = { 0 };

	spin_lock(&t->lock);
	memcpy(&tio2, &t->ld.tio, sizeof(t->ld.tio));
	spin_unlock(&t->lock);
	tio2.c_ispeed = tio2.c_ospeed = 38400;
	if (copy_to_user(arg, &tio2, two ? sizeof(tio2)
					 : sizeof(struct linux_termios)))
		return -EFAULT;
	return 0;
}

/* TCSETS*: TCSETSW waits for output to drain (it never waits: output is
 * synchronous), TCSETSF also drops unread input. */
static long set_termios(struct tty *t, uptr_t arg, bool two, bool flush)
{
	struct linux_termios2 tio2;
	int err = job_check(t, SIGTTOU);

	if (err)
		return err;
	if (copy_from_user(&tio2, arg, two ? sizeof(tio2)
					   : sizeof(struct linux_termios)))
		return -EFAULT;
	spin_lock(&t->lock);
	if (flush)
		ldisc_flush_input(&t->ld);
	ldisc_set_termios(&t->ld, (struct linux_termios *)&tio2);
	spin_unlock(&t->lock);
	/* New VMIN/VTIME or ICANON may satisfy a sleeping reader; a flush
	 * or a canonical line made readable may let a writer of input on. */
	waitq_wake_all(&t->read_wq);
	if (t->drv->input_taken)
		t->drv->input_taken(t);
	return 0;
}

static long set_winsize(struct tty *t, uptr_t arg)
{
	struct linux_winsize ws;
	bool changed;
	int fg;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	spin_lock(&t->lock);
	changed = memcmp(&ws, &t->ws, sizeof(ws)) != 0;
	t->ws = ws;
	fg = t->fg_pgrp;
	spin_unlock(&t->lock);
	if (changed && fg)
		job_signal_pgrp(fg, SIGWINCH);
	return 0;
}

static long get_winsize(struct tty *t, uptr_t arg)
{
	struct linux_winsize ws;

	spin_lock(&t->lock);
	ws = t->ws;
	spin_unlock(&t->lock);
	return copy_to_user(arg, &ws, sizeof(ws)) ? -EFAULT : 0;
}

/* An int argument, at any alignment (copy_u32_to_user). */
static long put_int(uptr_t arg, int v)
{
	return copy_u32_to_user(arg, (uint32_t)v) ? -EFAULT : 0;
}

/* The caller's job state with t as its controlling terminal, else
 * -ENOTTY (TIOCGPGRP, TIOCSPGRP, TIOCGSID on a terminal that is not the
 * caller's). */
static int own_ctty(struct tty *t, struct job_info *ji)
{
	if (!job_get(proc_current(), ji) || ji->ctty != t)
		return -ENOTTY;
	return 0;
}

static long set_pgrp(struct tty *t, uptr_t arg)
{
	struct job_info ji;
	uint32_t pgrp;
	int err = own_ctty(t, &ji);

	if (!err)
		err = job_check(t, SIGTTOU);
	if (err)
		return err;
	if (copy_from_user(&pgrp, arg, sizeof(pgrp)))
		return -EFAULT;
	if ((int)pgrp < 0)
		return -EINVAL;
	if (!job_pgrp_in_session((int)pgrp, ji.sid))
		return -EPERM;
	spin_lock(&t->lock);
	if (t->session != ji.sid) {
		spin_unlock(&t->lock);
		return -ENOTTY;
	}
	t->fg_pgrp = (int)pgrp;
	spin_unlock(&t->lock);
	return 0;
}

/* TIOCGPGRP, TIOCGSID: of the caller's terminal, or of a pty's slave
 * through its master (peer) for anyone; a terminal without a session
 * has no TIOCGSID (-ENOTTY). */
static long get_job_field(struct tty *t, uptr_t arg, bool sid, bool peer)
{
	struct job_info ji;
	int err = peer ? 0 : own_ctty(t, &ji);
	int v;

	if (err)
		return err;
	spin_lock(&t->lock);
	v = sid ? t->session : t->fg_pgrp;
	spin_unlock(&t->lock);
	if (sid && !v)
		return -ENOTTY;
	return put_int(arg, v);
}

/* TIOCSCTTY: a session leader without a terminal takes t, unless another
 * session has it (root may steal it with arg 1). */
static long set_ctty(struct tty *t, unsigned long arg)
{
	struct proc *p = proc_current();
	struct job_info ji;
	int old;

	if (!job_get(p, &ji))
		return -EPERM;
	if (ji.ctty == t)
		return 0;
	if (ji.sid != p->pid || ji.ctty)
		return -EPERM;
	spin_lock(&t->lock);
	old = t->session;
	if (t->hung_up || (old && old != ji.sid && arg != 1)) {
		spin_unlock(&t->lock);
		return -EPERM;
	}
	t->session = ji.sid;
	t->fg_pgrp = ji.pgid;
	if (old && old != ji.sid)
		job_drop_session_ctty(old, t);
	/* Under the lock, so a hang-up (tty_hangup) clears it after. */
	job_set_ctty(p, t);
	spin_unlock(&t->lock);
	return 0;
}

void tty_open_ctty(struct tty *t, struct file *f)
{
	struct proc *p = proc_current();
	struct job_info ji;

	if ((f->flags & O_NOCTTY) || !job_get(p, &ji))
		return;
	if (ji.sid != p->pid || ji.ctty)
		return;
	spin_lock(&t->lock);
	if (!t->session && !t->hung_up) {
		t->session = ji.sid;
		t->fg_pgrp = ji.pgid;
		job_set_ctty(p, t); /* under the lock: see set_ctty */
	}
	spin_unlock(&t->lock);
}

/* TIOCNOTTY: gives up t; a session leader takes it from its whole
 * session and hangs up its foreground group (SIGHUP, SIGCONT). */
static long drop_ctty(struct tty *t)
{
	struct proc *p = proc_current();
	struct job_info ji;
	int fg, err = own_ctty(t, &ji);

	if (err)
		return err;
	if (ji.sid != p->pid) {
		job_set_ctty(p, NULL);
		return 0;
	}
	spin_lock(&t->lock);
	fg = t->fg_pgrp;
	t->session = 0;
	t->fg_pgrp = 0;
	spin_unlock(&t->lock);
	if (fg) {
		job_signal_pgrp(fg, SIGHUP);
		job_signal_pgrp(fg, SIGCONT);
	}
	job_drop_session_ctty(ji.sid, t);
	return 0;
}

void tty_hangup(struct tty *t)
{
	int sid;

	spin_lock(&t->lock);
	t->hung_up = true;
	sid = t->session;
	t->session = 0;
	t->fg_pgrp = 0;
	spin_unlock(&t->lock);
	job_tty_hangup(t, sid);
	waitq_wake_all(&t->read_wq);
	waitq_wake_all(&t->write_wq);
}

void tty_leader_exit(struct tty *t, int sid)
{
	int fg = 0;

	spin_lock(&t->lock);
	if (t->session == sid) {
		fg = t->fg_pgrp;
		t->session = 0;
		t->fg_pgrp = 0;
	}
	spin_unlock(&t->lock);
	if (fg)
		job_signal_pgrp(fg, SIGHUP);
	job_drop_session_ctty(sid, t);
}

static long flush(struct tty *t, unsigned long how)
{
	if (how > TCIOFLUSH)
		return -EINVAL;
	spin_lock(&t->lock);
	if (how != TCOFLUSH)
		ldisc_flush_input(&t->ld);
	if (t->drv->flushed)
		t->drv->flushed(t, (unsigned)how);
	spin_unlock(&t->lock);
	if (how != TCOFLUSH && t->drv->input_taken)
		t->drv->input_taken(t);
	if (t->drv->flushed && t->drv->output_done)
		t->drv->output_done(t);
	return 0;
}

long tty_ioctl_peer(struct tty *t, unsigned int cmd, unsigned long arg)
{
	uptr_t uarg = uptr(arg);

	switch (cmd) {
	case TCGETS:
	case TCGETS2:
		return get_termios(t, uarg, cmd == TCGETS2);
	case TCSETS:
	case TCSETSW:
	case TCSETS2:
	case TCSETSW2:
		return set_termios(t, uarg, cmd == TCSETS2 || cmd == TCSETSW2,
				   false);
	case TCSETSF:
	case TCSETSF2:
		return set_termios(t, uarg, cmd == TCSETSF2, true);
	case TIOCGWINSZ:
		return get_winsize(t, uarg);
	case TIOCSWINSZ:
		return set_winsize(t, uarg);
	case TIOCGPGRP:
		return get_job_field(t, uarg, false, true);
	case TIOCGSID:
		return get_job_field(t, uarg, true, true);
	case TIOCSPGRP:
		return set_pgrp(t, uarg);
	case TIOCSCTTY:
		return set_ctty(t, arg);
	default:
		return -ENOIOCTLCMD;
	}
}

long tty_ioctl(struct tty *t, struct file *f, unsigned int cmd,
	       unsigned long arg)
{
	uptr_t uarg = uptr(arg);
	size_t n;
	long err;

	if (hung_up(t))
		return cmd == TIOCSPGRP ? -ENOTTY : -EIO;
	switch (cmd) {
	case TIOCGPGRP:
		return get_job_field(t, uarg, false, false);
	case TIOCGSID:
		return get_job_field(t, uarg, true, false);
	case TIOCNOTTY:
		return drop_ctty(t);
	case FIONREAD:
		spin_lock(&t->lock);
		n = ldisc_readable(&t->ld);
		spin_unlock(&t->lock);
		return put_int(uarg, (int)n);
	case TIOCOUTQ:
		return put_int(uarg, 0); /* output is synchronous */
	case TCFLSH:
		return flush(t, arg);
	case TCSBRK:
		return 0; /* no break to send */
	case TCXONC: /* TCOOFF, TCOON, TCIOFF, TCION: no output to hold */
		return arg <= 3 ? 0 : -EINVAL;
	default:
		err = tty_ioctl_peer(t, cmd, arg);
		return err == -ENOIOCTLCMD ? -ENOTTY : err;
	}
}

/* Readable when a read would not wait: a line (canonical), VMIN bytes
 * (non-canonical without VTIME), or any byte (with VTIME), as Linux's
 * n_tty_poll; writable when the driver takes output; a hung-up tty is
 * everything, as Linux's hung_up_tty_poll. */
uint32_t tty_poll(struct tty *t, struct poll_table *pt)
{
	uint32_t mask = 0;
	size_t need = 1;

	poll_wait(pt, &t->read_wq);
	poll_wait(pt, &t->write_wq);
	spin_lock(&t->lock);
	if (t->hung_up) {
		spin_unlock(&t->lock);
		return POLLIN | POLLOUT | POLLERR | POLLHUP | POLLRDNORM |
		       POLLWRNORM;
	}
	if (!(t->ld.tio.c_lflag & ICANON) && !t->ld.tio.c_cc[VTIME] &&
	    t->ld.tio.c_cc[VMIN] > 1)
		need = t->ld.tio.c_cc[VMIN];
	if (ldisc_readable(&t->ld) >= need)
		mask |= POLLIN | POLLRDNORM;
	if (!t->drv->write_room || t->drv->write_room(t) >= LDISC_OUT_MAX)
		mask |= POLLOUT | POLLWRNORM;
	spin_unlock(&t->lock);
	return mask;
}
