/*
 * Loopback TCP: a connection is a unix stream pair (unix_stream.c moves
 * the bytes, with its buffering, flow control, MSG_PEEK/WAITALL and
 * poll), made at connect time as a unix connect makes it: the server's
 * end is an embryo queued on the listener until accept. What differs
 * from a unix stream is TCP's view of the same events, as Linux shows
 * them on lo:
 *   - connect finds the listener by port and address (inet_port.c);
 *     none is ECONNREFUSED; a non-blocking connect is EINPROGRESS, the
 *     result (0, or SO_ERROR and POLLERR) there at once, and the next
 *     connect returns it (0, the error, then ECONNABORTED / EISCONN);
 *   - close is a FIN (the peer reads 0, may still write), an RST when
 *     data was left unread or SO_LINGER is zero (ECONNRESET); the first
 *     write to a closed peer succeeds (its RST comes back), later ones
 *     are EPIPE and SIGPIPE; shutdown(SHUT_RD) is local;
 *   - an unconnected socket's send is EPIPE, its receive ENOTCONN;
 *     listen binds an unbound socket to an ephemeral port; recvfrom
 *     names no source.
 * A full backlog makes a blocking connect wait (the unix rule); a
 * non-blocking one is queued all the same (Linux would leave its SYN
 * unanswered).
 */
#include <keel/errno.h>
#include <keel/string.h>

#include "inet_internal.h"

/* The peer of a connect (unix_lock held): the listener, or NULL. */
static struct inet_sock *find_listener(const struct inet_addr *dst,
				       const struct inet_addr *src)
{
	struct inet_sock *l = inet_port_lookup(IPPROTO_TCP, dst, src);

	if (!l || l->u.dead || (l->u.shutdown & UNIX_RCV_SHUTDOWN))
		return NULL;
	return l;
}

/* Gives i its source address for dst, binding an ephemeral port first
 * if it has none (unix_lock held). */
static int bind_for(struct inet_sock *i, const struct inet_addr *dst)
{
	struct inet_addr a;

	if (!i->local.port) {
		memset(&a, 0, sizeof(a));
		inet_source(&i->local, dst, a.ip);
		return inet_port_bind(i, &a) ? -EADDRNOTAVAIL : 0;
	}
	if (inet_is_any(i->local.ip))
		inet_source(&i->local, dst, i->local.ip);
	return 0;
}

/* Makes the connection of i to listener l (unix_lock held): the server
 * end, an embryo, joins l's pending list. */
static int join(struct inet_sock *i, struct inet_sock *l,
		const struct inet_addr *dst)
{
	struct inet_sock *e = inet_sock_new(l->family, SOCK_STREAM, IPPROTO_TCP);

	if (!e)
		return -ENOMEM;
	e->local = *dst;
	e->remote = i->local;
	e->has_remote = true;
	e->v6only = l->v6only;
	e->opts = l->opts;
	e->u.sndbuf = l->u.sndbuf;
	e->u.rcvbuf = l->u.rcvbuf;
	i->remote = *dst;
	i->has_remote = true;
	unix_pair(&i->u, &e->u);
	/* The pending list holds the embryo's own reference. */
	list_add_tail(&e->u.pending_link, &l->u.pending);
	l->u.npending++;
	unix_changed(&l->u, POLLIN | POLLRDNORM);
	unix_changed(&i->u, POLLOUT | POLLWRNORM);
	return 0;
}

/* A second connect after a non-blocking one (unix_lock held). */
static int connect_again(struct inet_sock *i)
{
	int err = 0;

	i->connecting = false;
	if (i->u.state == UNIX_CONNECTED)
		return 0;
	if (i->u.err) {
		err = -i->u.err;
		i->u.err = 0;
	} else {
		err = -ECONNABORTED;
	}
	i->u.shutdown = 0;
	return err;
}

/* The refusal of a connect (unix_lock held): a blocking one returns it,
 * a non-blocking one leaves it in SO_ERROR as a closed socket. */
static int refused(struct inet_sock *i, bool nonblock)
{
	if (!nonblock)
		return -ECONNREFUSED;
	i->u.err = ECONNREFUSED;
	i->u.shutdown = UNIX_SHUTDOWN_MASK;
	i->connecting = true;
	unix_changed(&i->u, POLLIN | POLLOUT | POLLERR | POLLHUP);
	return -EINPROGRESS;
}

/* One try of connect (unix_lock held): 0 / -errno, or 1 to wait for
 * room in l's backlog (*seen: its change count, l referenced). */
static int try_connect(struct inet_sock *i, const struct inet_addr *dst,
		       bool nonblock, struct inet_sock **wait_on,
		       unsigned *seen)
{
	struct inet_sock *l;
	int err;

	if (i->connecting)
		return connect_again(i);
	if (i->u.state != UNIX_UNCONNECTED || i->u.dead)
		return -EISCONN;
	err = bind_for(i, dst);
	if (err)
		return err;
	l = find_listener(dst, &i->local);
	if (!l)
		return refused(i, nonblock);
	if (l->u.npending > l->u.backlog && !nonblock) {
		*seen = l->u.seq;
		unix_sock_get(&l->u);
		*wait_on = l;
		return 1;
	}
	err = join(i, l, dst);
	if (!err && nonblock) {
		i->connecting = true;
		err = -EINPROGRESS;
	}
	return err;
}

static int tcp_connect(struct socket *s, const void *addr, size_t len,
		       bool nonblock)
{
	struct inet_sock *i = inet_of(s->sk), *l = NULL;
	struct inet_addr dst;
	unsigned seen = 0;
	int err;

	if (len >= sizeof(uint16_t) && !((const uint8_t *)addr)[0] &&
	    !((const uint8_t *)addr)[1])
		/* AF_UNSPEC: Linux's disconnect; not modelled for a
		 * connection, nothing to do otherwise. */
		return i->u.state == UNIX_UNCONNECTED ? 0 : -EOPNOTSUPP;
	err = inet_addr_parse(s->family, addr, len, &dst);
	if (!err)
		err = inet_route(s->family, i->v6only, &dst);
	if (err)
		return err;
	for (;;) {
		unix_lock();
		err = try_connect(i, &dst, nonblock, &l, &seen);
		unix_unlock();
		if (err != 1)
			return err;
		err = unix_wait(&l->u.wq, &l->u.seq, seen, WAIT_FOREVER);
		unix_lock();
		unix_sock_put(&l->u);
		unix_unlock();
		if (err)
			return err;
	}
}

static int tcp_listen(struct socket *s, int backlog)
{
	struct inet_sock *i = inet_of(s->sk);
	int err = 0;

	/* Linux caps the backlog at net.core.somaxconn, a negative one
	 * included. */
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	unix_lock();
	if ((i->u.state != UNIX_UNCONNECTED && i->u.state != UNIX_LISTEN) ||
	    i->connecting)
		err = -EINVAL;
	if (!err && !i->local.port)
		err = inet_autobind(i) ? -EADDRINUSE : 0;
	if (!err && i->u.state != UNIX_LISTEN)
		err = inet_port_listen_ok(i);
	if (!err) {
		i->u.backlog = (unsigned)backlog;
		i->u.state = UNIX_LISTEN;
		i->u.shutdown = 0;
		unix_changed(&i->u, POLLOUT);
	}
	unix_unlock();
	return err;
}

static int tcp_accept(struct socket *s, struct socket *n, bool nonblock)
{
	int err = unix_accept(s, n, nonblock); /* -EINVAL: not listening */

	if (!err)
		n->bool_opts = s->bool_opts; /* SO_KEEPALIVE ... inherited */
	return err;
}

static int tcp_shutdown(struct socket *s, int how)
{
	struct inet_sock *i = inet_of(s->sk);
	struct unix_sock *p;
	unsigned mode;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	mode = (unsigned)how + 1; /* UNIX_RCV_SHUTDOWN, UNIX_SEND_... */
	unix_lock();
	if (i->u.state == UNIX_UNCONNECTED) {
		unix_unlock();
		return -ENOTCONN;
	}
	i->u.shutdown |= mode;
	unix_changed(&i->u, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	p = i->u.peer;
	/* SHUT_WR sends a FIN: the peer's reading side ends. */
	if (p && (mode & UNIX_SEND_SHUTDOWN)) {
		p->shutdown |= UNIX_RCV_SHUTDOWN;
		unix_changed(p, POLLIN | POLLRDNORM | POLLRDHUP);
	}
	unix_unlock();
	return 0;
}

/* What a send finds before any data moves (unix_lock held): true to
 * send, else false with the result at *ret (the write into a closed
 * peer's RST counts as sent). */
static bool may_send(struct inet_sock *i, struct sock_msg *m, ssize_t *ret)
{
	struct unix_sock *p = i->u.peer;
	int err = i->u.err;

	if (err) {
		i->u.err = 0;
		*ret = -err;
		return false;
	}
	if (i->u.state != UNIX_CONNECTED) {
		sock_sigpipe(m->flags);
		*ret = -EPIPE;
		return false;
	}
	if ((!p || p->dead) && !(i->u.shutdown & UNIX_SEND_SHUTDOWN) &&
	    !i->reset_seen) {
		i->reset_seen = true;
		i->u.shutdown = UNIX_SHUTDOWN_MASK;
		unix_changed(&i->u, POLLIN | POLLHUP);
		*ret = (ssize_t)m->it.left;
		return false;
	}
	return true;
}

static ssize_t tcp_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct inet_sock *i = inet_of(s->sk);
	ssize_t n = 0;
	bool go;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	unix_lock();
	go = may_send(i, m, &n);
	unix_unlock();
	if (!go)
		return n;
	m->addrlen = 0; /* TCP ignores a destination */
	return unix_stream_ops.sendmsg(s, m);
}

static ssize_t tcp_recvmsg(struct socket *s, struct sock_msg *m)
{
	struct inet_sock *i = inet_of(s->sk);
	ssize_t n;
	int err;

	if (m->flags & MSG_OOB)
		return -EINVAL; /* no urgent data */
	unix_lock();
	err = i->u.state == UNIX_CONNECTED ? 0 : -ENOTCONN;
	if (err && i->u.err) {
		err = -i->u.err;
		i->u.err = 0;
	}
	unix_unlock();
	if (err)
		return err;
	n = unix_stream_ops.recvmsg(s, m);
	m->addrlen = 0; /* TCP names no source */
	return n;
}

const struct sock_ops inet_tcp_ops = {
	.release = inet_release,
	.bind = inet_bind,
	.connect = tcp_connect,
	.listen = tcp_listen,
	.accept = tcp_accept,
	.getname = inet_getname,
	.shutdown = tcp_shutdown,
	.sendmsg = tcp_sendmsg,
	.recvmsg = tcp_recvmsg,
	.poll = unix_stream_poll,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.setsockopt_level = inet_setsockopt_level,
	.getsockopt_level = inet_getsockopt_level,
	.pair = sock_no_pair,
	.ioctl = inet_ioctl,
};
