/*
 * Random bytes for the services (see <svc/random.h>): one locked
 * splitmix64 state, seeded from the wall time at first use and stirred
 * with the monotonic clock on every fill, copied out in small chunks.
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/random.h>

#define CHUNK_WORDS 32 /* 256 bytes per copy */

static struct spinlock prng_lock = SPINLOCK_INIT("random");
static uint64_t prng_state;
static bool prng_seeded;

uint64_t random_mix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void prng_fill(uint64_t *buf, size_t words)
{
	spin_lock(&prng_lock);
	if (!prng_seeded) {
		prng_state = time_realtime_ns() * 0x2545f4914f6cdd1dull;
		prng_seeded = true;
	}
	prng_state ^= time_now_ns();
	for (size_t i = 0; i < words; i++)
		buf[i] = random_mix64(&prng_state);
	spin_unlock(&prng_lock);
}

ssize_t random_copy_to_user(uptr_t buf, size_t len)
{
	uint64_t chunk[CHUNK_WORDS];
	size_t done = 0;

	while (done < len) {
		size_t n = MIN(len - done, sizeof(chunk));
		ssize_t put;

		prng_fill(chunk, (n + 7) / 8);
		put = copy_to_user_partial(uptr_add(buf, done), chunk, n);
		if (put > 0)
			done += (size_t)put;
		if (put < (ssize_t)n)
			break;
	}
	if (len && !done)
		return -EFAULT;
	return (ssize_t)done;
}
