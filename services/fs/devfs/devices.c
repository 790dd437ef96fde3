/*
 * The character devices of /dev, by device number as Linux numbers them
 * (Documentation/admin-guide/devices.txt): mem-class 1:3 null, 1:5 zero,
 * 1:7 full, 1:8 random, 1:9 urandom, and the terminals 5:0 tty, 5:1
 * console. A device node anywhere (devfs or one unpacked from the
 * initramfs) opens the driver of its rdev (vfs_chrdev_ops).
 *
 * random and urandom: the core has no entropy source yet (issue 8), so
 * both are one xorshift64* generator seeded from the clocks at first use.
 * That is *not* cryptographic; real getrandom belongs to issue 8.
 *
 * The console reads as end of file (the core has no console input yet)
 * and writes as the terminal layer does: 2 KiB chunks, each copied whole
 * before any of it is written, so no byte past a bad page goes out.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/irq.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/devices.h>
#include <svc/vfs.h>

#define CONSOLE_CHUNK 2048 /* Linux's tty chunk (iterate_tty_write) */

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

static uint64_t prng_state;

/* xorshift64*, seeded from both clocks on first use (see above). */
static uint64_t prng_next(void)
{
	uint64_t x = prng_state;

	if (!x)
		x = (time_realtime_ns() ^ (time_now_ns() << 17)) | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	prng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static ssize_t read_random(struct file *f, uptr_t buf, size_t len,
			   uint64_t *pos)
{
	uint64_t words[32];
	size_t done = 0;

	while (done < len) {
		size_t n = MIN(len - done, sizeof(words));
		ssize_t got;

		for (size_t k = 0; k < ARRAY_SIZE(words); k++)
			words[k] = prng_next();
		got = copy_to_user_partial(uptr_add(buf, done), words, n);
		if (got < 0)
			return done ? (ssize_t)done : got;
		done += (size_t)got;
		if ((size_t)got < n)
			break;
	}
	return (ssize_t)done;
}

static ssize_t write_console(struct file *f, uptr_t buf, size_t len,
			     uint64_t *pos)
{
	size_t chunk_size = MIN(len, (size_t)CONSOLE_CHUNK);
	char *chunk;
	size_t done = 0;

	if (!len)
		return 0;
	chunk = kmalloc(chunk_size);
	if (!chunk)
		return -ENOMEM;
	while (done < len) {
		size_t n = MIN(len - done, chunk_size);

		if (copy_from_user(chunk, uptr_add(buf, done), n))
			break;
		console_write(chunk, n);
		done += n;
	}
	kfree(chunk);
	return done ? (ssize_t)done : -EFAULT;
}

static const struct file_ops null_ops = { .read = read_eof,
					  .write = write_sink };
static const struct file_ops zero_ops = { .read = read_zero,
					  .write = write_sink };
static const struct file_ops full_ops = { .read = read_zero,
					  .write = write_full };
static const struct file_ops random_ops = { .read = read_random,
					    .write = write_sink };
static const struct file_ops console_ops = { .read = read_eof,
					     .write = write_console };

const struct chrdev chrdevs[] = {
	{ "null", DEV_MKDEV(1, 3), 0666, &null_ops },
	{ "zero", DEV_MKDEV(1, 5), 0666, &zero_ops },
	{ "full", DEV_MKDEV(1, 7), 0666, &full_ops },
	{ "random", DEV_MKDEV(1, 8), 0666, &random_ops },
	{ "urandom", DEV_MKDEV(1, 9), 0666, &random_ops },
	{ "tty", DEV_MKDEV(5, 0), 0666, &console_ops },
	{ "console", DEV_MKDEV(5, 1), 0600, &console_ops },
	{ NULL, 0, 0, NULL },
};

const struct file_ops *vfs_chrdev_ops(uint32_t rdev)
{
	for (const struct chrdev *c = chrdevs; c->name; c++)
		if (c->rdev == rdev)
			return c->ops;
	return NULL;
}
