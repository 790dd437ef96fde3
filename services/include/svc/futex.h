/*
 * Futexes (futex(2), services/futex/): the operations on a 32-bit user
 * word of the current task's address space, for the system calls and for
 * the kernel's own wake-ups at thread exit (CLONE_CHILD_CLEARTID, the
 * robust list). Keys come from the core (vm_futex_key): private ones are
 * (space, address), shared ones identify the memory itself, so that two
 * processes mapping one shared page meet on the same futex.
 *
 * shared is "no FUTEX_PRIVATE_FLAG": the word may be in memory shared
 * with other address spaces. Deadlines are monotonic nanoseconds
 * (time_now_ns) or WAIT_FOREVER. Errors are Linux's: -EINVAL for a word
 * not 4-byte aligned or a zero bitset, -EFAULT for an address user code
 * could not access, -EAGAIN when the word did not hold the expected value.
 * A wait ended by task_notify() is -EINTR: the system call turns it into
 * the restart code Linux uses.
 */
#ifndef SVC_FUTEX_H
#define SVC_FUTEX_H

#include <keel/types.h>

/*
 * FUTEX_WAIT_BITSET: if the word at uaddr holds val, sleeps until a
 * wake-up whose bitset shares a bit with bitset (0), the deadline
 * (-ETIMEDOUT) or a notification (-EINTR). The value is checked under the
 * futex's lock, so a wake-up after a change of the word is never missed.
 */
long futex_wait(uptr_t uaddr, bool shared, uint32_t val,
		uint64_t deadline_ns, uint32_t bitset);

/*
 * FUTEX_WAKE_BITSET: wakes up to nr waiters on uaddr whose bitset shares
 * a bit with bitset, oldest first; nr <= 0 wakes one, as Linux. Returns
 * the number woken (0 when none waits; a private futex's word is not
 * read). For CLONE_CHILD_CLEARTID, as Linux:
 *     put_user_u32(tidptr, 0); futex_wake(tidptr, true, 1, ~0u);
 */
long futex_wake(uptr_t uaddr, bool shared, int nr, uint32_t bitset);

/*
 * FUTEX_REQUEUE and, with cmpval, FUTEX_CMP_REQUEUE (-EAGAIN unless the
 * word at uaddr holds *cmpval): wakes up to nr_wake waiters of uaddr and
 * moves up to nr_requeue more to uaddr2. Returns woken + moved; -EINVAL
 * for a negative count.
 */
long futex_requeue(uptr_t uaddr, uptr_t uaddr2, bool shared, int nr_wake,
		   int nr_requeue, const uint32_t *cmpval);

/*
 * FUTEX_WAKE_OP: applies the encoded operation to the word at uaddr2
 * atomically, wakes up to nr_wake waiters of uaddr and, when the
 * encoded comparison of uaddr2's old value holds, up to nr_wake2 of
 * uaddr2. Returns the total woken; -ENOSYS for an unknown operation or
 * comparison (an unknown comparison after the operation was applied, as
 * Linux), -EFAULT when uaddr2 cannot be written.
 */
long futex_wake_op(uptr_t uaddr, uptr_t uaddr2, bool shared, int nr_wake,
		   int nr_wake2, uint32_t encoded_op);

/*
 * At the exit of thread tid: walks its robust list (set_robust_list's
 * head) as Linux's exit_robust_list, marking every futex tid still owns
 * FUTEX_OWNER_DIED and waking one waiter of each (and the pending one).
 * At most ROBUST_LIST_LIMIT entries; a fault ends the walk silently.
 */
void futex_exit_robust_list(uptr_t head, uint32_t tid);

/* CLONE_CHILD_CLEARTID at thread exit: 0 into *tidptr and a wake-up of
 * one waiter (shared), as Linux's mm_release; faults are ignored. */
void futex_clear_child_tid(uptr_t tidptr);

#endif
