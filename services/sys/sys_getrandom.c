/*
 * getrandom(2). The core has no entropy source yet, so the bytes come
 * from a PRNG (splitmix64 over a 64-bit state) seeded at first use from
 * the monotonic clock and the wall time, and stirred with the monotonic
 * clock on every call. That is NOT cryptographically secure: the seed is
 * guessable from the boot time (docs/abi.md). It serves libcs'
 * hash seeds and stack protectors; keys must not come from it.
 * GRND_RANDOM and GRND_NONBLOCK never block (the pool is "ready" at once).
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/syscall.h>

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM 0x0002
#define GRND_INSECURE 0x0004

#define CHUNK 256
#define GETRANDOM_MAX 0x7ffff000ul /* MAX_RW_COUNT */

static struct spinlock prng_lock = SPINLOCK_INIT("getrandom");
static uint64_t prng_state;
static bool prng_seeded;

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Fills buf (len a multiple of 8) from the PRNG. */
static void prng_fill(uint64_t *buf, size_t words)
{
	spin_lock(&prng_lock);
	if (!prng_seeded) {
		prng_state = time_realtime_ns() * 0x2545f4914f6cdd1dull;
		prng_seeded = true;
	}
	prng_state ^= time_now_ns();
	for (size_t i = 0; i < words; i++)
		buf[i] = splitmix64(&prng_state);
	spin_unlock(&prng_lock);
}

/* getrandom(buf, count, flags): count random bytes (at most MAX_RW_COUNT
 * per call), returning how many were written. -EINVAL for unknown flags
 * or GRND_INSECURE with GRND_RANDOM; -EFAULT when not even the first byte
 * could be written. */
SYSCALL_DEFINE3(getrandom, uptr_t, buf, size_t, count, unsigned int, flags)
{
	uint64_t chunk[CHUNK / 8];
	size_t done = 0;

	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	count = MIN(count, GETRANDOM_MAX);
	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));
		ssize_t put;

		prng_fill(chunk, (n + 7) / 8);
		put = copy_to_user_partial(uptr_add(buf, done), chunk, n);
		if (put > 0)
			done += (size_t)put;
		if (put < (ssize_t)n)
			break;
	}
	if (count && !done)
		return -EFAULT;
	return (long)done;
}
