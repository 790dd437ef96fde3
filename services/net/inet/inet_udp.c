/*
 * Loopback UDP: a datagram goes straight into the queue of the socket
 * bound to its destination (inet_port_lookup: an exact address before a
 * wildcard, a socket connected to the sender before others; connected
 * to another: not it) as a unix datagram message whose name is the
 * sender's address as the receiver's family writes it; the unix record
 * receive (unix_record_recv) hands it out, with MSG_TRUNC and MSG_PEEK.
 * As on Linux's lo: a payload over 65507 bytes (IPv6: 65527) is
 * EMSGSIZE; nobody on the port drops the datagram, and a connected
 * sender learns ECONNREFUSED at its next call (the ICMP error); a full
 * receive buffer (SO_RCVBUF) drops it; an unbound sender gets an
 * ephemeral port; connect sets the default destination and filters
 * what is received; AF_UNSPEC disconnects.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>

#include "inet_internal.h"

static bool is_unspec(const void *addr, size_t len)
{
	const uint8_t *b = addr;

	return len >= sizeof(uint16_t) && !b[0] && !b[1];
}

/* The destination a sendto or connect names, parsed and routed. An
 * IPv6 socket takes an AF_INET address too (unless v6-only). */
static int parse_dst(struct inet_sock *i, const void *addr, size_t len,
		     struct inet_addr *dst)
{
	int family = i->family;
	int err;

	if (family == AF_INET6 && len >= sizeof(uint16_t) &&
	    ((const uint8_t *)addr)[0] == AF_INET && !i->v6only)
		family = AF_INET;
	err = inet_addr_parse(family, addr, len, dst);
	return err ? err : inet_route(i->family, i->v6only, dst);
}

/* Gives an unbound socket an ephemeral port (unix_lock held). */
static int ensure_bound(struct inet_sock *i)
{
	if (i->local.port)
		return 0;
	return inet_autobind(i) ? -EAGAIN : 0;
}

static int udp_connect(struct socket *s, const void *addr, size_t len,
		       bool nonblock)
{
	struct inet_sock *i = inet_of(s->sk);
	struct inet_addr dst;
	int err;

	if (is_unspec(addr, len)) {
		unix_lock();
		i->has_remote = false;
		/* Linux forgets what connect chose: the source address,
		 * and a port bind did not give. */
		if (!i->bound_by_user) {
			inet_port_unbind(i);
			memset(&i->local, 0, sizeof(i->local));
		}
		unix_changed(&i->u, POLLOUT);
		unix_unlock();
		return 0;
	}
	err = parse_dst(i, addr, len, &dst);
	if (err)
		return err;
	unix_lock();
	err = ensure_bound(i);
	if (!err) {
		if (inet_is_any(i->local.ip))
			inet_source(&i->local, &dst, i->local.ip);
		i->remote = dst;
		i->has_remote = true;
		unix_changed(&i->u, POLLOUT);
	}
	unix_unlock();
	return err;
}

/* Queues a datagram of m's len bytes from src on o, or drops it when
 * o's receive buffer is full (unix_lock held): 0, -ENOMEM, -EFAULT. */
static int deliver(struct inet_sock *o, const struct inet_addr *src,
		   struct sock_msg *m, size_t len)
{
	struct unix_msg *msg;
	int err;

	if (o->u.rcvq.bytes + (o->u.rcvq.count + 1) * UNIX_MSG_OVERHEAD +
		    len > o->u.rcvbuf)
		return 0; /* dropped, as Linux's full socket does */
	err = unix_msg_from_user(m, len, &msg);
	if (err)
		return err;
	msg->from.len = (uint32_t)inet_addr_format(o->family, src,
						   msg->from.bytes);
	msgq_push(&o->u.rcvq, msg);
	unix_data_ready(&o->u);
	return 0;
}

/* The send once the destination is known (unix_lock held). */
static ssize_t send_to(struct inet_sock *i, struct sock_msg *m,
		       const struct inet_addr *dst)
{
	size_t len = m->it.left;
	size_t max = inet_is_v4(dst->ip) ? UDP4_MAX : UDP6_MAX;
	struct inet_addr src;
	struct inet_sock *o;
	int err;

	if (len > max)
		return -EMSGSIZE;
	if (i->u.shutdown & UNIX_SEND_SHUTDOWN)
		return -EPIPE;
	err = ensure_bound(i);
	if (err)
		return err;
	inet_source(&i->local, dst, src.ip);
	src.port = i->local.port;
	o = inet_port_lookup(IPPROTO_UDP, dst, &src);
	if (!o || o->u.dead) {
		/* The port unreachable error reaches a connected socket. */
		if (i->has_remote) {
			i->u.err = ECONNREFUSED;
			unix_changed(&i->u, POLLERR);
		}
		return (ssize_t)len;
	}
	err = deliver(o, &src, m, len);
	return err ? err : (ssize_t)len;
}

static ssize_t udp_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct inet_sock *i = inet_of(s->sk);
	struct inet_addr dst;
	ssize_t n;

	if (m->flags & MSG_OOB)
		return -EOPNOTSUPP;
	if (m->addrlen) {
		n = parse_dst(i, m->addr, m->addrlen, &dst);
		if (n)
			return n;
		if (!dst.port)
			return -EINVAL;
	}
	unix_lock();
	if (!m->addrlen && !i->has_remote) {
		unix_unlock();
		return -EDESTADDRREQ;
	}
	if (!m->addrlen)
		dst = i->remote;
	n = send_to(i, m, &dst);
	unix_unlock();
	return n;
}

static ssize_t udp_recvmsg(struct socket *s, struct sock_msg *m)
{
	if (m->flags & MSG_ERRQUEUE)
		return -EAGAIN; /* no errors queued */
	return unix_record_recv(s->sk, m);
}

static uint32_t udp_poll(struct socket *s, struct poll_table *pt)
{
	struct unix_sock *u = s->sk;
	uint32_t mask = POLLOUT | POLLWRNORM | POLLWRBAND;

	poll_wait(pt, &u->wq);
	unix_lock();
	if (u->err)
		mask |= POLLERR;
	if (u->shutdown & UNIX_RCV_SHUTDOWN)
		mask |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (u->shutdown == UNIX_SHUTDOWN_MASK)
		mask |= POLLHUP;
	if (u->rcvq.count)
		mask |= POLLIN | POLLRDNORM;
	unix_unlock();
	return mask;
}

/* Linux's inet_shutdown of a datagram socket: the bits are set even
 * when it is not connected, which is -ENOTCONN all the same. */
static int udp_shutdown(struct socket *s, int how)
{
	struct inet_sock *i = inet_of(s->sk);
	int err;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	unix_lock();
	i->u.shutdown |= (unsigned)how + 1;
	err = i->has_remote ? 0 : -ENOTCONN;
	unix_changed(&i->u, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	unix_unlock();
	return err;
}

const struct sock_ops inet_udp_ops = {
	.release = inet_release,
	.bind = inet_bind,
	.connect = udp_connect,
	.listen = sock_no_listen,
	.accept = sock_no_accept,
	.getname = inet_getname,
	.shutdown = udp_shutdown,
	.sendmsg = udp_sendmsg,
	.recvmsg = udp_recvmsg,
	.poll = udp_poll,
	.setsockopt = inet_setsockopt,
	.getsockopt = inet_getsockopt,
	.setsockopt_level = inet_setsockopt_level,
	.getsockopt_level = inet_getsockopt_level,
	.pair = sock_no_pair,
	.ioctl = inet_ioctl,
};
