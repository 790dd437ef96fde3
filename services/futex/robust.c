/*
 * The robust futex list at thread exit (Linux's exit_robust_list and
 * handle_futex_death, Documentation/locking/robust-futexes.rst): user
 * space keeps a list of the robust mutexes a thread holds, each entry
 * futex_offset bytes away from its futex word, plus the one it was
 * taking or releasing (list_op_pending). When the thread dies the kernel
 * marks every word it still owns (the low 30 bits are the owner's tid)
 * FUTEX_OWNER_DIED, keeping FUTEX_WAITERS, and wakes one waiter, who then
 * gets EOWNERDEAD from the libc. Bit 0 of a list pointer marks a PI futex
 * (not woken here: Keel has no PI futexes).
 */
#include <stddef.h>

#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/futex.h>
#include <uapi/futex.h>

/* Reads the list pointer at uaddr: *entry without bit 0, *pi bit 0. */
static int fetch_entry(uptr_t uaddr, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (copy_from_user(&v, uaddr, sizeof(v)))
		return -EFAULT;
	*entry = v & ~1ull;
	*pi = v & 1;
	return 0;
}

/* The death of tid's hold on the futex word at uaddr. pending: the word
 * of list_op_pending, whose lock may not have been taken yet: an unowned
 * (0) one still gets a wake-up, so that a waiter is not left asleep.
 * Returns 0, or -1 when the word cannot be reached (the walk stops). */
static int futex_death(uptr_t uaddr, uint32_t tid, bool pi, bool pending)
{
	uint32_t uval, mval, old;

	if (uaddr.addr & 3)
		return -1;
	for (;;) {
		if (get_user_u32(&uval, uaddr))
			return -1;
		if (pending && !pi && !uval) {
			futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
			return 0;
		}
		if ((uval & FUTEX_TID_MASK) != tid)
			return 0;
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (user_cmpxchg_u32(uaddr, uval, mval, &old))
			return -1;
		if (old == uval)
			break; /* else the word changed under us: again */
	}
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(uaddr, true, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

void futex_exit_robust_list(uptr_t head, uint32_t tid)
{
	struct linux_robust_list_head h;
	uint64_t entry, next = 0, pending;
	bool pi, next_pi = false, pending_pi;
	unsigned limit = ROBUST_LIST_LIMIT;

	if (!head.addr || fetch_entry(head, &entry, &pi) ||
	    copy_from_user(&h, head, sizeof(h)) ||
	    fetch_entry(uptr(head.addr + offsetof(struct linux_robust_list_head,
						  list_op_pending)),
			&pending, &pending_pi))
		return;
	while (entry != head.addr) {
		int rc = fetch_entry(uptr(entry), &next, &next_pi);

		if (entry != pending &&
		    futex_death(uptr(entry + (uint64_t)h.futex_offset), tid, pi,
				false))
			return;
		if (rc)
			return;
		if (!--limit)
			break;
		entry = next;
		pi = next_pi;
	}
	if (pending)
		futex_death(uptr(pending + (uint64_t)h.futex_offset), tid,
			    pending_pi, true);
}
