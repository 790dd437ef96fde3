/*
 * The data calls of sockets: sendto, recvfrom, sendmsg, recvmsg,
 * sendmmsg, recvmmsg. Each builds a struct sock_msg (the user's buffers,
 * the flags with MSG_DONTWAIT for an O_NONBLOCK file, the address, the
 * parsed control messages) and hands it to the family; a receive then
 * writes the source address, the control messages (scm.c), msg_flags
 * and msg_controllen back, as Linux's ____sys_recvmsg.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/event.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>

#include "net_internal.h"

/* Linux's net.core.optmem_max bounds a send's control messages. */
#define CTL_MAX 65536u

static struct sock_msg *msg_new(struct file *f, int flags)
{
	struct sock_msg *m = kzalloc(sizeof(*m));

	if (!m)
		return NULL;
	m->flags = flags;
	m->nonblock = (flags & MSG_DONTWAIT) || (f->flags & O_NONBLOCK);
	return m;
}

static void msg_free(struct sock_msg *m)
{
	sock_iter_done(&m->it);
	scm_release(&m->scm, false);
	kfree(m);
}

/* sendto and recvfrom: one buffer, and when uaddr is not NULL the
 * address given (send: addrlen bytes) or written back (receive: cut to
 * the int at ulen, which gets its length). */
static long send_recv_buf(struct proc *proc, int fd, uptr_t buf, size_t len,
			  int flags, uptr_t uaddr, int addrlen, uptr_t ulen,
			  bool send)
{
	struct socket *s;
	struct file *f;
	struct sock_msg *m;
	long err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	m = msg_new(f, flags);
	if (!m) {
		fd_put(f);
		return -ENOMEM;
	}
	sock_iter_buf(&m->it, buf, len);
	if (send && uaddr.addr) {
		if (addrlen < 0 || addrlen > SOCK_ADDR_MAX)
			err = -EINVAL;
		else if (copy_from_user(m->addr, uaddr, (size_t)addrlen))
			err = -EFAULT;
		m->addrlen = (size_t)addrlen;
	}
	if (!err)
		err = send ? sock_sendmsg(s, m) : sock_recvmsg(s, m);
	if (!send && err >= 0 && uaddr.addr) {
		int e = sock_addr_out(m->addr, m->addrlen, uaddr, ulen);

		if (e)
			err = e;
	}
	msg_free(m);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE6(sendto, int, fd, uptr_t, buf, size_t, len, int, flags,
		uptr_t, uaddr, int, addrlen)
{
	return send_recv_buf(proc, fd, buf, len, flags, uaddr, addrlen,
			     uptr(0), true);
}

SYSCALL_DEFINE6(recvfrom, int, fd, uptr_t, buf, size_t, len, int, flags,
		uptr_t, uaddr, uptr_t, ulen)
{
	return send_recv_buf(proc, fd, buf, len, flags, uaddr, 0, ulen,
			     false);
}

/* Copies the user's msghdr in and sets up m's buffers from it (Linux's
 * __copy_msghdr and import_iovec). send: the address and control
 * messages are taken too. */
static int msghdr_in(struct proc *proc, uptr_t umsg, struct sock_msg *m,
		     struct linux_msghdr *h, bool send)
{
	int err;

	if (copy_from_user(h, umsg, sizeof(*h)))
		return -EFAULT;
	if (h->msg_namelen < 0)
		return -EINVAL;
	if (h->msg_namelen > SOCK_ADDR_MAX)
		h->msg_namelen = SOCK_ADDR_MAX;
	if (!h->msg_name)
		h->msg_namelen = 0;
	err = sock_iter_iov(&m->it, uptr(h->msg_iov), h->msg_iovlen);
	if (err || !send)
		return err;
	if (h->msg_namelen) {
		if (copy_from_user(m->addr, uptr(h->msg_name),
				   (size_t)h->msg_namelen))
			return -EFAULT;
		m->addrlen = (size_t)h->msg_namelen;
	}
	if (h->msg_controllen) {
		void *ctl;

		if (h->msg_controllen > CTL_MAX)
			return -ENOBUFS;
		ctl = kmalloc(h->msg_controllen);
		if (!ctl)
			return -ENOBUFS;
		err = copy_from_user(ctl, uptr(h->msg_control),
				     h->msg_controllen)
			      ? -EFAULT
			      : scm_parse(proc, ctl, h->msg_controllen,
					  &m->scm);
		kfree(ctl);
	}
	return err;
}

/* What a receive writes back into the user's msghdr at umsg. */
static long msghdr_out(struct proc *proc, uptr_t umsg,
		       const struct linux_msghdr *h, struct sock_msg *m,
		       long ret)
{
	size_t ctl = h->msg_controllen;
	int flags = m->flags & MSG_CMSG_CLOEXEC;
	int err;

	if (h->msg_name) {
		err = sock_addr_out(m->addr, m->addrlen, uptr(h->msg_name),
				    uptr_add(umsg, __builtin_offsetof(
							   struct linux_msghdr,
							   msg_namelen)));
		if (err)
			return err;
	}
	err = scm_emit(proc, &m->scm, true, uptr(h->msg_control), &ctl,
		       m->flags, &m->out_flags);
	if (err)
		return err;
	flags |= m->out_flags;
	if (copy_to_user(uptr_add(umsg, __builtin_offsetof(struct linux_msghdr,
							  msg_flags)),
			 &flags, sizeof(flags)))
		return -EFAULT;
	if (copy_to_user(uptr_add(umsg, __builtin_offsetof(struct linux_msghdr,
							  msg_controllen)),
			 &(uint64_t){ ctl }, sizeof(uint64_t)))
		return -EFAULT;
	return ret;
}

/* One sendmsg or recvmsg on s with the msghdr at umsg. */
static long msg_one(struct proc *proc, struct socket *s, struct file *f,
		    uptr_t umsg, int flags, bool send)
{
	struct linux_msghdr h;
	struct sock_msg *m = msg_new(f, flags);
	long ret;

	if (!m)
		return -ENOMEM;
	ret = msghdr_in(proc, umsg, m, &h, send);
	if (!ret)
		ret = send ? sock_sendmsg(s, m) : sock_recvmsg(s, m);
	if (!send && ret >= 0)
		ret = msghdr_out(proc, umsg, &h, m, ret);
	msg_free(m);
	return ret;
}

static long msg_call(struct proc *proc, int fd, uptr_t umsg, int flags,
		     bool send)
{
	struct socket *s;
	struct file *f;
	long err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	err = msg_one(proc, s, f, umsg, flags, send);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE3(sendmsg, int, fd, uptr_t, umsg, int, flags)
{
	return msg_call(proc, fd, umsg, flags, true);
}

SYSCALL_DEFINE3(recvmsg, int, fd, uptr_t, umsg, int, flags)
{
	return msg_call(proc, fd, umsg, flags, false);
}

/* The msg_len of entry k of an mmsghdr array. */
static uptr_t mmsg_len(uptr_t mmsg, unsigned k)
{
	return uptr_add(mmsg, k * sizeof(struct linux_mmsghdr) +
				      __builtin_offsetof(struct linux_mmsghdr,
							 msg_len));
}

static int put_len(uptr_t mmsg, unsigned k, long len)
{
	uint32_t v = (uint32_t)len;

	return copy_to_user(mmsg_len(mmsg, k), &v, sizeof(v));
}

/* sendmmsg's and recvmmsg's loop: up to vlen (at most UIO_MAXIOV)
 * messages, each one's length written to its msg_len; a receive after
 * the first is non-blocking with MSG_WAITFORONE and the loop ends after
 * the message that reached the deadline (Linux checks the timeout only
 * then). The number done, or the first message's error. */
static long mmsg_loop(struct proc *proc, int fd, uptr_t mmsg, unsigned vlen,
		      int flags, uint64_t deadline, bool send)
{
	struct socket *s;
	struct file *f;
	unsigned k;
	long err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	if (vlen > UIO_MAXIOV)
		vlen = UIO_MAXIOV;
	for (k = 0; k < vlen; k++) {
		err = msg_one(proc, s, f,
			      uptr_add(mmsg, k * sizeof(struct linux_mmsghdr)),
			      flags, send);
		if (err < 0)
			break;
		if (put_len(mmsg, k, err)) {
			err = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (deadline != WAIT_FOREVER && !time_left_ns(deadline)) {
			k++;
			break;
		}
	}
	fd_put(f);
	return k ? (long)k : err;
}

SYSCALL_DEFINE4(sendmmsg, int, fd, uptr_t, mmsg, unsigned int, vlen, int,
		flags)
{
	/* MSG_WAITFORONE means nothing to a send. */
	return mmsg_loop(proc, fd, mmsg, vlen, flags & ~MSG_WAITFORONE,
			 WAIT_FOREVER, true);
}

/* recvmmsg: the timeout is relative; the time left is written back. */
SYSCALL_DEFINE5(recvmmsg, int, fd, uptr_t, mmsg, unsigned int, vlen, int,
		flags, uptr_t, timeout)
{
	uint64_t deadline = WAIT_FOREVER;
	long ret;

	if (timeout.addr) {
		ret = event_user_deadline(timeout, &deadline);
		if (ret)
			return ret;
	}
	ret = mmsg_loop(proc, fd, mmsg, vlen, flags, deadline, false);
	if (timeout.addr)
		event_user_time_left(timeout, deadline, 0);
	return ret;
}
