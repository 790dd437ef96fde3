/*
 * Stream unix sockets: send splits the data into messages of at most
 * half the send buffer (32 KiB at most), each charged to the sender,
 * waiting (or -EAGAIN) while what it has in flight reaches SO_SNDBUF;
 * fds go with the first message only. Receive reads across messages up
 * to the boundaries Linux keeps (a message with fds ends a read; with
 * SO_PASSCRED so do other creds), waits for the first byte (MSG_WAITALL:
 * for all of them), and gives the pending error, then end of file, once
 * the queue is empty. Writing to a shut or closed connection is EPIPE
 * and SIGPIPE (unless MSG_NOSIGNAL).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>

#include "unix_internal.h"

#define STREAM_CHUNK 32768u

/* The EPIPE of a send: SIGPIPE when nothing went yet, as Linux. */
static ssize_t pipe_error(size_t sent, int flags)
{
	if (!sent)
		sock_sigpipe(flags);
	return sent ? (ssize_t)sent : -EPIPE;
}

/* Waits until u may charge more (unix_lock held, and held again on
 * return): 0, -EPIPE (shut meanwhile), -EAGAIN, unix_wait's errors. */
static int wait_for_room(struct unix_sock *u, bool nonblock,
			 uint64_t deadline)
{
	while (u->wmem >= u->sndbuf) {
		unsigned seen = u->seq;
		int err;

		if (u->shutdown & UNIX_SEND_SHUTDOWN)
			return -EPIPE;
		if (u->err)
			return -u->err;
		if (nonblock)
			return -EAGAIN;
		unix_unlock();
		err = unix_wait(&u->wq, &u->seq, seen, deadline);
		unix_lock();
		if (err)
			return err;
	}
	return (u->shutdown & UNIX_SEND_SHUTDOWN) ? -EPIPE : 0;
}

/* send_chunk's result when the peer is gone or shut for reading: an
 * EPIPE that raises SIGPIPE (a kernel-internal value, never returned). */
#define PEER_GONE (-EPIPE - 1000)

/* One message of size bytes from the user to u's peer (unix_lock held):
 * the bytes sent, or -ENOMEM, -EFAULT, PEER_GONE. */
static ssize_t send_chunk(struct unix_sock *u, struct sock_msg *m,
			  size_t size, bool with_fds)
{
	struct unix_sock *p = u->peer;
	struct unix_msg *msg;
	int err = unix_msg_from_user(m, size, &msg);

	if (err)
		return err;
	/* A TCP peer shut for reading still takes data, as Linux's. */
	if (!p || p->dead ||
	    ((p->shutdown & UNIX_RCV_SHUTDOWN) && !p->fin_on_close)) {
		kfree(msg);
		return PEER_GONE;
	}
	msg->len = size;
	msg->from = u->addr;
	if (with_fds)
		unix_msg_fill_scm(msg, m);
	else
		msg->scm.creds = m->scm.creds;
	msg->sender = u;
	unix_sock_get(u);
	msg->charge = size + UNIX_MSG_OVERHEAD;
	u->wmem += msg->charge;
	msgq_push(&p->rcvq, msg);
	unix_data_ready(p);
	return (ssize_t)size;
}

static ssize_t stream_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = s->sk;
	size_t len = m->it.left, sent = 0;
	ssize_t n = 0;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->addrlen)
		return u->state == UNIX_CONNECTED ? -EISCONN : -EOPNOTSUPP;
	unix_lock();
	if (!u->peer || u->state != UNIX_CONNECTED) {
		unix_unlock();
		return -ENOTCONN;
	}
	if (u->shutdown & UNIX_SEND_SHUTDOWN) {
		unix_unlock();
		return pipe_error(0, m->flags);
	}
	while (sent < len) {
		size_t size = MIN(len - sent, MIN(u->sndbuf / 2 - 64,
						  STREAM_CHUNK));

		n = wait_for_room(u, m->nonblock, m->deadline);
		if (!n)
			n = send_chunk(u, m, size, !sent);
		if (n < 0)
			break;
		sent += (size_t)n;
	}
	unix_unlock();
	if (n == PEER_GONE)
		return pipe_error(sent, m->flags);
	if (n < 0 && !sent)
		return n;
	return (ssize_t)sent;
}

static ssize_t copy_out(void *arg, const void *src, size_t n)
{
	return sock_iter_to_user(arg, src, n);
}

/* Hands the fds of the message r found to the receive (unix_lock). */
static void take_fds(struct msgq_read *r, struct sock_msg *m)
{
	if (!r->fds || m->scm.nfds)
		return;
	m->scm.fds = r->fds->scm.fds;
	m->scm.nfds = r->fds->scm.nfds;
	r->fds->scm.fds = NULL;
	r->fds->scm.nfds = 0;
}

/* Frees what a receive consumed (unix_lock held, then released). */
static void finish_read(struct list_head *done)
{
	struct list_head freed;

	list_init(&freed);
	while (!list_empty(done)) {
		struct unix_msg *msg =
			list_first_entry(done, struct unix_msg, link);

		list_del(&msg->link);
		unix_msg_discard(msg, &freed);
	}
	unix_unlock();
	unix_msgs_free(&freed, false);
}

/* Whether a receive that has copied `copied` bytes stops at an empty
 * queue: *ret is what it returns then. unix_lock held. */
static bool stops_empty(struct unix_sock *u, size_t copied, size_t target,
			bool nonblock, ssize_t *ret)
{
	*ret = (ssize_t)copied;
	if (copied >= target)
		return true;
	if (u->err) {
		if (!copied)
			*ret = -u->err;
		u->err = 0;
		return true;
	}
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		return true;
	if (nonblock) {
		if (!copied)
			*ret = -EAGAIN;
		return true;
	}
	return false;
}

static ssize_t stream_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = s->sk;
	size_t len = m->it.left, copied = 0;
	size_t target = (m->flags & MSG_WAITALL) ? MAX(len, (size_t)1) : 1;
	bool peek = m->flags & MSG_PEEK;
	struct msgq_read r = { 0 };
	struct list_head done;
	bool vfs_held = false;
	ssize_t ret;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	list_init(&done);
	unix_lock();
	if (u->state != UNIX_CONNECTED) {
		unix_unlock();
		return -EINVAL;
	}
	for (;;) {
		unsigned seen;
		ssize_t n;

		if (!u->rcvq.count) {
			if (stops_empty(u, copied, target, m->nonblock, &ret))
				break;
			seen = u->seq;
			unix_unlock();
			unix_peek_unlock(&vfs_held);
			n = unix_wait(&u->wq, &u->seq, seen, m->deadline);
			unix_lock();
			if (n) {
				ret = copied ? (ssize_t)copied : n;
				break;
			}
			continue;
		}
		if (peek && unix_peek_lock(&vfs_held))
			continue;
		n = msgq_read_stream(&u->rcvq, len - copied, peek, u->passcred,
				     copy_out, &m->it, &done, &r);
		if (!peek)
			take_fds(&r, m);
		else if (r.fds)
			unix_dup_fds(&r.fds->scm, &m->scm);
		if (n < 0) {
			ret = copied ? (ssize_t)copied : n;
			break;
		}
		copied += (size_t)n;
		ret = (ssize_t)copied;
		if (peek || r.stopped || copied >= len)
			break;
	}
	if (r.has_first) {
		if (u->passcred) {
			m->scm.has_creds = true;
			m->scm.creds = r.creds;
		}
		memcpy(m->addr, r.from.bytes, r.from.len);
		m->addrlen = r.from.len;
	}
	finish_read(&done);
	unix_peek_unlock(&vfs_held);
	return ret;
}

uint32_t unix_stream_poll(struct socket *s, struct poll_table *pt)
{
	struct unix_sock *u = s->sk;
	uint32_t mask = 0;

	poll_wait(pt, &u->wq);
	unix_lock();
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown == UNIX_SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->rcvq.count || (u->state == UNIX_LISTEN && u->npending))
		mask |= POLLIN | POLLRDNORM;
	if (u->state == UNIX_UNCONNECTED)
		mask |= POLLHUP;
	if (u->state != UNIX_LISTEN && (u->wmem << 2) <= u->sndbuf)
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	unix_unlock();
	return mask;
}

const struct sock_ops unix_stream_ops = {
	.release = unix_release,
	.bind = unix_sock_bind,
	.connect = unix_stream_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.getname = unix_getname,
	.shutdown = unix_shutdown,
	.sendmsg = stream_sendmsg,
	.recvmsg = stream_recvmsg,
	.poll = unix_stream_poll,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.pair = unix_socketpair,
	.ioctl = unix_ioctl,
};
