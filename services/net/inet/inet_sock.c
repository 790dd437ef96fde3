/*
 * What loopback TCP and UDP sockets share: creation (Linux's inet_create
 * checks), release, bind (the address must be on lo; ports below 1024
 * are root's), names, the protocol options kept (levels IPPROTO_IP,
 * IPPROTO_IPV6, IPPROTO_TCP and SO_REUSEPORT, SO_LINGER, SO_PRIORITY),
 * and FIONREAD/SIOCOUTQ. The data paths are in inet_tcp.c and
 * inet_udp.c, the ports in inet_port.c.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <uapi/ioctls.h>

#include "inet_internal.h"

#define SIOCOUTQ 0x5411
#define IPPROTO_MAX 263
#define TCP_MSS_DEFAULT 536
#define TCP_MIN_MSS 88
#define MAX_TCP_KEEPIDLE 32767
#define MAX_TCP_KEEPCNT 127
#define MAX_TCP_SYNCNT 127
#define IP_PMTUDISC_OMIT 5
#define DEFAULT_TTL 64
/* Linux's tcp_wmem[1], tcp_rmem[1]: a new TCP socket's buffers. */
#define TCP_SNDBUF_DEFAULT 16384u
#define TCP_RCVBUF_DEFAULT 131072u

static void default_opts(struct inet_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ttl = -1;
	o->hops = -1;
	o->tclass = -1;
	o->mtu_disc = 1; /* IP_PMTUDISC_WANT */
	o->keepidle = 7200;
	o->keepintvl = 75;
	o->keepcnt = 9;
	o->syncnt = 6;
	o->linger2 = 60;
	o->notsent_lowat = UINT32_MAX;
	o->quickack = true; /* not in delayed-ACK (ping-pong) mode */
}

struct inet_sock *inet_sock_new(int family, int type, int proto)
{
	struct inet_sock *i = kzalloc(sizeof(*i));

	if (!i)
		return NULL;
	unix_sock_init(&i->u, type);
	i->family = family;
	i->proto = proto;
	list_init(&i->port_link);
	default_opts(&i->opts);
	if (proto == IPPROTO_TCP) {
		i->u.fin_on_close = true;
		i->u.sndbuf = TCP_SNDBUF_DEFAULT;
		i->u.rcvbuf = TCP_RCVBUF_DEFAULT;
	}
	return i;
}

/* The protocol a type and protocol argument name, or -errno. */
static int pick_proto(int type, int protocol)
{
	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	switch (type) {
	case SOCK_STREAM:
		if (protocol && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		return IPPROTO_TCP;
	case SOCK_DGRAM:
		if (protocol && protocol != IPPROTO_UDP)
			return -EPROTONOSUPPORT;
		return IPPROTO_UDP;
	case SOCK_RAW: {
		struct proc *p = proc_current();

		/* Linux: CAP_NET_RAW, else EPERM. Keel has no raw
		 * sockets (no packets): EPROTONOSUPPORT for root. */
		if (p && !cred_proc_capable(p))
			return -EPERM;
		return -EPROTONOSUPPORT;
	}
	default:
		return -ESOCKTNOSUPPORT;
	}
}

int inet_create(struct socket *s)
{
	int proto = pick_proto(s->type, s->protocol);
	struct inet_sock *i;

	if (proto < 0)
		return proto;
	i = inet_sock_new(s->family, s->type, proto);
	if (!i)
		return -ENOMEM;
	i->u.sock = s;
	s->sk = &i->u;
	s->protocol = proto;
	s->ops = proto == IPPROTO_TCP ? &inet_tcp_ops : &inet_udp_ops;
	return 0;
}

void inet_release(struct socket *s)
{
	struct inet_sock *i = s->sk ? inet_of(s->sk) : NULL;
	struct unix_sock *p;

	if (!i)
		return;
	unix_lock();
	inet_port_unbind(i);
	p = i->u.peer;
	/* SO_LINGER with a zero time: close sends an RST. */
	if (i->proto == IPPROTO_TCP && i->opts.linger.l_onoff &&
	    !i->opts.linger.l_linger && p && !p->dead) {
		p->err = ECONNRESET;
		p->shutdown = UNIX_SHUTDOWN_MASK;
		unix_changed(p, POLLIN | POLLERR | POLLHUP | POLLRDHUP);
	}
	unix_unlock();
	unix_release(s);
}

int inet_autobind(struct inet_sock *i)
{
	struct inet_addr any;

	memset(&any, 0, sizeof(any));
	if (i->family == AF_INET)
		inet_set_v4(any.ip, 0);
	return inet_port_bind(i, &any);
}

int inet_bind(struct socket *s, const void *addr, size_t len)
{
	struct inet_sock *i = inet_of(s->sk);
	struct proc *p = proc_current();
	struct inet_addr a;
	int err;

	if (s->family == AF_INET6 && len >= sizeof(uint16_t) &&
	    ((const uint8_t *)addr)[0] == AF_INET)
		return -EINVAL; /* Linux's inet6_bind of an AF_INET address */
	err = inet_addr_parse(s->family, addr, len, &a);
	if (err)
		return err;
	unix_lock();
	err = inet_bind_addr_ok(i->family, i->v6only, a.ip);
	if (!err && a.port && a.port < 1024 && p && !cred_proc_capable(p))
		err = -EACCES;
	if (!err && (i->in_table || i->local.port || i->u.state != UNIX_UNCONNECTED))
		err = -EINVAL;
	if (!err)
		err = inet_port_bind(i, &a);
	if (err == -EAGAIN)
		err = -EADDRINUSE;
	if (!err)
		i->bound_by_user = true;
	unix_unlock();
	return err;
}

int inet_getname(struct socket *s, void *addr, size_t *len, bool peer)
{
	struct inet_sock *i = inet_of(s->sk);
	int err = 0;

	unix_lock();
	if (peer && !i->has_remote)
		err = -ENOTCONN;
	else
		*len = inet_addr_format(s->family, peer ? &i->remote : &i->local,
					addr);
	unix_unlock();
	return err;
}

/* An int option value of len bytes (Linux takes one byte for a short
 * IP-level one). */
static int int_value(const void *val, size_t len, bool byte_ok, int32_t *v)
{
	if (len >= sizeof(*v)) {
		memcpy(v, val, sizeof(*v));
		return 0;
	}
	if (byte_ok && len >= 1) {
		*v = *(const uint8_t *)val;
		return 0;
	}
	return -EINVAL;
}

int inet_setsockopt(struct socket *s, int name, const void *val, size_t len)
{
	struct inet_sock *i = inet_of(s->sk);
	int32_t v;

	if (name == SO_LINGER) {
		if (len < sizeof(struct linux_linger))
			return -EINVAL;
		unix_lock();
		memcpy(&i->opts.linger, val, sizeof(i->opts.linger));
		if (i->opts.linger.l_onoff)
			i->opts.linger.l_onoff = 1;
		unix_unlock();
		return 0;
	}
	if (name != SO_REUSEPORT && name != SO_PRIORITY)
		return unix_setsockopt(s, name, val, len);
	if (int_value(val, len, false, &v))
		return -EINVAL;
	if (name == SO_PRIORITY && (v < 0 || v > 6)) {
		struct proc *p = proc_current();

		if (p && !cred_proc_capable(p))
			return -EPERM;
	}
	unix_lock();
	if (name == SO_REUSEPORT)
		i->opts.reuseport = v != 0;
	else
		i->opts.priority = v;
	unix_unlock();
	return 0;
}

/* Copies an int out as a getsockopt does: at most *len bytes. */
static int put_int(int32_t v, void *val, size_t *len)
{
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

int inet_getsockopt(struct socket *s, int name, void *val, size_t *len)
{
	struct inet_sock *i = inet_of(s->sk);

	switch (name) {
	case SO_DOMAIN:
		return put_int(s->family, val, len);
	case SO_PROTOCOL:
		return put_int(i->proto, val, len);
	case SO_REUSEPORT:
		return put_int(i->opts.reuseport, val, len);
	case SO_PRIORITY:
		return put_int(i->opts.priority, val, len);
	case SO_LINGER:
		*len = MIN(*len, sizeof(i->opts.linger));
		memcpy(val, &i->opts.linger, *len);
		return 0;
	default:
		return unix_getsockopt(s, name, val, len);
	}
}

/* Level IPPROTO_TCP: the value checks of Linux's do_tcp_setsockopt. */
static int set_tcp(struct inet_sock *i, int name, int32_t v)
{
	struct inet_opts *o = &i->opts;

	switch (name) {
	case TCP_NODELAY:
		o->nodelay = v != 0;
		return 0;
	case TCP_CORK:
		o->cork = v != 0;
		return 0;
	case TCP_QUICKACK:
		o->quickack = v != 0;
		return 0;
	case TCP_MAXSEG:
		if (v && (v < TCP_MIN_MSS || v > 32767))
			return -EINVAL;
		o->maxseg = v;
		return 0;
	case TCP_KEEPIDLE:
	case TCP_KEEPINTVL:
		if (v < 1 || v > MAX_TCP_KEEPIDLE)
			return -EINVAL;
		*(name == TCP_KEEPIDLE ? &o->keepidle : &o->keepintvl) = v;
		return 0;
	case TCP_KEEPCNT:
	case TCP_SYNCNT:
		if (v < 1 || v > (name == TCP_KEEPCNT ? MAX_TCP_KEEPCNT
						      : MAX_TCP_SYNCNT))
			return -EINVAL;
		*(name == TCP_KEEPCNT ? &o->keepcnt : &o->syncnt) = v;
		return 0;
	case TCP_LINGER2:
		o->linger2 = v < 0 ? -1 : v;
		return 0;
	case TCP_DEFER_ACCEPT:
		o->defer_accept = v < 0 ? 0 : v;
		return 0;
	case TCP_USER_TIMEOUT:
		if (v < 0)
			return -EINVAL;
		o->user_timeout = v;
		return 0;
	case TCP_FASTOPEN:
		if (v < 0)
			return -EINVAL;
		o->fastopen = v;
		return 0;
	case TCP_NOTSENT_LOWAT:
		o->notsent_lowat = (uint32_t)v;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int get_tcp(struct inet_sock *i, int name, int32_t *v)
{
	struct inet_opts *o = &i->opts;

	switch (name) {
	case TCP_NODELAY:
		*v = o->nodelay;
		return 0;
	case TCP_CORK:
		*v = o->cork;
		return 0;
	case TCP_QUICKACK:
		*v = o->quickack;
		return 0;
	case TCP_MAXSEG:
		/* Connected: lo's MTU 65536 less the IP and TCP headers
		 * and timestamps, as Linux shows it. */
		if (i->u.state == UNIX_CONNECTED)
			*v = i->family == AF_INET ? 65483 : 65464;
		else
			*v = o->maxseg ? o->maxseg : TCP_MSS_DEFAULT;
		return 0;
	case TCP_KEEPIDLE:
		*v = o->keepidle;
		return 0;
	case TCP_KEEPINTVL:
		*v = o->keepintvl;
		return 0;
	case TCP_KEEPCNT:
		*v = o->keepcnt;
		return 0;
	case TCP_SYNCNT:
		*v = o->syncnt;
		return 0;
	case TCP_LINGER2:
		*v = o->linger2;
		return 0;
	case TCP_DEFER_ACCEPT:
		*v = o->defer_accept;
		return 0;
	case TCP_USER_TIMEOUT:
		*v = o->user_timeout;
		return 0;
	case TCP_FASTOPEN:
		*v = o->fastopen;
		return 0;
	case TCP_NOTSENT_LOWAT:
		*v = (int32_t)o->notsent_lowat;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* Level IPPROTO_IP (Linux's do_ip_setsockopt checks). */
static int set_ip(struct inet_sock *i, int name, int32_t v)
{
	struct inet_opts *o = &i->opts;

	switch (name) {
	case IP_TOS:
		/* TCP keeps the ECN bits its own. */
		o->tos = i->proto == IPPROTO_TCP ? (v & ~3) & 0xff : v & 0xff;
		return 0;
	case IP_TTL:
		if (v != -1 && (v < 1 || v > 255))
			return -EINVAL;
		o->ttl = v;
		return 0;
	case IP_MTU_DISCOVER:
		if (v < 0 || v > IP_PMTUDISC_OMIT)
			return -EINVAL;
		o->mtu_disc = v;
		return 0;
	case IP_PKTINFO:
		o->pktinfo = v != 0;
		return 0;
	case IP_RECVERR:
		o->recverr = v != 0;
		return 0;
	case IP_RECVTOS:
		o->recvtos = v != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int get_ip(struct inet_sock *i, int name, int32_t *v)
{
	struct inet_opts *o = &i->opts;

	switch (name) {
	case IP_TOS:
		*v = o->tos;
		return 0;
	case IP_TTL:
		*v = o->ttl == -1 ? DEFAULT_TTL : o->ttl;
		return 0;
	case IP_MTU_DISCOVER:
		*v = o->mtu_disc;
		return 0;
	case IP_PKTINFO:
		*v = o->pktinfo;
		return 0;
	case IP_RECVERR:
		*v = o->recverr;
		return 0;
	case IP_RECVTOS:
		*v = o->recvtos;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* Level IPPROTO_IPV6, AF_INET6 sockets only. */
static int set_ipv6(struct inet_sock *i, int name, int32_t v)
{
	struct inet_opts *o = &i->opts;

	switch (name) {
	case IPV6_V6ONLY:
		/* Linux: only before the socket has a port. */
		if (i->local.port)
			return -EINVAL;
		i->v6only = v != 0;
		return 0;
	case IPV6_UNICAST_HOPS:
		if (v < -1 || v > 255)
			return -EINVAL;
		o->hops = v;
		return 0;
	case IPV6_TCLASS:
		if (v < -1 || v > 255)
			return -EINVAL;
		o->tclass = v;
		return 0;
	case IPV6_RECVPKTINFO:
		o->recvpktinfo6 = v != 0;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int get_ipv6(struct inet_sock *i, int name, int32_t *v)
{
	struct inet_opts *o = &i->opts;

	switch (name) {
	case IPV6_V6ONLY:
		*v = i->v6only;
		return 0;
	case IPV6_UNICAST_HOPS:
		*v = o->hops == -1 ? DEFAULT_TTL : o->hops;
		return 0;
	case IPV6_TCLASS:
		*v = o->tclass == -1 ? 0 : o->tclass;
		return 0;
	case IPV6_RECVPKTINFO:
		*v = o->recvpktinfo6;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int inet_setsockopt_level(struct socket *s, int level, int name,
			  const void *val, size_t len)
{
	struct inet_sock *i = inet_of(s->sk);
	int32_t v;
	int err;

	if (int_value(val, len, level == IPPROTO_IP, &v))
		return -EINVAL;
	unix_lock();
	if (level == IPPROTO_TCP && i->proto == IPPROTO_TCP)
		err = set_tcp(i, name, v);
	else if (level == IPPROTO_IP)
		err = set_ip(i, name, v);
	else if (level == IPPROTO_IPV6 && i->family == AF_INET6)
		err = set_ipv6(i, name, v);
	else
		err = -ENOPROTOOPT;
	unix_unlock();
	return err;
}

int inet_getsockopt_level(struct socket *s, int level, int name, void *val,
			  size_t *len)
{
	struct inet_sock *i = inet_of(s->sk);
	int32_t v;
	int err;

	unix_lock();
	if (level == IPPROTO_TCP && i->proto == IPPROTO_TCP)
		err = get_tcp(i, name, &v);
	else if (level == IPPROTO_IP)
		err = get_ip(i, name, &v);
	else if (level == IPPROTO_IPV6 && i->family == AF_INET6)
		err = get_ipv6(i, name, &v);
	else
		err = -EOPNOTSUPP; /* Linux's ip_getsockopt; set says
				    * ENOPROTOOPT */
	unix_unlock();
	return err ? err : put_int(v, val, len);
}

long inet_ioctl(struct socket *s, unsigned int cmd, int *val)
{
	struct inet_sock *i = inet_of(s->sk);
	struct unix_sock *p;

	if (cmd != SIOCOUTQ || i->proto != IPPROTO_TCP)
		return unix_ioctl(s, cmd, val);
	/* TCP's SIOCOUTQ: the bytes sent and not acknowledged. On lo the
	 * peer acknowledges what its receive buffer takes: what is
	 * queued beyond the peer's SO_RCVBUF. */
	unix_lock();
	if (i->u.state == UNIX_LISTEN) {
		unix_unlock();
		return -EINVAL;
	}
	p = i->u.peer;
	*val = p && !p->dead && p->rcvq.bytes > p->rcvbuf
		       ? (int)(p->rcvq.bytes - p->rcvbuf)
		       : 0;
	unix_unlock();
	return 0;
}

