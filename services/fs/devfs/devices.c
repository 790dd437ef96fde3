/*
 * The character devices of /dev, by device number as Linux numbers them
 * (Documentation/admin-guide/devices.txt): mem-class 1:3 null, 1:5 zero,
 * 1:7 full, 1:8 random, 1:9 urandom, and the terminals 5:0 tty, 5:1
 * console, 5:2 ptmx and 136:N pty slaves. A device node anywhere (devfs or one unpacked from the
 * initramfs) opens the driver of its rdev (vfs_chrdev_ops).
 *
 * random and urandom read the services' PRNG, as getrandom(2) does
 * (<svc/random.h>: not cryptographic until the core has an entropy source).
 *
 * tty and console are the console terminal (services/tty/console.c);
 * ptmx (5:2) opens a new pty master, and 136:N is pty N's slave
 * (services/tty/pty.c), whose node devpts holds.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/devices.h>
#include <svc/devpts.h>
#include <svc/random.h>
#include <svc/tty.h>
#include <svc/vfs.h>

static ssize_t read_eof(struct file *f, uptr_t buf, size_t len,
			uint64_t *pos)
{
	return 0;
}

static ssize_t write_sink(struct file *f, uptr_t buf, size_t len,
			  uint64_t *pos)
{
	return (ssize_t)len;
}

static ssize_t read_zero(struct file *f, uptr_t buf, size_t len,
			 uint64_t *pos)
{
	return clear_user_partial(buf, len);
}

static ssize_t write_full(struct file *f, uptr_t buf, size_t len,
			  uint64_t *pos)
{
	return -ENOSPC;
}

static ssize_t read_random(struct file *f, uptr_t buf, size_t len,
			   uint64_t *pos)
{
	return random_copy_to_user(buf, len);
}

/* null, zero and full have no position: lseek is always 0 (Linux's
 * null_lseek), whatever the offset and (valid) whence. */
static int64_t seek_nowhere(struct file *f, int64_t off, int whence)
{
	f->pos = 0;
	return 0;
}

static const struct file_ops null_ops = { .read = read_eof,
					  .write = write_sink,
					  .llseek = seek_nowhere };
static const struct file_ops zero_ops = { .read = read_zero,
					  .write = write_sink,
					  .llseek = seek_nowhere };
static const struct file_ops full_ops = { .read = read_zero,
					  .write = write_full,
					  .llseek = seek_nowhere };
static const struct file_ops random_ops = { .read = read_random,
					    .write = write_sink };

const struct chrdev chrdevs[] = {
	{ "null", DEV_MKDEV(1, 3), 0666, &null_ops },
	{ "zero", DEV_MKDEV(1, 5), 0666, &zero_ops },
	{ "full", DEV_MKDEV(1, 7), 0666, &full_ops },
	{ "random", DEV_MKDEV(1, 8), 0666, &random_ops },
	{ "urandom", DEV_MKDEV(1, 9), 0666, &random_ops },
	{ "tty", DEV_MKDEV(5, 0), 0666, &tty_current_ops },
	{ "console", DEV_MKDEV(5, 1), 0600, &tty_console_ops },
	{ "ptmx", DEV_MKDEV(5, 2), 0666, &pty_master_ops },
	{ NULL, 0, 0, NULL },
};

const struct file_ops *vfs_chrdev_ops(uint32_t rdev)
{
	if (DEV_MAJOR(rdev) == PTY_SLAVE_MAJOR)
		return &pty_slave_ops;
	for (const struct chrdev *c = chrdevs; c->name; c++)
		if (c->rdev == rdev)
			return c->ops;
	return NULL;
}
