/*
 * The only way to touch user memory. These work on the current task's
 * address space by walking its page tables (never by dereferencing the
 * user address), honour page protection as user code would, and fault
 * pages in through the address space's fault handler. Any address that is
 * not mapped, not user, or not accessible gives -EFAULT: never a crash.
 *
 * Families: whole copies (all or -EFAULT), short copies (how much was
 * copied, for read and write), no-fault copies (for paths that hold locks)
 * and single 32-bit words, loaded, stored and changed atomically (for
 * futexes, robust lists and CLEARTID).
 */
#ifndef KEEL_UACCESS_H
#define KEEL_UACCESS_H

#include <keel/types.h>

/*
 * Copy all len bytes or fail with -EFAULT (-ENOMEM if breaking
 * copy-on-write ran out of memory). A copy that fails part-way may have
 * done the pages before the bad one.
 */
int copy_from_user(void *dst, uptr_t src, size_t len);
int copy_to_user(uptr_t dst, const void *src, size_t len);
int clear_user(uptr_t dst, size_t len);

/*
 * One 32-bit value (an int result, a tid, a status) at any alignment, as
 * Linux's put_user/get_user of an int: a plain copy, not atomic. Words
 * user threads synchronise on (futexes) go through get_user_u32 and the
 * atomics below instead, which need alignment.
 */
static inline int copy_u32_to_user(uptr_t dst, uint32_t val)
{
	return copy_to_user(dst, &val, sizeof(val));
}

static inline int copy_u32_from_user(uint32_t *val, uptr_t src)
{
	return copy_from_user(val, src, sizeof(*val));
}

/*
 * Copies a NUL-terminated string of at most max-1 characters into dst
 * (max bytes). Returns its length, -ENAMETOOLONG if no NUL was found within
 * max bytes, or -EFAULT.
 */
ssize_t strncpy_from_user(char *dst, uptr_t src, size_t max);

/*
 * Short copies, as read() and write() need them: copy up to len bytes and
 * return how many were copied before the first byte user code could not
 * have accessed (len when it could all of them; a buffer that runs into an
 * unmapped page gives the count up to that page). When not even the first
 * byte can be copied the result is -EFAULT (or -ENOMEM), never 0, and a
 * range that leaves user space or wraps is -EFAULT before anything is
 * copied, as Linux's access_ok. len 0 gives 0.
 */
ssize_t copy_from_user_partial(void *dst, uptr_t src, size_t len);
ssize_t copy_to_user_partial(uptr_t dst, const void *src, size_t len);
ssize_t clear_user_partial(uptr_t dst, size_t len); /* read of /dev/zero */

/*
 * For paths that hold locks (Linux's pagefault_disable): like
 * copy_from_user and copy_to_user, but they never resolve a fault. A page
 * that is not present yet (demand paging), or copy-on-write for a write,
 * gives -EFAULT without calling the space's fault handler, allocating or
 * sleeping. The caller then drops its locks, faults the page in (with
 * fault_in_user_writeable or an ordinary copy) and tries again. Must not
 * be called with the space's own lock (core-internal) held.
 */
int copy_from_user_nofault(void *dst, uptr_t src, size_t len);
int copy_to_user_nofault(uptr_t dst, const void *src, size_t len);

/*
 * Makes the user page holding addr present and writable for user code, as
 * a user write fault would (breaking copy-on-write, asking the fault
 * handler), without writing to it. 0, -EFAULT or -ENOMEM.
 */
int fault_in_user_writeable(uptr_t addr);

/*
 * The operations on a 32-bit user word, numbered as Linux's FUTEX_OP_* so
 * that FUTEX_WAKE_OP's op field maps directly.
 */
enum user_atomic_op {
	USER_ATOMIC_SET = 0,  /* word = arg */
	USER_ATOMIC_ADD = 1,  /* word += arg */
	USER_ATOMIC_OR = 2,   /* word |= arg */
	USER_ATOMIC_ANDN = 3, /* word &= ~arg */
	USER_ATOMIC_XOR = 4,  /* word ^= arg */
};

/*
 * Single 32-bit user words. The address must be 4-byte aligned (-EINVAL
 * otherwise, checked first, as Linux's futex code). Each access is one
 * sequentially consistent atomic operation on the word's frame, so it is
 * atomic against user threads on every CPU (and the hosted stubs) as well
 * as against other kernel callers. The atomics need the page writable by
 * user code and break copy-on-write first (a read-only page is -EFAULT);
 * they store the word's previous value in *old, which may be NULL. An op
 * outside enum user_atomic_op is -ENOSYS (as FUTEX_WAKE_OP). Unmapped,
 * kernel or out-of-range addresses are -EFAULT; -ENOMEM if breaking
 * copy-on-write ran out of memory. Nothing is stored on failure.
 */
int get_user_u32(uint32_t *val, uptr_t src);
int put_user_u32(uptr_t dst, uint32_t val);
int user_atomic_op_u32(uptr_t uaddr, enum user_atomic_op op, uint32_t arg,
		       uint32_t *old);
/* Stores desired if the word holds expected; *old says which it held (the
 * swap happened iff *old == expected). */
int user_cmpxchg_u32(uptr_t uaddr, uint32_t expected, uint32_t desired,
		     uint32_t *old);

/* The same, never resolving a fault (see copy_from_user_nofault): what
 * futex code calls under its hash-bucket locks. */
int get_user_u32_nofault(uint32_t *val, uptr_t src);
int user_atomic_op_u32_nofault(uptr_t uaddr, enum user_atomic_op op,
			       uint32_t arg, uint32_t *old);
int user_cmpxchg_u32_nofault(uptr_t uaddr, uint32_t expected,
			     uint32_t desired, uint32_t *old);

#endif
