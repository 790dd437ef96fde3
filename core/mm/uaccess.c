/*
 * User-memory access. The kernel never dereferences a user address: it
 * walks the address space's page tables, checks the page as user code
 * would be checked (user bit, read/write permission), and copies through
 * the direct map, page by page. A page that is not accessible goes through
 * vm_resolve_fault first, so copy-on-write is broken on write and demand
 * paging fills holes, exactly as for a fault in user mode.
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
 * Finds the frame behind user address va for access, resolving faults.
 * Called with vs->lock held, which it drops around vm_resolve_fault.
 * Returns 0 with *pa the page's frame, -EFAULT or -ENOMEM.
 */
static int user_page(struct vm_space *vs, uintptr_t va, unsigned access,
		     hal_paddr_t *pa)
{
	for (int tries = 0;; tries++) {
		unsigned flags;
		int err;

		if (pt_lookup(vs->fmt, vs->root, va, pa, &flags) == 0 &&
		    vm_access_ok(flags, access))
			return 0;
		if (tries == UACCESS_TRIES)
			return -EFAULT;
		spin_unlock(&vs->lock);
		err = vm_resolve_fault(vs, va, access);
		spin_lock(&vs->lock);
		if (err)
			return err == -ENOMEM ? -ENOMEM : -EFAULT;
	}
}

/* Does one page's part of a copy; returns true to stop early. */
typedef bool (*chunk_fn)(char *kp, size_t done, size_t n, void *arg);

/*
 * Runs fn over [va, va+len) in pieces that never cross a page, each after
 * checking (and resolving) access to its page. Every piece must lie in the
 * user range. The space's lock is held per page (the copy itself included,
 * so the frame cannot be unmapped and reused under it), never across
 * pages. Returns 0 (also when fn stopped early), -EFAULT or -ENOMEM;
 * pieces before a failing page have been done.
 */
static int user_iter(struct vm_space *vs, uintptr_t va, size_t len,
		     unsigned access, chunk_fn fn, void *arg)
{
	for (size_t done = 0; done < len;) {
		uintptr_t cur = va + done;
		size_t off = cur & (PAGE_SIZE - 1);
		size_t n = MIN(len - done, PAGE_SIZE - off);
		hal_paddr_t pa;
		bool stop;
		int err;

		if (cur < va || !vm_user_range(cur, n))
			return -EFAULT; /* wrapped, or outside user space */
		spin_lock(&vs->lock);
		err = user_page(vs, cur - off, access, &pa);
		if (err) {
			spin_unlock(&vs->lock);
			return err;
		}
		stop = fn((char *)hal_phys_to_virt(pa) + off, done, n, arg);
		spin_unlock(&vs->lock);
		if (stop)
			break;
		done += n;
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
		     unsigned access, chunk_fn fn, void *arg)
{
	if (len == 0)
		return 0;
	if (!vm_user_range(va, len))
		return -EFAULT;
	return user_iter(vs, va, len, access, fn, arg);
}

int vm_copy_from_user(struct vm_space *vs, void *dst, uintptr_t src,
		      size_t len)
{
	return user_copy(vs, src, len, USER_ACCESS_READ, chunk_from, dst);
}

int vm_copy_to_user(struct vm_space *vs, uintptr_t dst, const void *src,
		    size_t len)
{
	/* chunk_to only reads through arg. */
	return user_copy(vs, dst, len, USER_ACCESS_WRITE, chunk_to,
			 (void *)src);
}

int vm_clear_user(struct vm_space *vs, uintptr_t dst, size_t len)
{
	return user_copy(vs, dst, len, USER_ACCESS_WRITE, chunk_clear, NULL);
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
	int err;

	if (max == 0)
		return -ENAMETOOLONG;
	/* The string may end before an invalid page: check page by page. */
	err = user_iter(vs, src, max, USER_ACCESS_READ, chunk_str, &s);
	if (err)
		return err;
	return s.found ? (ssize_t)s.len : -ENAMETOOLONG;
}

/* ---- On the current task -------------------------------------------- */

static struct vm_space *current_vm(void)
{
	struct task *t = task_current();

	return t ? task_vm(t) : NULL;
}

int copy_from_user(void *dst, uptr_t src, size_t len)
{
	struct vm_space *vs = current_vm();

	if (!vs)
		return -EFAULT;
	return vm_copy_from_user(vs, dst, src.addr, len);
}

int copy_to_user(uptr_t dst, const void *src, size_t len)
{
	struct vm_space *vs = current_vm();

	if (!vs)
		return -EFAULT;
	return vm_copy_to_user(vs, dst.addr, src, len);
}

int clear_user(uptr_t dst, size_t len)
{
	struct vm_space *vs = current_vm();

	if (!vs)
		return -EFAULT;
	return vm_clear_user(vs, dst.addr, len);
}

ssize_t strncpy_from_user(char *dst, uptr_t src, size_t max)
{
	struct vm_space *vs = current_vm();

	if (!vs)
		return -EFAULT;
	return vm_strncpy_from_user(vs, dst, src.addr, max);
}
