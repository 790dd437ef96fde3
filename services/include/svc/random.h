/*
 * The services' one source of random bytes, behind getrandom(2),
 * /dev/random and /dev/urandom. The core has no entropy source yet, so
 * this is a PRNG (splitmix64) seeded at first use from the wall time and
 * stirred with the monotonic clock on every fill: NOT cryptographically
 * secure (the seed is guessable from the boot time; docs/abi.md). It
 * serves libcs' hash seeds and stack protectors; keys must not come from
 * it. When the core gains an entropy source only random.c changes.
 */
#ifndef SVC_RANDOM_H
#define SVC_RANDOM_H

#include <keel/types.h>

/* One splitmix64 step: a well-mixed 64-bit value from *state (advanced).
 * Deterministic, for callers that derive bytes from a seed of their own
 * (AT_RANDOM from the exec's seed). */
uint64_t random_mix64(uint64_t *state);

/*
 * Writes len random bytes to the current task's user memory at buf.
 * Returns the count written, short when buf runs into an inaccessible
 * page, or -EFAULT when not even the first byte could be written (0 for
 * len 0).
 */
ssize_t random_copy_to_user(uptr_t buf, size_t len);

#endif
