/*
 * write(2), for now only to the console: descriptors 1 and 2 are the console until
 * there is a file table. As on Linux, a range that runs past the end of
 * the user address space is -EFAULT before anything is written, a count
 * above MAX_RW_COUNT is cut to it, and the buffer goes out in 2 KiB chunks
 * (the terminal layer's), each copied whole before any of it is written:
 * a chunk that hits a bad page ends the call with the bytes of the chunks
 * before it, or -EFAULT when there are none. A huge count thus cannot
 * exhaust kernel memory, and no byte past a bad page is ever written.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/irq.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <svc/syscall.h>

/* Linux's tty chunk size (iterate_tty_write). */
#define WRITE_CHUNK 2048
/* Linux's MAX_RW_COUNT: a single write moves at most this much. */
#define WRITE_MAX (0x7ffff000ul)

/* Linux's access_ok: does [addr, addr + len) stay inside the user address
 * space, without wrapping? (Whether it is mapped is found out later.) */
static bool user_range_ok(uptr_t addr, size_t len)
{
	uintptr_t end;

	return !__builtin_add_overflow(addr.addr, len, &end) &&
	       end <= user_va_max();
}

/* Copies count bytes at buf to the console chunk by chunk (see above).
 * Returns the bytes written, -EFAULT or -ENOMEM. */
static long write_console(uptr_t buf, size_t count)
{
	size_t chunk_size = MIN(count, (size_t)WRITE_CHUNK);
	char *chunk = kmalloc(chunk_size);
	size_t done = 0;

	if (!chunk)
		return -ENOMEM;
	while (done < count) {
		size_t n = MIN(count - done, chunk_size);

		if (copy_from_user(chunk, uptr_add(buf, done), n))
			break;
		console_write(chunk, n);
		done += n;
	}
	kfree(chunk);
	return done ? (long)done : -EFAULT;
}

/*
 * write(fd, buf, count). Returns the bytes written; -EBADF for a
 * descriptor other than 1 and 2, -EFAULT as above, -ENOMEM when no chunk
 * buffer could be had. A count of 0 writes nothing and returns 0.
 */
SYSCALL_DEFINE3(write, int, fd, uptr_t, buf, size_t, count)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (!user_range_ok(buf, count))
		return -EFAULT;
	if (count == 0)
		return 0;
	return write_console(buf, MIN(count, (size_t)WRITE_MAX));
}
