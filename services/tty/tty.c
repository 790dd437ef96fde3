/*
 * The console terminal: the machine's console (the HAL's, through
 * console_read/console_write) behind a line discipline (ldisc.c), as the
 * character devices /dev/console (5:1) and /dev/tty (5:0). Input arrives
 * by interrupt (IRQ_CONSOLE): the handler drains the console into the
 * line discipline, which echoes and raises ^C/^\/^Z in the foreground
 * process group, and wakes readers and pollers. Reads sleep
 * (interruptibly; the file ops are own_lock, called without vfs_lock) until the line discipline has what canonical mode or
 * VMIN/VTIME asks for; writes go out through OPOST processing.
 *
 * Job control (ioctl_tty(2)): a process in a background group of the
 * terminal that controls it gets SIGTTIN when it reads (EIO when it
 * ignores or blocks it), and SIGTTOU when it writes with TOSTOP set or
 * changes the settings. The stop action does not exist yet, so a
 * background read whose SIGTTIN is at its default action sends it and
 * fails with EIO instead of waiting to be continued.
 *
 * One lock (tty->lock, a spinlock: the interrupt handler takes it) guards
 * the line discipline, the window size and the session fields. It is
 * never held while user memory is copied.
 *
 * /dev/tty opens the console for a process whose controlling terminal it
 * is, and is -ENXIO for one without (tty_current_open).
 *
 * The window size starts as the machine's terminal's, when it has one
 * (console_winsize: the host's window on hosted; 0x0 on a serial line),
 * and follows its resizes, which raise IRQ_CONSOLE; TIOCSWINSZ sets it.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/irq.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/ldisc.h>
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <svc/signal.h>
#include <svc/tty.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>
#include <uapi/termios.h>

#include "tty_internal.h"

#define WRITE_CHUNK 2048 /* Linux's tty chunk (iterate_tty_write) */
#define INPUT_CHUNK 64

struct tty {
	struct spinlock lock;
	struct ldisc ld;
	struct waitq read_wq; /* readers waiting for input */
	struct linux_winsize ws;
	unsigned host_rows, host_cols; /* the machine's last size (0: none) */
	int session;  /* the session it controls, 0: none */
	int fg_pgrp;  /* its foreground process group, 0: none */
	bool ready;
};

static struct tty console;

static void console_out(void *arg, const char *buf, size_t len)
{
	console_write(buf, len);
}

/* A signal character: its signal to the foreground group. Called with
 * the tty's lock held (job_lock nests inside it). */
static void console_signal(void *arg, int sig)
{
	struct tty *t = arg;

	if (t->fg_pgrp)
		job_signal_pgrp(t->fg_pgrp, sig);
}

static const struct ldisc_ops console_ldisc_ops = {
	.output = console_out,
	.signal = console_signal,
};

/* Sets the console up on first use (boot, or the first process). */
static struct tty *console_tty(void)
{
	struct tty *t = &console;

	if (!__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE)) {
		spin_init(&t->lock, "console tty");
		ldisc_init(&t->ld, &console_ldisc_ops, t);
		waitq_init(&t->read_wq, "console read");
		__atomic_store_n(&t->ready, true, __ATOMIC_RELEASE);
	}
	return t;
}

struct tty *tty_console_acquire(int sid, int pgid)
{
	struct tty *t = console_tty();

	spin_lock(&t->lock);
	t->session = sid;
	t->fg_pgrp = pgid;
	spin_unlock(&t->lock);
	return t;
}

/* Takes a new size of the machine's terminal (the host's window on
 * hosted) into the window size, and SIGWINCH to the foreground group. */
static void console_size_check(struct tty *t)
{
	unsigned rows, cols;
	bool changed;
	int fg;

	if (console_winsize(&rows, &cols))
		return;
	spin_lock(&t->lock);
	changed = rows != t->host_rows || cols != t->host_cols;
	if (changed) {
		t->host_rows = rows;
		t->host_cols = cols;
		t->ws.ws_row = (uint16_t)rows;
		t->ws.ws_col = (uint16_t)cols;
	}
	fg = t->fg_pgrp;
	spin_unlock(&t->lock);
	if (changed && fg)
		job_signal_pgrp(fg, SIGWINCH);
}

/* Drains the console into the line discipline and wakes readers; a
 * resize of the machine's terminal comes this way too. */
static void console_irq(unsigned line, void *arg)
{
	struct tty *t = arg;
	char buf[INPUT_CHUNK];
	size_t n;

	console_size_check(t);
	while ((n = console_read(buf, sizeof(buf))) > 0) {
		spin_lock(&t->lock);
		ldisc_receive(&t->ld, buf, n);
		spin_unlock(&t->lock);
	}
	waitq_wake_all(&t->read_wq);
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

/* Sleeps until input arrives, deadline_ns passes or a signal comes:
 * 0 (recheck), -ETIMEDOUT or -EINTR. */
static int wait_input(struct tty *t, uint64_t deadline_ns)
{
	struct waiter w;
	bool readable;
	int err = 0;

	waitq_prepare_flags(&t->read_wq, &w, WAIT_INTERRUPTIBLE);
	spin_lock(&t->lock);
	readable = ldisc_readable(&t->ld) != 0;
	spin_unlock(&t->lock);
	if (!readable)
		err = waitq_sleep_until(&w, deadline_ns);
	waitq_finish(&t->read_wq, &w);
	return err;
}

static ssize_t tty_read(struct file *f, uptr_t buf, size_t len,
			uint64_t *pos)
{
	struct tty *t = console_tty();
	size_t chunk = MIN(len, (size_t)LDISC_BUF);
	struct ldisc_read_state st = { .want = len };
	ssize_t ret;
	char *kbuf;
	int err;

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
		uint64_t deadline = WAIT_FOREVER;
		bool canon, eof, done;
		size_t n;

		spin_lock(&t->lock);
		n = take_input(t, kbuf, MIN(chunk, len - st.got), &canon,
			       &eof);
		if (n)
			st.last_ns = time_now_ns();
		st.got += n;
		if (canon)
			done = n || eof;
		else
			done = ldisc_read_done(&t->ld, &st, time_now_ns(),
					       &deadline);
		spin_unlock(&t->lock);
		if (n && copy_to_user(uptr_add(buf, st.got - n), kbuf, n)) {
			st.got -= n;
			ret = st.got ? (ssize_t)st.got : -EFAULT;
			break;
		}
		if (done || (canon && st.got)) {
			ret = (ssize_t)st.got;
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

/* Writes in chunks, each copied whole before any of it goes out, so no
 * byte past a bad page is written. */
static ssize_t tty_write(struct file *f, uptr_t buf, size_t len,
			 uint64_t *pos)
{
	struct tty *t = console_tty();
	size_t chunk_size = MIN(len, (size_t)WRITE_CHUNK);
	size_t done = 0;
	char *chunk;

	if (!len)
		return 0;
	if (t->ld.tio.c_lflag & TOSTOP) {
		int err = job_check(t, SIGTTOU);

		if (err)
			return err;
	}
	chunk = kmalloc(chunk_size);
	if (!chunk)
		return -ENOMEM;
	while (done < len) {
		size_t n = MIN(len - done, chunk_size);

		if (copy_from_user(chunk, uptr_add(buf, done), n))
			break;
		spin_lock(&t->lock);
		ldisc_write(&t->ld, chunk, n);
		spin_unlock(&t->lock);
		done += n;
	}
	kfree(chunk);
	return done ? (ssize_t)done : -EFAULT;
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
	/* New VMIN/VTIME or ICANON may satisfy a sleeping reader. */
	waitq_wake_all(&t->read_wq);
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

static long put_int(uptr_t arg, int v)
{
	return put_user_u32(arg, (uint32_t)v) ? -EFAULT : 0;
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
	if (get_user_u32(&pgrp, arg))
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
	if (old && old != ji.sid && arg != 1) {
		spin_unlock(&t->lock);
		return -EPERM;
	}
	t->session = ji.sid;
	t->fg_pgrp = ji.pgid;
	spin_unlock(&t->lock);
	if (old && old != ji.sid)
		job_drop_session_ctty(old, t);
	job_set_ctty(p, t);
	return 0;
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

static long flush(struct tty *t, unsigned long how)
{
	if (how > TCIOFLUSH)
		return -EINVAL;
	if (how != TCOFLUSH) {
		spin_lock(&t->lock);
		ldisc_flush_input(&t->ld);
		spin_unlock(&t->lock);
	}
	return 0;
}

static long tty_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct tty *t = console_tty();
	uptr_t uarg = uptr(arg);
	struct job_info ji;
	long err;
	size_t n;

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
		spin_lock(&t->lock);
		struct linux_winsize ws = t->ws;
		spin_unlock(&t->lock);
		return copy_to_user(uarg, &ws, sizeof(ws)) ? -EFAULT : 0;
	case TIOCSWINSZ:
		return set_winsize(t, uarg);
	case TIOCGPGRP:
		err = own_ctty(t, &ji);
		return err ? err : put_int(uarg, t->fg_pgrp);
	case TIOCGSID:
		err = own_ctty(t, &ji);
		return err ? err : put_int(uarg, t->session);
	case TIOCSPGRP:
		return set_pgrp(t, uarg);
	case TIOCSCTTY:
		return set_ctty(t, arg);
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
		return -ENOTTY;
	}
}

/* Readable when a read would not wait: a line (canonical), VMIN bytes
 * (non-canonical without VTIME), or any byte (with VTIME), as Linux's
 * n_tty_poll; always writable (output is synchronous). */
static uint32_t tty_poll(struct file *f, struct poll_table *pt)
{
	struct tty *t = console_tty();
	uint32_t mask = POLLOUT | POLLWRNORM;
	size_t need = 1;

	poll_wait(pt, &t->read_wq);
	spin_lock(&t->lock);
	if (!(t->ld.tio.c_lflag & ICANON) && !t->ld.tio.c_cc[VTIME] &&
	    t->ld.tio.c_cc[VMIN] > 1)
		need = t->ld.tio.c_cc[VMIN];
	if (ldisc_readable(&t->ld) >= need)
		mask |= POLLIN | POLLRDNORM;
	spin_unlock(&t->lock);
	return mask;
}

const struct file_ops tty_console_ops = {
	.own_lock = true, /* the tty's lock; reads sleep */
	.poll = tty_poll,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
};

/* /dev/tty: the caller's controlling terminal, which can only be the
 * console; none is -ENXIO. The kernel's own opens pass. */
static int tty_current_open(struct file *f)
{
	struct proc *p = proc_current();
	struct job_info ji;

	(void)f;
	if (!p)
		return 0;
	if (!job_get(p, &ji) || !ji.ctty)
		return -ENXIO;
	return 0;
}

const struct file_ops tty_current_ops = {
	.own_lock = true,
	.poll = tty_poll,
	.read = tty_read,
	.write = tty_write,
	.ioctl = tty_ioctl,
	.open = tty_current_open,
};

/* Console input starts at boot, with the terminal devices. */
static int tty_init(void)
{
	struct tty *t = console_tty();
	int err = irq_register(IRQ_CONSOLE, console_irq, t);

	if (err)
		pr_warn("tty: no console input (%s)\n", errno_name(err));
	/* Bytes that came before the handler raise nothing on bare metal. */
	console_irq(IRQ_CONSOLE, t);
	return 0;
}

SERVICE_INIT(tty, SVC_LEVEL_DEV, tty_init);
