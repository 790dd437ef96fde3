/* futex_waitv(2) from one thread: a word that does not hold its value
 * (EAGAIN), an absolute timeout on each clock (ETIMEDOUT, and whether
 * the deadline passed), and the rejected cases: flags, counts, entry
 * flags and the reserved field, clocks, bad and misaligned pointers.
 * qemu-user has no futex_waitv: the riscv64 oracle is the x86-64 run. */
#define _GNU_SOURCE
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_time.h"

#define NR_futex_waitv 449 /* x86-64 and the generic table alike */
#define FUTEX_32 2
#define FUTEX_PRIVATE_FLAG 128

struct waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static uint32_t a, b = 5;

static long waitv(struct waitv *w, unsigned n, unsigned flags,
		  const struct timespec *t, clockid_t clock)
{
	return syscall(NR_futex_waitv, w, n, flags, t, clock);
}

static struct timespec after(clockid_t id, long long ns)
{
	long long at = abi_now_ns(id) + ns;
	struct timespec t = { at / 1000000000ll, at % 1000000000ll };

	return t;
}

int main(void)
{
	struct waitv w[2] = {
		{ 0, (uintptr_t)&a, FUTEX_32 | FUTEX_PRIVATE_FLAG, 0 },
		{ 5, (uintptr_t)&b, FUTEX_32, 0 },
	};
	struct timespec t;
	long long start;

	start = abi_now_ns(CLOCK_MONOTONIC);
	t = after(CLOCK_MONOTONIC, 2000000);
	SHOW("two words, monotonic +2ms", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	abi_yes("  the deadline passed",
		abi_now_ns(CLOCK_MONOTONIC) - start >= 2000000);
	start = abi_now_ns(CLOCK_REALTIME);
	t = after(CLOCK_REALTIME, 2000000);
	SHOW("two words, realtime +2ms", waitv(w, 2, 0, &t, CLOCK_REALTIME));
	abi_yes("  the deadline passed",
		abi_now_ns(CLOCK_REALTIME) - start >= 2000000);
	w[1].val = 6;
	SHOW("second word differs", waitv(w, 2, 0, NULL, 0));
	w[1].val = 5;
	t = (struct timespec){ 0, 1 };
	SHOW("deadline in the past", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));

	SHOW("flags 1", waitv(w, 2, 1, &t, CLOCK_MONOTONIC));
	SHOW("no words", waitv(w, 0, 0, &t, CLOCK_MONOTONIC));
	SHOW("129 words", waitv(w, 129, 0, &t, CLOCK_MONOTONIC));
	SHOW("NULL array", waitv(NULL, 1, 0, &t, CLOCK_MONOTONIC));
	SHOW("clock BOOTTIME", waitv(w, 2, 0, &t, CLOCK_BOOTTIME));
	t.tv_nsec = 1000000000;
	SHOW("nsec 1e9", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	t.tv_nsec = 1;
	SHOW("timeout bad pointer",
	     waitv(w, 2, 0, (void *)8, CLOCK_MONOTONIC));
	SHOW("array bad pointer",
	     waitv((void *)8, 2, 0, &t, CLOCK_MONOTONIC));
	w[0].flags = FUTEX_PRIVATE_FLAG;
	SHOW("entry without FUTEX_32", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	w[0].flags = FUTEX_32 | 0x1000;
	SHOW("entry unknown flag", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	w[0].flags = FUTEX_32;
	w[0].reserved = 1;
	SHOW("entry reserved set", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	w[0].reserved = 0;
	w[0].val = 1ull << 32;
	SHOW("entry value above 32 bits",
	     waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	w[0].val = 0;
	w[0].uaddr = (uintptr_t)&a + 2;
	SHOW("entry misaligned", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	w[0].uaddr = 8;
	SHOW("entry bad pointer", waitv(w, 2, 0, &t, CLOCK_MONOTONIC));
	return 0;
}
