/*
 * User-memory access. The kernel never dereferences a user address: it
 * walks the address space's page tables, checks the page as user code
 * would be checked (user bit, read/write permission), and copies through
 * the direct map, page by page. A page that is not accessible goes through
 * vm_resolve_fault first, so copy-on-write is broken on write and demand
 * paging fills holes, exactly as for a fault in user mode.
 *
 * The no-fault variants stop at the first page that is not accessible as
 * it stands, and the 32-bit word operations run one atomic instruction on
 * the word's frame through the direct map, under the space's lock (so the
 * frame stays mapped) while user threads may be using the same word.
 *
 * The vm_* versions take an explicit address space (and are what the unit
 * tests drive); the public ones use the current task's.
 */
#include "mm/mm.h"
#include "mm/vm_space.h"

#include <keel/errno.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>

/* How often one page may go through vm_resolve_fault before we give up
 * (a fault handler that claims success without mapping anything). */
#define UACCESS_TRIES 3

/*
 * Finds the frame behind user address va for access, resolving faults
 * unless flags has UACCESS_NOFAULT. Called with vs->lock held, which it
 * drops around vm_resolve_fault. Returns 0 with *pa the page's frame,
 * -EFAULT or -ENOMEM.
 */
static int user_page(struct vm_space *vs, uintptr_t va, unsigned access,
		     unsigned flags, hal_paddr_t *pa)
{
	for (int tries = 0;; tries++) {
		unsigned pte;
		int err;

		if (pt_lookup(vs->fmt, vs->root, va, pa, &pte) == 0 &&
		    vm_access_ok(pte, access))
			return 0;
		if ((flags & UACCESS_NOFAULT) || tries == UACCESS_TRIES)
			return -EFAULT;
		spin_unlock(&vs->lock);
		err = vm_resolve_fault(vs, va, access);
		spin_lock(&vs->lock);
		if (err)
			return err == -ENOMEM ? -ENOMEM : -EFAULT;
	}
}

/* Does one page's part of a walk; returns true to stop early. */
typedef bool (*chunk_fn)(char *kp, size_t done, size_t n, void *arg);

/* One walk over user memory: what each page needs and what to do there. */
struct user_walk {
	unsigned access; /* USER_ACCESS_* every page must allow */
	unsigned flags;  /* UACCESS_NOFAULT or 0 */
	chunk_fn fn;
	void *arg;
	size_t done; /* bytes done, up to the first failing page */
};

/*
 * Runs w->fn over [va, va+len) in pieces that never cross a page, each
 * after checking (and resolving) access to its page. Every piece must lie
 * in the user range. The space's lock is held per page (the piece itself
 * included, so the frame cannot be unmapped and reused under it), never
 * across pages. Returns 0 (also when fn stopped early), -EFAULT or
 * -ENOMEM; w->done counts the bytes of the pieces done before a failing
 * page.
 */
static int user_iter(struct vm_space *vs, uintptr_t va, size_t len,
		     struct user_walk *w)
{
	while (w->done < len) {
		uintptr_t cur = va + w->done;
		size_t off = cur & (PAGE_SIZE - 1);
		size_t n = MIN(len - w->done, PAGE_SIZE - off);
		hal_paddr_t pa;
		bool stop;
		int err;

		if (cur < va || !vm_user_range(cur, n))
			return -EFAULT; /* wrapped, or outside user space */
		spin_lock(&vs->lock);
		err = user_page(vs, cur - off, w->access, w->flags, &pa);
		if (err) {
			spin_unlock(&vs->lock);
			return err;
		}
		stop = w->fn((char *)hal_phys_to_virt(pa) + off, w->done, n,
			     w->arg);
		spin_unlock(&vs->lock);
		if (stop)
			break;
		w->done += n;
	}
	return 0;
}

static bool chunk_from(char *kp, size_t done, size_t n, void *arg)
{
	memcpy((char *)arg + done, kp, n);
	return false;
}

static bool chunk_to(char *kp, size_t done, size_t n, void *arg)
{
	memcpy(kp, (const char *)arg + done, n);
	return false;
}

static bool chunk_clear(char *kp, size_t done, size_t n, void *arg)
{
	memset(kp, 0, n);
	return false;
}

/*
 * user_iter over a range that must lie wholly in user space: one that
 * wraps or leaves it fails with -EFAULT before anything is copied. An
 * empty range is 0 wherever it is.
 */
static int user_copy(struct vm_space *vs, uintptr_t va, size_t len,
		     struct user_walk *w)
{
	if (len == 0)
		return 0;
	if (!vm_user_range(va, len))
		return -EFAULT;
	return user_iter(vs, va, len, w);
}

/* A walk that copies from user memory into dst, or (chunk_to only reads
 * through arg) from src into user memory. */
#define WALK_FROM(dst, flags) \
	{ USER_ACCESS_READ, (flags), chunk_from, (dst), 0 }
#define WALK_TO(src, flags) \
	{ USER_ACCESS_WRITE, (flags), chunk_to, (void *)(src), 0 }

int vm_copy_from_user(struct vm_space *vs, void *dst, uintptr_t src,
		      size_t len)
{
	struct user_walk w = WALK_FROM(dst, 0);

	return user_copy(vs, src, len, &w);
}

int vm_copy_to_user(struct vm_space *vs, uintptr_t dst, const void *src,
		    size_t len)
{
	struct user_walk w = WALK_TO(src, 0);

	return user_copy(vs, dst, len, &w);
}

/* A walk that zeroes user memory. */
#define WALK_CLEAR { USER_ACCESS_WRITE, 0, chunk_clear, NULL, 0 }

int vm_clear_user(struct vm_space *vs, uintptr_t dst, size_t len)
{
	struct user_walk w = WALK_CLEAR;

	return user_copy(vs, dst, len, &w);
}

int vm_copy_from_user_nofault(struct vm_space *vs, void *dst, uintptr_t src,
			      size_t len)
{
	struct user_walk w = WALK_FROM(dst, UACCESS_NOFAULT);

	return user_copy(vs, src, len, &w);
}

int vm_copy_to_user_nofault(struct vm_space *vs, uintptr_t dst,
			    const void *src, size_t len)
{
	struct user_walk w = WALK_TO(src, UACCESS_NOFAULT);

	return user_copy(vs, dst, len, &w);
}

/* A short copy's result: the count, unless nothing at all was copied. */
static ssize_t partial_result(int err, const struct user_walk *w)
{
	return w->done > 0 || err == 0 ? (ssize_t)w->done : err;
}

ssize_t vm_copy_from_user_partial(struct vm_space *vs, void *dst,
				  uintptr_t src, size_t len)
{
	struct user_walk w = WALK_FROM(dst, 0);

	return partial_result(user_copy(vs, src, len, &w), &w);
}

ssize_t vm_copy_to_user_partial(struct vm_space *vs, uintptr_t dst,
				const void *src, size_t len)
{
	struct user_walk w = WALK_TO(src, 0);

	return partial_result(user_copy(vs, dst, len, &w), &w);
}

ssize_t vm_clear_user_partial(struct vm_space *vs, uintptr_t dst, size_t len)
{
	struct user_walk w = WALK_CLEAR;

	return partial_result(user_copy(vs, dst, len, &w), &w);
}

struct strncpy_arg {
	char *dst;
	size_t len; /* of the string, once the NUL is found */
	bool found;
};

static bool chunk_str(char *kp, size_t done, size_t n, void *arg)
{
	struct strncpy_arg *s = arg;
	size_t i;

	for (i = 0; i < n && kp[i]; i++)
		;
	if (i < n) { /* the NUL is in this piece */
		memcpy(s->dst + done, kp, i + 1);
		s->len = done + i;
		s->found = true;
		return true;
	}
	memcpy(s->dst + done, kp, n);
	return false;
}

ssize_t vm_strncpy_from_user(struct vm_space *vs, char *dst, uintptr_t src,
			     size_t max)
{
	struct strncpy_arg s = { dst, 0, false };
	struct user_walk w = { USER_ACCESS_READ, 0, chunk_str, &s, 0 };
	int err;

	if (max == 0)
		return -ENAMETOOLONG;
	/* The string may end before an invalid page: check page by page. */
	err = user_iter(vs, src, max, &w);
	if (err)
		return err;
	return s.found ? (ssize_t)s.len : -ENAMETOOLONG;
}

int vm_fault_in_user_writeable(struct vm_space *vs, uintptr_t va)
{
	if (!vm_user_range(va, 1))
		return -EFAULT;
	return vm_resolve_fault(vs, va, USER_ACCESS_READ | USER_ACCESS_WRITE);
}

/* ---- 32-bit user words ---------------------------------------------- */

/* What to do to one aligned user word, and what it held before. */
struct word_op {
	int kind; /* WORD_LOAD ... WORD_CMPXCHG, or an enum user_atomic_op */
	uint32_t arg, expected;
	uint32_t old;
};

/* Kinds of word_op beyond enum user_atomic_op (whose values are 0..4). */
#define WORD_LOAD (-1)
#define WORD_STORE (-2)
#define WORD_CMPXCHG (-3)
#define WORD_BAD 99 /* an op the caller made up */

/* The one atomic instruction (or LR/SC loop) on the word's frame. */
static uint32_t word_apply(uint32_t *word, struct word_op *op)
{
	uint32_t old = op->expected;

	switch (op->kind) {
	case WORD_LOAD:
		return __atomic_load_n(word, __ATOMIC_SEQ_CST);
	case WORD_STORE:
		__atomic_store_n(word, op->arg, __ATOMIC_SEQ_CST);
		return 0;
	case WORD_CMPXCHG:
		/* On a mismatch old becomes the word's value; else it was. */
		__atomic_compare_exchange_n(word, &old, op->arg, false,
					    __ATOMIC_SEQ_CST,
					    __ATOMIC_SEQ_CST);
		return old;
	case USER_ATOMIC_SET:
		return __atomic_exchange_n(word, op->arg, __ATOMIC_SEQ_CST);
	case USER_ATOMIC_ADD:
		return __atomic_fetch_add(word, op->arg, __ATOMIC_SEQ_CST);
	case USER_ATOMIC_OR:
		return __atomic_fetch_or(word, op->arg, __ATOMIC_SEQ_CST);
	case USER_ATOMIC_ANDN:
		return __atomic_fetch_and(word, ~op->arg, __ATOMIC_SEQ_CST);
	case USER_ATOMIC_XOR:
		return __atomic_fetch_xor(word, op->arg, __ATOMIC_SEQ_CST);
	}
	return 0; /* not reached: user_word validated the kind */
}

static bool chunk_word(char *kp, size_t done, size_t n, void *arg)
{
	struct word_op *op = arg;

	/* The address is 4-aligned and the direct map page-aligned. */
	op->old = word_apply((uint32_t *)(void *)kp, op);
	return false;
}

/*
 * Applies op to the aligned user word at va under the space's lock, with
 * access checked (and, without UACCESS_NOFAULT, resolved) first. Returns 0
 * with op->old set, -EINVAL if misaligned, -ENOSYS for an unknown kind,
 * -EFAULT or -ENOMEM.
 */
static int user_word(struct vm_space *vs, uintptr_t va, unsigned flags,
		     struct word_op *op)
{
	unsigned access = USER_ACCESS_READ;
	struct user_walk w = { 0, flags, chunk_word, op, 0 };

	if (!IS_ALIGNED(va, sizeof(uint32_t)))
		return -EINVAL;
	if (op->kind < WORD_CMPXCHG || op->kind > USER_ATOMIC_XOR)
		return -ENOSYS;
	if (op->kind != WORD_LOAD)
		access |= USER_ACCESS_WRITE;
	w.access = access;
	return user_copy(vs, va, sizeof(uint32_t), &w);
}

int vm_get_user_u32(struct vm_space *vs, uint32_t *val, uintptr_t src,
		    unsigned flags)
{
	struct word_op op = { WORD_LOAD, 0, 0, 0 };
	int err = user_word(vs, src, flags, &op);

	if (!err)
		*val = op.old;
	return err;
}

int vm_put_user_u32(struct vm_space *vs, uintptr_t dst, uint32_t val,
		    unsigned flags)
{
	struct word_op op = { WORD_STORE, val, 0, 0 };

	return user_word(vs, dst, flags, &op);
}

int vm_user_atomic_op_u32(struct vm_space *vs, uintptr_t uaddr,
			  enum user_atomic_op uop, uint32_t arg,
			  uint32_t *old, unsigned flags)
{
	/* Any value outside the enum becomes WORD_BAD (-ENOSYS). */
	int kind = (unsigned)uop <= USER_ATOMIC_XOR ? (int)uop : WORD_BAD;
	struct word_op op = { kind, arg, 0, 0 };
	int err = user_word(vs, uaddr, flags, &op);

	if (!err && old)
		*old = op.old;
	return err;
}

int vm_user_cmpxchg_u32(struct vm_space *vs, uintptr_t uaddr,
			uint32_t expected, uint32_t desired, uint32_t *old,
			unsigned flags)
{
	struct word_op op = { WORD_CMPXCHG, desired, expected, 0 };
	int err = user_word(vs, uaddr, flags, &op);

	if (!err && old)
		*old = op.old;
	return err;
}

/* ---- On the current task -------------------------------------------- */

/*
 * The current task's space. Every public function fails with -EFAULT when
 * there is none (a kernel task): it has no user memory.
 */
static struct vm_space *current_vm(void)
{
	struct task *t = task_current();

	return t ? task_vm(t) : NULL;
}

int copy_from_user(void *dst, uptr_t src, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_copy_from_user(vs, dst, src.addr, len) : -EFAULT;
}

int copy_to_user(uptr_t dst, const void *src, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_copy_to_user(vs, dst.addr, src, len) : -EFAULT;
}

int clear_user(uptr_t dst, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_clear_user(vs, dst.addr, len) : -EFAULT;
}

ssize_t strncpy_from_user(char *dst, uptr_t src, size_t max)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_strncpy_from_user(vs, dst, src.addr, max) : -EFAULT;
}

ssize_t copy_from_user_partial(void *dst, uptr_t src, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_copy_from_user_partial(vs, dst, src.addr, len)
		  : -EFAULT;
}

ssize_t copy_to_user_partial(uptr_t dst, const void *src, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_copy_to_user_partial(vs, dst.addr, src, len) : -EFAULT;
}

ssize_t clear_user_partial(uptr_t dst, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_clear_user_partial(vs, dst.addr, len) : -EFAULT;
}

int copy_from_user_nofault(void *dst, uptr_t src, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_copy_from_user_nofault(vs, dst, src.addr, len)
		  : -EFAULT;
}

int copy_to_user_nofault(uptr_t dst, const void *src, size_t len)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_copy_to_user_nofault(vs, dst.addr, src, len) : -EFAULT;
}

int fault_in_user_writeable(uptr_t addr)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_fault_in_user_writeable(vs, addr.addr) : -EFAULT;
}

static int get_u32(uint32_t *val, uptr_t src, unsigned flags)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_get_user_u32(vs, val, src.addr, flags) : -EFAULT;
}

static int atomic_op_u32(uptr_t uaddr, enum user_atomic_op op, uint32_t arg,
			 uint32_t *old, unsigned flags)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_user_atomic_op_u32(vs, uaddr.addr, op, arg, old, flags)
		  : -EFAULT;
}

static int cmpxchg_u32(uptr_t uaddr, uint32_t expected, uint32_t desired,
		       uint32_t *old, unsigned flags)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_user_cmpxchg_u32(vs, uaddr.addr, expected, desired,
					old, flags)
		  : -EFAULT;
}

int get_user_u32(uint32_t *val, uptr_t src)
{
	return get_u32(val, src, 0);
}

int get_user_u32_nofault(uint32_t *val, uptr_t src)
{
	return get_u32(val, src, UACCESS_NOFAULT);
}

int put_user_u32(uptr_t dst, uint32_t val)
{
	struct vm_space *vs = current_vm();

	return vs ? vm_put_user_u32(vs, dst.addr, val, 0) : -EFAULT;
}

int user_atomic_op_u32(uptr_t uaddr, enum user_atomic_op op, uint32_t arg,
		       uint32_t *old)
{
	return atomic_op_u32(uaddr, op, arg, old, 0);
}

int user_atomic_op_u32_nofault(uptr_t uaddr, enum user_atomic_op op,
			       uint32_t arg, uint32_t *old)
{
	return atomic_op_u32(uaddr, op, arg, old, UACCESS_NOFAULT);
}

int user_cmpxchg_u32(uptr_t uaddr, uint32_t expected, uint32_t desired,
		     uint32_t *old)
{
	return cmpxchg_u32(uaddr, expected, desired, old, 0);
}

int user_cmpxchg_u32_nofault(uptr_t uaddr, uint32_t expected,
			     uint32_t desired, uint32_t *old)
{
	return cmpxchg_u32(uaddr, expected, desired, old, UACCESS_NOFAULT);
}
