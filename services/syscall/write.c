/*
 * write(2) to the console: descriptors 1 and 2 are the console until
 * there is a file table. The user buffer is copied in bounded chunks, so a
 * bad pointer is -EFAULT (or a short count, if some bytes went out first,
 * as Linux does) and a huge count cannot exhaust kernel memory.
 */
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/uaccess.h>

#include "sys.h"

#define WRITE_CHUNK 256
/* Linux's MAX_RW_COUNT: a single write moves at most this much. */
#define WRITE_MAX (0x7ffff000ul)

long sys_write(struct proc *p, const uint64_t *args)
{
	int fd = (int)args[0];
	uptr_t buf = uptr(args[1]);
	size_t count = MIN((size_t)args[2], WRITE_MAX);
	char chunk[WRITE_CHUNK];
	size_t done = 0;

	(void)p;
	if (fd != 1 && fd != 2)
		return -EBADF;
	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));

		if (copy_from_user(chunk, uptr_add(buf, done), n))
			return done ? (long)done : -EFAULT;
		console_write(chunk, n);
		done += n;
	}
	return (long)done;
}
