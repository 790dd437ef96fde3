/*
 * Record-keeping unix sockets: datagram (SOCK_DGRAM) and sequenced
 * packet (SOCK_SEQPACKET), Linux's unix_dgram_sendmsg/recvmsg. A send
 * is one message, at most SO_SNDBUF - 32 bytes (-EMSGSIZE), to the
 * address given or the connected peer; it waits while the sender's
 * bytes in flight reach SO_SNDBUF, or while the receiver holds more than
 * max_dgram_qlen (10) messages and is not connected back to the sender.
 * A receive takes one message, cut to the buffer (MSG_TRUNC; with
 * MSG_TRUNC in the flags it returns the whole length). A seqpacket
 * socket connects as a stream one does (unix_conn.c) and sends to its
 * peer only.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>

#include "unix_internal.h"

void unix_msg_fill_scm(struct unix_msg *msg, struct sock_msg *m)
{
	msg->scm = m->scm;
	m->scm.fds = NULL;
	m->scm.nfds = 0;
}

/* Whether u may send to o: o is connected to nobody or to u. */
static bool may_send(const struct unix_sock *u, const struct unix_sock *o)
{
	return !o->peer || o->peer == u;
}

static bool queue_full(const struct unix_sock *u, const struct unix_sock *o)
{
	return o != u && o->peer != u && o->rcvq.count > UNIX_DGRAM_QLEN;
}

/* The socket the send goes to, referenced: the given name's, or the
 * peer. unix_lock not held. */
static int destination(struct unix_sock *u, struct sock_msg *m,
		       struct unix_sock **out)
{
	struct unix_addr a;
	int err;

	if (m->addrlen) {
		err = unix_addr_parse(m->addr, m->addrlen, &a);
		return err ? err : unix_find(&a, u->type, out);
	}
	unix_lock();
	*out = u->peer;
	if (*out)
		unix_sock_get(*out);
	unix_unlock();
	return *out ? 0 : -ENOTCONN;
}

/* Forgets a dead datagram peer (unix_lock held): -ECONNREFUSED. */
static int peer_died(struct unix_sock *u, struct unix_sock *o)
{
	if (u->type == SOCK_SEQPACKET)
		return -EPIPE;
	if (u->peer == o) {
		u->peer = NULL;
		u->state = UNIX_UNCONNECTED;
		unix_sock_put(o);
		return -ECONNREFUSED;
	}
	return 0;
}

/* Queues msg on o if the send may go now (unix_lock held): 0 when
 * queued, 1 when it must wait for room, -errno. */
static int try_deliver(struct unix_sock *u, struct unix_sock *o,
		       struct unix_msg *msg)
{
	if (!may_send(u, o))
		return -EPERM;
	if (o->dead)
		return peer_died(u, o);
	if (o->shutdown & UNIX_RCV_SHUTDOWN)
		return -EPIPE;
	if (queue_full(u, o))
		return 1;
	msgq_push(&o->rcvq, msg);
	unix_data_ready(o);
	return 0;
}

/* The message a send makes: the user's data copied, charged to u once
 * there is room (unix_lock held, perhaps released while waiting). */
static int build_msg(struct unix_sock *u, struct sock_msg *m, size_t len,
		     struct unix_msg **out)
{
	struct unix_msg *msg;
	int err;

	while (u->wmem >= u->sndbuf) {
		unsigned seen = u->seq;

		if (u->shutdown & UNIX_SEND_SHUTDOWN)
			return -EPIPE;
		if (m->nonblock)
			return -EAGAIN;
		unix_unlock();
		err = unix_wait(&u->wq, &u->seq, seen, m->deadline);
		unix_lock();
		if (err)
			return err;
	}
	if (u->shutdown & UNIX_SEND_SHUTDOWN)
		return -EPIPE;
	err = unix_msg_from_user(m, len, &msg);
	if (err)
		return err;
	msg->from = u->addr;
	unix_msg_fill_scm(msg, m);
	msg->sender = u;
	unix_sock_get(u);
	msg->charge = len + UNIX_MSG_OVERHEAD;
	u->wmem += msg->charge;
	*out = msg;
	return 0;
}

/* Takes back an undelivered message (unix_lock held, then released). */
static void unbuild_msg(struct unix_msg *msg)
{
	struct list_head freed;

	list_init(&freed);
	unix_msg_discard(msg, &freed);
	unix_unlock();
	unix_msgs_free(&freed, false);
}

static ssize_t record_send(struct unix_sock *u, struct sock_msg *m)
{
	size_t len = m->it.left;
	struct unix_msg *msg = NULL;
	struct unix_sock *o;
	int err;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (u->passcred && !u->addr.len && unix_autobind(u))
		return -ENOMEM;
	if (len > u->sndbuf - 32)
		return -EMSGSIZE;
	err = destination(u, m, &o);
	if (err)
		return err;
	unix_lock();
	err = build_msg(u, m, len, &msg);
	while (!err) {
		unsigned seen = unix_dgram_space_seq;

		err = try_deliver(u, o, msg);
		if (err != 1)
			break;
		if (m->nonblock) {
			err = -EAGAIN;
			break;
		}
		unix_unlock();
		err = unix_wait(&unix_dgram_space, &unix_dgram_space_seq, seen,
				m->deadline);
		unix_lock();
	}
	unix_sock_put(o);
	if (err && msg)
		unbuild_msg(msg);
	else
		unix_unlock();
	return err ? err : (ssize_t)len;
}

static ssize_t dgram_sendmsg(struct socket *s, struct sock_msg *m)
{
	return record_send(s->sk, m);
}

ssize_t unix_seqpacket_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = s->sk;
	int err;

	unix_lock();
	err = u->err;
	u->err = 0;
	if (!err && u->state != UNIX_CONNECTED)
		err = ENOTCONN;
	unix_unlock();
	if (err)
		return -err;
	m->addrlen = 0; /* a seqpacket send ignores the address */
	return record_send(u, m);
}

/* Copies a message out to the receive and hands over its name, creds
 * and fds (unix_lock held): the receive's result. */
static ssize_t deliver(struct unix_sock *u, struct unix_msg *msg,
		       struct sock_msg *m, bool peek)
{
	size_t size = MIN(m->it.left, msg->len);
	ssize_t got = size ? sock_iter_to_user(&m->it, msg->data, size) : 0;

	memcpy(m->addr, msg->from.bytes, msg->from.len);
	m->addrlen = msg->from.len;
	if (size < msg->len)
		m->out_flags |= MSG_TRUNC;
	if (u->passcred) {
		m->scm.has_creds = true;
		m->scm.creds = msg->scm.creds;
	}
	if (!peek) {
		m->scm.fds = msg->scm.fds;
		m->scm.nfds = msg->scm.nfds;
		msg->scm.fds = NULL;
		msg->scm.nfds = 0;
	} else {
		unix_dup_fds(&msg->scm, &m->scm);
	}
	if (got < 0)
		return got;
	return (m->flags & MSG_TRUNC) ? (ssize_t)msg->len : got;
}

/* What a receive of an empty queue returns (unix_lock held), or 1 to
 * wait. */
static ssize_t empty_result(struct unix_sock *u, bool nonblock)
{
	if (nonblock)
		return (u->type == SOCK_SEQPACKET &&
			(u->shutdown & UNIX_RCV_SHUTDOWN))
			       ? 0
			       : -EAGAIN;
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		return 0;
	return 1;
}

ssize_t unix_record_recv(struct unix_sock *u, struct sock_msg *m)
{
	bool peek = m->flags & MSG_PEEK;
	struct list_head freed;
	struct unix_msg *msg;
	bool vfs_held = false;
	ssize_t ret;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	list_init(&freed);
	unix_lock();
	for (;;) {
		unsigned seen = u->seq;
		int err;

		if (u->err) {
			ret = -u->err;
			u->err = 0;
			goto out;
		}
		if (u->rcvq.count) {
			if (!peek || !unix_peek_lock(&vfs_held))
				break;
			continue; /* the locks were dropped: look again */
		}
		ret = empty_result(u, m->nonblock);
		if (ret != 1)
			goto out;
		unix_unlock();
		unix_peek_unlock(&vfs_held);
		err = unix_wait(&u->wq, &u->seq, seen, m->deadline);
		if (err)
			return err;
		unix_lock();
	}
	msg = peek ? msgq_head(&u->rcvq) : msgq_pop(&u->rcvq);
	ret = deliver(u, msg, m, peek);
	if (!peek) {
		unix_msg_discard(msg, &freed);
		__atomic_store_n(&unix_dgram_space_seq,
				 unix_dgram_space_seq + 1, __ATOMIC_RELEASE);
		waitq_wake(&unix_dgram_space, UINT32_MAX,
			   POLLOUT | POLLWRNORM | POLLWRBAND);
	}
out:
	unix_unlock();
	unix_peek_unlock(&vfs_held);
	unix_msgs_free(&freed, false);
	return ret;
}

static ssize_t dgram_recvmsg(struct socket *s, struct sock_msg *m)
{
	return unix_record_recv(s->sk, m);
}

ssize_t unix_seqpacket_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct unix_sock *u = s->sk;
	bool connected;

	unix_lock();
	connected = u->state == UNIX_CONNECTED;
	unix_unlock();
	if (!connected)
		return -ENOTCONN;
	return unix_record_recv(u, m);
}

/* Drops the messages u's old peer sent it (Linux's
 * unix_dgram_disconnected); unix_lock held. */
static void disconnected(struct unix_sock *u, struct unix_sock *old,
			 struct list_head *freed)
{
	struct unix_msg *msg;

	if (!u->rcvq.count)
		return;
	while ((msg = msgq_pop(&u->rcvq)))
		unix_msg_discard(msg, freed);
	if (!old->dead && old->peer == u)
		old->err = ECONNRESET;
}

/* connect on a datagram socket: sets (AF_UNSPEC: clears) the default
 * destination, which must not be connected to another socket. */
static int dgram_connect(struct socket *s, const void *addr, size_t len,
			 bool nonblock)
{
	struct unix_sock *u = s->sk, *o = NULL, *old;
	struct list_head freed;
	struct unix_addr a;
	uint16_t family;
	int err;

	if (len < sizeof(family))
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	if (family != AF_UNSPEC) {
		err = unix_addr_parse(addr, len, &a);
		if (!err && u->passcred && !u->addr.len)
			err = unix_autobind(u);
		if (!err)
			err = unix_find(&a, u->type, &o);
		if (err)
			return err;
	}
	list_init(&freed);
	unix_lock();
	if (o && (!may_send(u, o) || o->dead)) {
		err = o->dead ? -ECONNREFUSED : -EPERM;
		unix_sock_put(o);
		unix_unlock();
		return err;
	}
	old = u->peer;
	u->peer = o; /* takes unix_find's reference */
	u->state = o ? UNIX_CONNECTED : UNIX_UNCONNECTED;
	if (old) {
		if (old != o)
			disconnected(u, old, &freed);
		unix_sock_put(old);
	}
	unix_changed(u, POLLOUT | POLLWRNORM);
	unix_unlock();
	unix_msgs_free(&freed, false);
	return 0;
}

uint32_t unix_dgram_poll(struct socket *s, struct poll_table *pt)
{
	struct unix_sock *u = s->sk, *o;
	uint32_t mask = 0;

	poll_wait(pt, &u->wq);
	poll_wait(pt, &unix_dgram_space);
	unix_lock();
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->shutdown == UNIX_SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->rcvq.count || (u->state == UNIX_LISTEN && u->npending))
		mask |= POLLIN | POLLRDNORM;
	if (u->type == SOCK_SEQPACKET && u->state == UNIX_UNCONNECTED)
		mask |= POLLHUP;
	o = u->peer;
	if (u->state != UNIX_LISTEN && (u->wmem << 2) <= u->sndbuf &&
	    !(o && queue_full(u, o)))
		mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
	unix_unlock();
	return mask;
}

const struct sock_ops unix_dgram_ops = {
	.release = unix_release,
	.bind = unix_sock_bind,
	.connect = dgram_connect,
	.listen = sock_no_listen,
	.accept = sock_no_accept,
	.getname = unix_getname,
	.shutdown = unix_shutdown,
	.sendmsg = dgram_sendmsg,
	.recvmsg = dgram_recvmsg,
	.poll = unix_dgram_poll,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.pair = unix_socketpair,
	.ioctl = unix_ioctl,
};

const struct sock_ops unix_seqpacket_ops = {
	.release = unix_release,
	.bind = unix_sock_bind,
	.connect = unix_stream_connect,
	.listen = unix_listen,
	.accept = unix_accept,
	.getname = unix_getname,
	.shutdown = unix_shutdown,
	.sendmsg = unix_seqpacket_sendmsg,
	.recvmsg = unix_seqpacket_recvmsg,
	.poll = unix_dgram_poll,
	.setsockopt = unix_setsockopt,
	.getsockopt = unix_getsockopt,
	.pair = unix_socketpair,
	.ioctl = unix_ioctl,
};
