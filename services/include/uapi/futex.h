/*
 * futex(2): operations and flags, the bits of a PI/robust futex word,
 * the robust list of set_robust_list(2) and futex_waitv(2)'s entry (user
 * addresses as 64-bit numbers). Checked against the toolchain's
 * <linux/futex.h> (scripts/check-uapi).
 */
#ifndef UAPI_FUTEX_H
#define UAPI_FUTEX_H

#include <stdint.h>

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_FD 2
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI 12
#define FUTEX_LOCK_PI2 13

/* Or'd into the operation. */
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256

#define FUTEX_BITSET_MATCH_ANY 0xffffffff

/* FUTEX_WAKE_OP's encoded operation: op (bits 28-30, with the OPARG_SHIFT
 * bit 31: oparg is a shift count), cmp (24-27), oparg (12-23), cmparg
 * (0-11), the two arguments signed 12-bit numbers. */
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8

#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

/* The futex word of a PI or robust futex. */
#define FUTEX_WAITERS 0x80000000
#define FUTEX_OWNER_DIED 0x40000000
#define FUTEX_TID_MASK 0x3fffffff

/* How many locks the kernel walks on a robust list at exit. */
#define ROBUST_LIST_LIMIT 2048

struct linux_robust_list {
	uint64_t next; /* a user address */
};

struct linux_robust_list_head {
	struct linux_robust_list list;
	int64_t futex_offset;
	uint64_t list_op_pending; /* a user address */
};

/* futex_waitv(2) */
#define FUTEX_WAITV_MAX 128
#define FUTEX_32 2

struct linux_futex_waitv {
	uint64_t val;
	uint64_t uaddr; /* a user address */
	uint32_t flags;
	uint32_t __reserved;
};

#endif
