/*
 * The user's buffers of a send or receive as one cursor (struct
 * sock_iter): a single buffer (read, write, sendto, recvfrom) or the
 * iovec array of a msghdr (sendmsg, recvmsg), which is copied in once and
 * checked as Linux's import_iovec does (at most UIO_MAXIOV entries, no
 * negative length, the total capped at MAX_RW_COUNT). Copies stop at the
 * first byte the user cannot access and report what moved.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/uaccess.h>

#include "net_internal.h"

/* Linux's MAX_RW_COUNT. */
#define SOCK_RW_MAX 0x7ffff000ul

void sock_iter_buf(struct sock_iter *it, uptr_t buf, size_t len)
{
	*it = (struct sock_iter){ 0 };
	if (len > SOCK_RW_MAX)
		len = SOCK_RW_MAX;
	it->one.iov_base = buf.addr;
	it->one.iov_len = len;
	it->iov = &it->one;
	it->nr = 1;
	it->left = len;
}

int sock_iter_iov(struct sock_iter *it, uptr_t iov, uint64_t nr)
{
	size_t total = 0;

	*it = (struct sock_iter){ 0 };
	if (nr > UIO_MAXIOV)
		return -EMSGSIZE;
	if (nr) {
		it->iov = kcalloc(nr, sizeof(*it->iov));
		if (!it->iov)
			return -ENOMEM;
		it->owned = true;
		if (copy_from_user(it->iov, iov, nr * sizeof(*it->iov))) {
			sock_iter_done(it);
			return -EFAULT;
		}
	}
	for (uint64_t k = 0; k < nr; k++) {
		if ((int64_t)it->iov[k].iov_len < 0) {
			sock_iter_done(it);
			return -EINVAL;
		}
		/* Linux truncates the vector at MAX_RW_COUNT. */
		if (it->iov[k].iov_len > SOCK_RW_MAX - total)
			it->iov[k].iov_len = SOCK_RW_MAX - total;
		total += it->iov[k].iov_len;
	}
	it->nr = (unsigned)nr;
	it->left = total;
	return 0;
}

void sock_iter_done(struct sock_iter *it)
{
	if (it->owned)
		kfree(it->iov);
	it->iov = NULL;
	it->owned = false;
}

/* The current segment's next user address and the bytes left in it
 * (skipping exhausted and empty ones); 0 at the end. */
static size_t segment(struct sock_iter *it, uptr_t *at)
{
	while (it->idx < it->nr && it->off >= it->iov[it->idx].iov_len) {
		it->idx++;
		it->off = 0;
	}
	if (it->idx >= it->nr || !it->left)
		return 0;
	*at = uptr_add(uptr(it->iov[it->idx].iov_base), it->off);
	return MIN((size_t)(it->iov[it->idx].iov_len - it->off), it->left);
}

typedef ssize_t (*seg_copy_fn)(void *kbuf, uptr_t user, size_t n);

static ssize_t copy_in(void *kbuf, uptr_t user, size_t n)
{
	return copy_from_user_partial(kbuf, user, n);
}

static ssize_t copy_out(void *kbuf, uptr_t user, size_t n)
{
	return copy_to_user_partial(user, kbuf, n);
}

static ssize_t iter_copy(struct sock_iter *it, uint8_t *kbuf, size_t n,
			 seg_copy_fn fn)
{
	size_t done = 0;

	while (done < n) {
		uptr_t at;
		size_t seg = segment(it, &at);
		ssize_t got;

		if (!seg)
			break;
		seg = MIN(seg, n - done);
		got = fn(kbuf + done, at, seg);
		if (got < 0)
			break;
		it->off += (size_t)got;
		it->left -= (size_t)got;
		done += (size_t)got;
		if ((size_t)got < seg)
			return done ? (ssize_t)done : -EFAULT;
	}
	if (!done && n && it->left)
		return -EFAULT;
	return (ssize_t)done;
}

ssize_t sock_iter_from_user(struct sock_iter *it, void *dst, size_t n)
{
	return iter_copy(it, dst, n, copy_in);
}

ssize_t sock_iter_to_user(struct sock_iter *it, const void *src, size_t n)
{
	/* The copy only reads src; the cast keeps one helper for both
	 * directions. */
	return iter_copy(it, (uint8_t *)src, n, copy_out);
}
