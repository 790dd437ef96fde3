/*
 * Connections of stream and seqpacket unix sockets (Linux's unix_listen,
 * unix_stream_connect, unix_accept). connect finds the listener by name,
 * makes the server's end (an embryo) connected to the caller at once and
 * queues it on the listener, which holds more than its backlog only
 * while nobody waits: a full listener makes a blocking connect wait and
 * a non-blocking one fail with EAGAIN. accept takes the oldest embryo
 * into a new socket. SO_PEERCRED is the listener's creds (from listen)
 * on the client's end and the client's (from connect) on the server's.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <uapi/socket.h>

#include "unix_internal.h"

int unix_listen(struct socket *s, int backlog)
{
	struct unix_sock *u = s->sk;
	int err = 0;

	/* Linux caps the backlog at net.core.somaxconn, a negative one
	 * included. */
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	unix_lock();
	if (!u->addr.len)
		err = -EINVAL; /* no listen on an unbound socket */
	else if (u->state != UNIX_UNCONNECTED && u->state != UNIX_LISTEN)
		err = -EINVAL;
	if (!err) {
		u->backlog = (unsigned)backlog;
		u->state = UNIX_LISTEN;
		u->peercred = unix_peercred_self();
		u->has_peercred = true;
		unix_changed(u, POLLOUT);
	}
	unix_unlock();
	return err;
}

/* What connect does once the listener l is found (unix_lock held):
 * 0 when connected, 1 when the caller must wait for room (seen: l's
 * change count), or -errno. */
static int try_connect(struct unix_sock *u, struct unix_sock *l,
		       struct unix_sock *embryo, bool nonblock,
		       unsigned *seen)
{
	if (l->dead || l->state != UNIX_LISTEN ||
	    (l->shutdown & UNIX_RCV_SHUTDOWN))
		return -ECONNREFUSED;
	if (l->npending > l->backlog) {
		if (nonblock)
			return -EAGAIN;
		*seen = l->seq;
		return 1;
	}
	if (u->state == UNIX_CONNECTED)
		return -EISCONN;
	if (u->state != UNIX_UNCONNECTED || u->dead)
		return -EINVAL;
	embryo->addr = l->addr;
	embryo->peercred = unix_peercred_self();
	embryo->has_peercred = true;
	embryo->sndbuf = l->sndbuf;
	embryo->passcred = l->passcred;
	u->peercred = l->peercred;
	u->has_peercred = true;
	unix_pair(u, embryo);
	/* The pending list holds the embryo's own reference. */
	list_add_tail(&embryo->pending_link, &l->pending);
	l->npending++;
	unix_changed(l, POLLIN | POLLRDNORM);
	unix_changed(u, POLLOUT | POLLWRNORM);
	return 0;
}

int unix_stream_connect(struct socket *s, const void *addr, size_t len,
			bool nonblock)
{
	struct unix_sock *u = s->sk, *l, *embryo;
	struct unix_addr a;
	unsigned seen = 0;
	int err = unix_addr_parse(addr, len, &a);

	if (err)
		return err;
	if (u->passcred && !u->addr.len) {
		err = unix_autobind(u);
		if (err)
			return err;
	}
	embryo = unix_sock_new(u->type);
	if (!embryo)
		return -ENOMEM;
	for (;;) {
		err = unix_find(&a, u->type, &l);
		if (err)
			break;
		unix_lock();
		err = try_connect(u, l, embryo, nonblock, &seen);
		if (err == 1)
			unix_sock_get(l); /* to wait on its queue */
		unix_sock_put(l);
		unix_unlock();
		if (err != 1)
			break;
		err = unix_wait(&l->wq, &l->seq, seen, WAIT_FOREVER);
		unix_lock();
		unix_sock_put(l);
		unix_unlock();
		if (err)
			break;
	}
	if (err) {
		unix_lock();
		unix_sock_put(embryo);
		unix_unlock();
	}
	return err;
}

int unix_accept(struct socket *s, struct socket *n, bool nonblock)
{
	struct unix_sock *u = s->sk, *e;

	for (;;) {
		unsigned seen;
		int err;

		unix_lock();
		if (u->state != UNIX_LISTEN) {
			unix_unlock();
			return -EINVAL;
		}
		if (!list_empty(&u->pending))
			break;
		seen = u->seq;
		unix_unlock();
		if (nonblock)
			return -EAGAIN;
		err = unix_wait(&u->wq, &u->seq, seen, WAIT_FOREVER);
		if (err)
			return err;
	}
	e = list_first_entry(&u->pending, struct unix_sock, pending_link);
	list_del(&e->pending_link);
	list_init(&e->pending_link);
	u->npending--;
	e->sock = n;
	n->sk = e; /* the pending list's reference is the socket's now */
	unix_changed(u, POLLOUT);
	unix_unlock();
	return 0;
}
