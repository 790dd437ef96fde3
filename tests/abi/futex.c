/* futex(2) from one thread: the value check (EAGAIN), relative and
 * absolute timeouts on both clocks (ETIMEDOUT, and whether at least the
 * timeout elapsed), wake-ups with nobody waiting, REQUEUE, CMP_REQUEUE
 * and WAKE_OP with their effect on the second word, private and shared
 * futexes, and the rejected cases: bad pointers, misaligned words, bad
 * operations, zero bitsets, invalid timespecs. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_time.h"

/* <linux/futex.h>'s numbers (musl's toolchain has no kernel headers). */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP(op, oparg, cmp, cmparg)                                  \
	((((op) & 0xfu) << 28) | (((cmp) & 0xfu) << 24) |                 \
	 (((oparg) & 0xfffu) << 12) | ((cmparg) & 0xfffu))

static uint32_t word, word2;
static void *unmapped; /* a PROT_NONE page: in the user range, no access */

static long futex(void *uaddr, int op, uint32_t val, const void *timeout,
		  void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

/* A count where futex(2) takes one in place of the timeout. */
static long futex2(void *uaddr, int op, uint32_t val, long val2,
		   void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

static void timeouts(void)
{
	struct timespec rel = { 0, 2000000 }, abs;
	long long start;

	start = abi_now_ns(CLOCK_MONOTONIC);
	SHOW("wait relative 2ms", futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel,
					NULL, 0));
	abi_yes("  at least 2ms passed",
		abi_now_ns(CLOCK_MONOTONIC) - start >= 2000000);
	rel = (struct timespec){ 0, 0 };
	SHOW("wait relative 0", futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel,
				      NULL, 0));
	rel = (struct timespec){ 0, 2000000 };
	SHOW("wait shared relative 2ms", futex(&word, FUTEX_WAIT, 0, &rel,
					       NULL, 0));

	start = abi_now_ns(CLOCK_MONOTONIC);
	abs = abi_ns_to_ts(start + 3000000);
	SHOW("wait_bitset monotonic +3ms",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL,
		   FUTEX_BITSET_MATCH_ANY));
	abi_yes("  the deadline passed", abi_now_ns(CLOCK_MONOTONIC) >=
						 start + 3000000);
	abs = abi_ns_to_ts(1);
	SHOW("wait_bitset monotonic in the past",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, 1));
	start = abi_now_ns(CLOCK_REALTIME);
	abs = abi_ns_to_ts(start + 3000000);
	SHOW("wait_bitset realtime +3ms",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0,
		   &abs, NULL, FUTEX_BITSET_MATCH_ANY));
	abi_yes("  the deadline passed", abi_now_ns(CLOCK_REALTIME) >=
						 start + 3000000);
	SHOW("wait_bitset mismatch with a timeout",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, &abs, NULL, 1));
}

static void bad_timespecs(void)
{
	struct timespec t = { 0, 1000000000 };

	SHOW("wait nsec 1e9", futex(&word, FUTEX_WAIT_PRIVATE, 0, &t, NULL,
				    0));
	t = (struct timespec){ 0, -1 };
	SHOW("wait nsec -1", futex(&word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0));
	t = (struct timespec){ -1, 0 };
	SHOW("wait sec -1", futex(&word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0));
	SHOW("wait_bitset sec -1",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &t, NULL, 1));
	SHOW("wait timeout bad pointer",
	     futex(&word, FUTEX_WAIT_PRIVATE, 0, (void *)8, NULL, 0));
	/* The timeout is checked before the value. */
	SHOW("wait mismatch, bad timeout",
	     futex(&word, FUTEX_WAIT_PRIVATE, 1, (void *)8, NULL, 0));
}

static void requeue_and_wake_op(void)
{
	word2 = 10;
	SHOW("requeue", futex2(&word, FUTEX_REQUEUE_PRIVATE, 1, 1, &word2, 0));
	SHOW("requeue negative count",
	     futex2(&word, FUTEX_REQUEUE_PRIVATE, 1, -1, &word2, 0));
	SHOW("requeue negative wake",
	     futex2(&word, FUTEX_REQUEUE_PRIVATE, -1, 1, &word2, 0));
	SHOW("cmp_requeue match",
	     futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word2, 0));
	SHOW("cmp_requeue mismatch",
	     futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word2, 7));
	SHOW("cmp_requeue PROT_NONE second word",
	     futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, unmapped, 0));
	SHOW("cmp_requeue misaligned second word",
	     futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1,
		    (char *)&word2 + 1, 0));

	SHOW("wake_op add 5, cmp eq 10",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2,
		    FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 10)));
	printf("  second word: %u\n", word2);
	SHOW("wake_op shift: or 1<<4",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2,
		    FUTEX_OP(FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT, 4,
			     FUTEX_OP_CMP_GT, 0)));
	printf("  second word: %u\n", word2);
	SHOW("wake_op set -1 (sign-extended)",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2,
		    FUTEX_OP(FUTEX_OP_SET, 0xfff, FUTEX_OP_CMP_LT, 0)));
	printf("  second word: %#x\n", word2);
	word2 = 3;
	SHOW("wake_op bad cmp",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2,
		    FUTEX_OP(FUTEX_OP_XOR, 1, 9, 0)));
	printf("  second word (the op ran): %u\n", word2);
	SHOW("wake_op bad op",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word2,
		    (7u << 28) | 1));
	printf("  second word: %u\n", word2);
	SHOW("wake_op bad second word",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, (void *)8,
		    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
}

static volatile uint32_t restart_word;
static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
	restart_word = 1;
}

static void interrupted(void)
{
	struct timespec rel = { 30, 0 }, abs;

	word = 0;
	abi_ticker(1, 0, on_alarm);
	SHOW("wait, interrupted", futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL,
					NULL, 0));
	abi_yes("  the handler ran", alarms > 0);
	SHOW("wait 30s, interrupted", futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel,
					    NULL, 0));
	abs = abi_ns_to_ts(abi_now_ns(CLOCK_MONOTONIC) + 30000000000ll);
	SHOW("wait_bitset absolute, interrupted",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL,
		   FUTEX_BITSET_MATCH_ANY));
	SHOW("wait shared, interrupted", futex(&word, FUTEX_WAIT, 0, NULL,
					       NULL, 0));
	/* With SA_RESTART a wait without a timeout runs again: the handler
	 * changed the word, so it then fails the value check. */
	abi_ticker(1, 1, on_alarm);
	restart_word = 0;
	SHOW("wait with SA_RESTART (restarted, word changed)",
	     futex((void *)&restart_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL,
		   0));
	SHOW("wait 30s with SA_RESTART (not restarted)",
	     futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0));
	abi_ticker(0, 0, on_alarm);
}

static void rejected(void)
{
	uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);

	SHOW("wait bad pointer", futex((void *)8, FUTEX_WAIT_PRIVATE, 0, NULL,
				       NULL, 0));
	SHOW("wait misaligned", futex((char *)&word + 2, FUTEX_WAIT_PRIVATE,
				      0, NULL, NULL, 0));
	/* A private futex's word is not read by a wake-up. */
	SHOW("wake private PROT_NONE", futex(unmapped, FUTEX_WAKE_PRIVATE, 1,
					    NULL, NULL, 0));
	SHOW("wake shared PROT_NONE", futex(unmapped, FUTEX_WAKE, 1, NULL,
					   NULL, 0));
	SHOW("wake misaligned", futex((char *)&word + 1, FUTEX_WAKE_PRIVATE, 1,
				      NULL, NULL, 0));
	SHOW("wait on a read-only page, mismatch",
	     futex(ro, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
	SHOW("wake_op on a read-only page",
	     futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, ro,
		    FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
	SHOW("wait_bitset bitset 0",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0));
	SHOW("wake_bitset bitset 0",
	     futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
	SHOW("wait with CLOCK_REALTIME",
	     futex(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL,
		   NULL, 0));
	SHOW("wake with CLOCK_REALTIME",
	     futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL,
		   NULL, 0));
	SHOW("op FUTEX_FD", futex(&word, FUTEX_FD, 0, NULL, NULL, 0));
	SHOW("op 99", futex(&word, 99, 0, NULL, NULL, 0));
	SHOW("op 99 private", futex(&word, 99 | FUTEX_PRIVATE_FLAG, 0, NULL,
				    NULL, 0));
	munmap(ro, 4096);
}

int main(void)
{
	unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			0);
	word = 0;
	SHOW("wait mismatch", futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL, NULL,
				    0));
	SHOW("wait shared mismatch", futex(&word, FUTEX_WAIT, 1, NULL, NULL,
					   0));
	SHOW("wake nobody", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL,
				  0));
	SHOW("wake shared nobody", futex(&word, FUTEX_WAKE, 10, NULL, NULL,
					 0));
	SHOW("wake_bitset nobody", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1,
					 NULL, NULL, 2));
	timeouts();
	bad_timespecs();
	requeue_and_wake_op();
	interrupted();
	rejected();
	return 0;
}
