/*
 * The console terminal: the machine's console (the HAL's, through
 * console_read/console_write) as a tty (tty_core.h), behind the
 * character devices /dev/console (5:1) and /dev/tty (5:0). Input arrives
 * by interrupt (IRQ_CONSOLE): the handler drains the console into the
 * line discipline, which echoes and raises ^C/^\/^Z in the foreground
 * process group, and wakes readers and pollers. Output is synchronous:
 * the console takes every byte at once.
 *
 * /dev/tty opens the caller's controlling terminal (the console or a pty
 * slave) and is -ENXIO for a process without one (tty_current_open).
 *
 * The window size starts as the machine's terminal's, when it has one
 * (console_winsize: the host's window on hosted; 0x0 on a serial line),
 * and follows its resizes, which raise IRQ_CONSOLE; TIOCSWINSZ sets it.
 */
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/log.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <svc/signal.h>
#include <svc/tty.h>
#include <svc/vfs.h>

#include "tty_core.h"
#include "tty_internal.h"

#define INPUT_CHUNK 64

static struct tty console;
static unsigned host_rows, host_cols; /* the machine's last size (0: none) */
static bool console_ready;

static void console_out(struct tty *t, const char *buf, size_t len)
{
	console_write(buf, len);
}

static const struct tty_driver console_driver = {
	.output = console_out,
};

/* Sets the console up on first use (boot, or the first process). */
static struct tty *console_tty(void)
{
	struct tty *t = &console;

	if (!__atomic_load_n(&console_ready, __ATOMIC_ACQUIRE)) {
		tty_setup(t, &console_driver, "console tty");
		__atomic_store_n(&console_ready, true, __ATOMIC_RELEASE);
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
	changed = rows != host_rows || cols != host_cols;
	if (changed) {
		host_rows = rows;
		host_cols = cols;
		t->ws.ws_row = (uint16_t)rows;
		t->ws.ws_col = (uint16_t)cols;
	}
	fg = t->fg_pgrp;
	spin_unlock(&t->lock);
	if (changed && fg)
		job_signal_pgrp(fg, SIGWINCH);
}

/* Drains the console into the line discipline and wakes readers; a
 * resize of the machine's terminal comes this way too. Bytes that find
 * the line discipline full are dropped, as a serial line's. */
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

/* ---- /dev/console and /dev/tty -------------------------------------- */

/* The tty a file is open on: its priv (a pty slave's open, /dev/tty's
 * open: the controlling terminal), else the console (/dev/console). */
static struct tty *file_tty(struct file *f)
{
	return f->priv ? f->priv : console_tty();
}

ssize_t tty_file_read(struct file *f, uptr_t buf, size_t len, uint64_t *pos)
{
	return tty_read(file_tty(f), f, buf, len);
}

ssize_t tty_file_write(struct file *f, uptr_t buf, size_t len,
		       uint64_t *pos)
{
	return tty_write(file_tty(f), f, buf, len);
}

long tty_file_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	return tty_ioctl(file_tty(f), f, cmd, arg);
}

uint32_t tty_file_poll(struct file *f, struct poll_table *pt)
{
	return tty_poll(file_tty(f), pt);
}

const struct file_ops tty_console_ops = {
	.own_lock = true, /* the tty's lock; reads sleep */
	.poll = tty_file_poll,
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
};

/* /dev/tty: the caller's controlling terminal, opened as its own device
 * would be (a pty slave counts one more open); none is -ENXIO. The
 * kernel's own opens get the console. */
static int tty_current_open(struct file *f)
{
	struct proc *p = proc_current();
	struct tty *t;
	int err;

	if (!p)
		return 0;
	t = job_ctty_get(p);
	if (!t)
		return -ENXIO;
	err = t->drv->open ? t->drv->open(t) : 0;
	if (err) {
		tty_put(t);
		return err == -EIO ? -ENXIO : err;
	}
	f->priv = t;
	return 0;
}

static void tty_current_release(struct file *f)
{
	struct tty *t = f->priv;

	if (!t)
		return;
	if (t->drv->close)
		t->drv->close(t);
	tty_put(t);
}

const struct file_ops tty_current_ops = {
	.own_lock = true,
	.poll = tty_file_poll,
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
	.open = tty_current_open,
	.release = tty_current_release,
};

/* Console input starts at boot, with the terminal devices. */
static int console_init(void)
{
	struct tty *t = console_tty();
	int err = irq_register(IRQ_CONSOLE, console_irq, t);

	if (err)
		pr_warn("tty: no console input (%s)\n", errno_name(err));
	/* Bytes that came before the handler raise nothing on bare metal. */
	console_irq(IRQ_CONSOLE, t);
	return 0;
}

SERVICE_INIT(tty, SVC_LEVEL_DEV, console_init);
