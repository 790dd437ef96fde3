/*
 * futex(2): decoding of the operation, its timeout and its counts, in
 * Linux's order (kernel/futex/syscalls.c): the timeout of the waiting
 * operations is read and checked first (-EFAULT, -EINVAL), then
 * FUTEX_CLOCK_REALTIME is refused (-ENOSYS) on the operations that have
 * no clock, then the command runs. FUTEX_WAIT's timeout is relative (to
 * the monotonic clock), FUTEX_WAIT_BITSET's absolute on the monotonic
 * clock or, with FUTEX_CLOCK_REALTIME, the wall clock.
 *
 * A wait that a signal interrupts is restarted as Linux's: without a
 * timeout -ERESTARTSYS (SA_RESTART runs it again), with one
 * -ERESTART_RESTARTBLOCK (EINTR once a handler runs). The priority-
 * inheritance operations and FUTEX_FD are -ENOSYS: Keel has no PI futexes.
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <svc/clock.h>
#include <svc/futex.h>
#include <svc/syscall.h>
#include <uapi/futex.h>
#include <uapi/time.h>

#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* Does cmd take a timeout (utime is a timespec, not a count)? */
static bool has_timeout(int cmd)
{
	return cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET ||
	       cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 ||
	       cmd == FUTEX_WAIT_REQUEUE_PI;
}

/* The monotonic deadline of a waiting cmd's timeout at utime (NULL:
 * WAIT_FOREVER): 0, -EFAULT or -EINVAL. */
static int futex_deadline(int cmd, int op, uptr_t utime, uint64_t *deadline)
{
	uint64_t ns;
	int err;

	*deadline = WAIT_FOREVER;
	if (!utime.addr)
		return 0;
	err = clock_timespec_from_user(utime, &ns);
	if (err)
		return err;
	if (cmd == FUTEX_WAIT)
		*deadline = clock_deadline_after(ns);
	else
		*deadline = clock_abs_deadline((op & FUTEX_CLOCK_REALTIME)
						       ? CLOCK_REALTIME
						       : CLOCK_MONOTONIC,
					       ns);
	return 0;
}

/* The interrupted wait's restart code (see the top of the file). */
static long wait_result(long ret, bool timed)
{
	if (ret != -EINTR)
		return ret;
	return timed ? -ERESTART_RESTARTBLOCK : -ERESTARTSYS;
}

/* futex(uaddr, op, val, utime/val2, uaddr2, val3).
 *
 * Partial: no priority-inheritance operations (LOCK_PI, LOCK_PI2,
 * UNLOCK_PI, TRYLOCK_PI, WAIT_REQUEUE_PI, CMP_REQUEUE_PI) and no FUTEX_FD:
 * -ENOSYS; a timed wait a stop interrupts is EINTR (not restarted). */
SYSCALL_DEFINE6(futex, uptr_t, uaddr, int, op, unsigned int, val, uptr_t,
		utime, uptr_t, uaddr2, unsigned int, val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool shared = !(op & FUTEX_PRIVATE_FLAG);
	/* REQUEUE, CMP_REQUEUE and WAKE_OP pass a count in utime. */
	int val2 = (int)(uint32_t)utime.addr;
	uint64_t deadline = WAIT_FOREVER;
	int err;

	if (has_timeout(cmd)) {
		err = futex_deadline(cmd, op, utime, &deadline);
		if (err)
			return err;
	}
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET &&
	    cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		return wait_result(futex_wait(uaddr, shared, val, deadline,
					      val3),
				   utime.addr != 0);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		return futex_wake(uaddr, shared, (int)val, val3);
	case FUTEX_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, val2,
				     NULL);
	case FUTEX_CMP_REQUEUE:
		return futex_requeue(uaddr, uaddr2, shared, (int)val, val2,
				     &val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, shared, (int)val, val2,
				     val3);
	default:
		return -ENOSYS;
	}
}
