/*
 * getrandom(2): flags checked here, the bytes from the services' PRNG
 * (<svc/random.h>, not cryptographically secure: docs/abi.md).
 * GRND_RANDOM and GRND_NONBLOCK never block (the pool is "ready" at once).
 */
#include <keel/errno.h>
#include <svc/random.h>
#include <svc/syscall.h>

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM 0x0002
#define GRND_INSECURE 0x0004

#define GETRANDOM_MAX 0x7ffff000ul /* MAX_RW_COUNT */

/* getrandom(buf, count, flags): count random bytes (at most MAX_RW_COUNT
 * per call), returning how many were written. -EINVAL for unknown flags
 * or GRND_INSECURE with GRND_RANDOM; -EFAULT when not even the first byte
 * could be written. */
SYSCALL_DEFINE3(getrandom, uptr_t, buf, size_t, count, unsigned int, flags)
{
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	return random_copy_to_user(buf, MIN(count, GETRANDOM_MAX));
}
