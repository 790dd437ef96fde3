/*
 * AF_NETLINK, NETLINK_ROUTE only, as far as programs ask it about the
 * interfaces: glibc's if_nameindex, getifaddrs and getaddrinfo's
 * AI_ADDRCONFIG (its __check_pf) send an RTM_GETLINK or RTM_GETADDR dump
 * request and read RTM_NEWLINK / RTM_NEWADDR messages up to NLMSG_DONE.
 * The kernel's answer is built at once (nl_route.c: lo, 127.0.0.1/8,
 * ::1/128) and queued on the socket as one datagram, so the socket is a
 * unix datagram queue (struct unix_sock first in struct nl_sock, as the
 * inet sockets do) read by unix_record_recv (MSG_PEEK, MSG_TRUNC), with
 * the kernel's address (port id 0) as the source. Port ids: bind with 0
 * (or the first send) takes the process's pid when free, else a
 * negative one, as Linux; a taken one is EADDRINUSE. Multicast groups
 * are kept but nothing is ever announced (nothing on lo changes).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/proc.h>

#include "nl_internal.h"

static struct list_head bound = { &bound, &bound };
static uint32_t next_negative = 0xfffff000u; /* -4096, as Linux's */

static struct nl_sock *nl_of(struct socket *s)
{
	return (struct nl_sock *)s->sk;
}

static bool portid_taken(uint32_t id)
{
	struct list_head *pos;

	list_for_each(pos, &bound) {
		if (list_entry(pos, struct nl_sock, link)->portid == id)
			return true;
	}
	return false;
}

/* Gives n its port id (unix_lock held): want, or if 0 the process's
 * pid when free, else the next negative one. */
static int nl_bind_id(struct nl_sock *n, uint32_t want)
{
	struct proc *p = proc_current();

	if (n->bound)
		return want && want != n->portid ? -EINVAL : 0;
	if (want && portid_taken(want))
		return -EADDRINUSE;
	if (!want) {
		want = p ? (uint32_t)p->pid : 0;
		while (!want || portid_taken(want))
			want = next_negative--;
	}
	n->portid = want;
	n->bound = true;
	list_add(&n->link, &bound);
	return 0;
}

static void nl_release(struct socket *s)
{
	struct nl_sock *n = s->sk ? nl_of(s) : NULL;

	if (!n)
		return;
	unix_lock();
	if (n->bound)
		list_del(&n->link);
	n->bound = false;
	unix_unlock();
	unix_release(s);
}

/* A sockaddr_nl of len bytes: -EINVAL (short, another family). */
static int parse_addr(const void *addr, size_t len,
		      struct linux_sockaddr_nl *out)
{
	if (len < sizeof(*out))
		return -EINVAL;
	memcpy(out, addr, sizeof(*out));
	return out->nl_family == AF_NETLINK ? 0 : -EINVAL;
}

static int nl_bind(struct socket *s, const void *addr, size_t len)
{
	struct linux_sockaddr_nl a;
	int err = parse_addr(addr, len, &a);

	if (err)
		return err;
	unix_lock();
	err = nl_bind_id(nl_of(s), a.nl_pid);
	if (!err)
		nl_of(s)->groups = a.nl_groups;
	unix_unlock();
	return err;
}

/* connect names the peer messages go to: only the kernel (0) answers;
 * another port id is kept and what is sent to it goes nowhere. */
static int nl_connect(struct socket *s, const void *addr, size_t len,
		      bool nonblock)
{
	struct linux_sockaddr_nl a;
	int err;

	if (len >= sizeof(uint16_t) && !((const uint8_t *)addr)[0] &&
	    !((const uint8_t *)addr)[1]) {
		nl_of(s)->dst = 0;
		return 0;
	}
	err = parse_addr(addr, len, &a);
	if (err)
		return err;
	unix_lock();
	err = nl_bind_id(nl_of(s), 0);
	if (!err)
		nl_of(s)->dst = a.nl_pid;
	unix_unlock();
	return err;
}

static int nl_getname(struct socket *s, void *addr, size_t *len, bool peer)
{
	struct nl_sock *n = nl_of(s);
	struct linux_sockaddr_nl a = { .nl_family = AF_NETLINK };

	unix_lock();
	if (peer)
		a.nl_pid = n->dst;
	else {
		a.nl_pid = n->portid;
		a.nl_groups = n->groups;
	}
	unix_unlock();
	memcpy(addr, &a, sizeof(a));
	*len = sizeof(a);
	return 0;
}

static ssize_t nl_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct nl_sock *n = nl_of(s);
	size_t len = m->it.left;
	struct linux_sockaddr_nl to = { .nl_family = AF_NETLINK };
	uint8_t *req;
	ssize_t err;

	if (m->addrlen) {
		err = parse_addr(m->addr, m->addrlen, &to);
		if (err)
			return err;
	} else {
		to.nl_pid = n->dst;
	}
	if (len > n->u.sndbuf)
		return -EMSGSIZE;
	req = kmalloc(len ? len : 1);
	if (!req)
		return -ENOMEM;
	err = len ? sock_iter_from_user(&m->it, req, len) : 0;
	if (err >= 0 && (size_t)err < len)
		err = -EFAULT;
	if (err >= 0) {
		unix_lock();
		err = nl_bind_id(n, 0);
		/* Only the kernel answers; other peers do not exist. */
		if (!err && !to.nl_pid)
			err = nl_route_request(n, req, len);
		unix_unlock();
	}
	kfree(req);
	return err < 0 ? err : (ssize_t)len;
}

static ssize_t nl_recvmsg(struct socket *s, struct sock_msg *m)
{
	return unix_record_recv(s->sk, m);
}

static uint32_t nl_poll(struct socket *s, struct poll_table *pt)
{
	struct unix_sock *u = s->sk;
	uint32_t mask = POLLOUT | POLLWRNORM;

	poll_wait(pt, &u->wq);
	unix_lock();
	if (u->rcvq.count)
		mask |= POLLIN | POLLRDNORM;
	unix_unlock();
	return mask;
}

static int nl_getsockopt(struct socket *s, int name, void *val, size_t *len)
{
	int32_t v;

	if (name == SO_DOMAIN)
		v = AF_NETLINK;
	else if (name == SO_PROTOCOL)
		v = s->protocol;
	else
		return unix_getsockopt(s, name, val, len);
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

static const struct sock_ops nl_ops = {
	.release = nl_release,
	.bind = nl_bind,
	.connect = nl_connect,
	.listen = sock_no_listen,
	.accept = sock_no_accept,
	.getname = nl_getname,
	.shutdown = unix_shutdown,
	.sendmsg = nl_sendmsg,
	.recvmsg = nl_recvmsg,
	.poll = nl_poll,
	.setsockopt = unix_setsockopt,
	.getsockopt = nl_getsockopt,
	.pair = sock_no_pair,
	.ioctl = unix_ioctl,
};

int netlink_create(struct socket *s)
{
	struct nl_sock *n;

	/* Linux: SOCK_RAW or SOCK_DGRAM; NETLINK_ROUTE is the one
	 * protocol here. */
	if (s->type != SOCK_RAW && s->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (s->protocol < 0 || s->protocol >= NETLINK_PROTO_MAX)
		return -EPROTONOSUPPORT;
	if (s->protocol != NETLINK_ROUTE)
		return -EPROTONOSUPPORT;
	n = kzalloc(sizeof(*n));
	if (!n)
		return -ENOMEM;
	unix_sock_init(&n->u, SOCK_DGRAM);
	list_init(&n->link);
	n->u.sock = s;
	s->sk = &n->u;
	s->ops = &nl_ops;
	return 0;
}
