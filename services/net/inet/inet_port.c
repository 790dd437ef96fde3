/*
 * The table of bound ports of loopback sockets: bind's conflict rules
 * (Linux's inet_csk_bind_conflict and udp_lib_lport_inuse, as the socket
 * API shows them), ephemeral ports (net.ipv4.ip_local_port_range), and
 * the lookup of the socket a connect or datagram goes to. One list: a
 * loopback machine has few sockets. Callers hold unix_lock.
 *
 * What a bound socket covers: a specific address only itself; 0.0.0.0
 * every IPv4 address; :: every IPv6 address and, unless IPV6_V6ONLY,
 * every IPv4 one too (::ffff:0.0.0.0 every IPv4 one). Two sockets of a
 * protocol on one port conflict when what they cover meets, unless both
 * set SO_REUSEPORT, or both set SO_REUSEADDR and (TCP) the one already
 * there is not listening.
 */
#include <keel/errno.h>

#include "inet_internal.h"

static struct list_head ports = { &ports, &ports };
static unsigned next_ephemeral;

static bool wild_v4(const struct inet_sock *i)
{
	if (!inet_is_any(i->local.ip))
		return false;
	return i->family == AF_INET || inet_is_v4(i->local.ip) || !i->v6only;
}

static bool wild_v6(const struct inet_sock *i)
{
	return inet_is_any(i->local.ip) && i->family == AF_INET6 &&
	       !inet_is_v4(i->local.ip);
}

bool inet_accepts(const struct inet_sock *i, const uint8_t ip[16])
{
	if (!inet_is_any(i->local.ip))
		return inet_addr_eq(i->local.ip, ip);
	return inet_is_v4(ip) ? wild_v4(i) : wild_v6(i);
}

/* Does what a (bound to a's local address) covers meet what b does? */
static bool overlap(const struct inet_sock *a, const struct inet_sock *b)
{
	if (!inet_is_any(a->local.ip))
		return inet_accepts(b, a->local.ip);
	if (!inet_is_any(b->local.ip))
		return inet_accepts(a, b->local.ip);
	return (wild_v4(a) && wild_v4(b)) || (wild_v6(a) && wild_v6(b));
}

static bool listening(const struct inet_sock *i)
{
	return i->u.state == UNIX_LISTEN;
}

/* SO_REUSEADDR as the socket has it now (sys_sockopt.c keeps it). */
static bool reuseaddr(const struct inet_sock *i)
{
	return i->u.sock && (i->u.sock->bool_opts & (1u << SO_REUSEADDR));
}

/* Does new socket n conflict with e, which is on the table? */
static bool conflicts(const struct inet_sock *n, const struct inet_sock *e)
{
	if (e == n || e->proto != n->proto || e->local.port != n->local.port)
		return false;
	if (!overlap(n, e))
		return false;
	if (n->opts.reuseport && e->opts.reuseport)
		return false;
	if (reuseaddr(n) && reuseaddr(e))
		return n->proto == IPPROTO_TCP && listening(e);
	return true;
}

/* Is port free of every socket of proto (an ephemeral port's test)? */
static bool port_unused(int proto, uint16_t port)
{
	struct list_head *pos;

	list_for_each(pos, &ports) {
		struct inet_sock *e =
			list_entry(pos, struct inet_sock, port_link);

		if (e->proto == proto && e->local.port == port)
			return false;
	}
	return true;
}

static bool any_conflict(const struct inet_sock *n)
{
	struct list_head *pos;

	list_for_each(pos, &ports) {
		if (conflicts(n, list_entry(pos, struct inet_sock, port_link)))
			return true;
	}
	return false;
}

/* An ephemeral port no socket of proto has, or 0. */
static uint16_t pick_ephemeral(int proto)
{
	unsigned range = INET_EPHEMERAL_HI - INET_EPHEMERAL_LO + 1;

	for (unsigned k = 0; k < range; k++) {
		/* A stride coprime to the range spreads the ports. */
		unsigned port = INET_EPHEMERAL_LO +
				(next_ephemeral++ * 7919u) % range;

		if (port_unused(proto, (uint16_t)port))
			return (uint16_t)port;
	}
	return 0;
}

int inet_port_bind(struct inet_sock *i, const struct inet_addr *a)
{
	struct inet_addr old = i->local;

	i->local = *a;
	if (!a->port) {
		i->local.port = pick_ephemeral(i->proto);
		if (!i->local.port) {
			i->local = old;
			return -EAGAIN;
		}
	} else if (any_conflict(i)) {
		i->local = old;
		return -EADDRINUSE;
	}
	i->in_table = true;
	list_add(&i->port_link, &ports); /* newest first */
	return 0;
}

int inet_port_listen_ok(const struct inet_sock *i)
{
	struct list_head *pos;

	/* Two sockets that SO_REUSEADDR let share a port cannot both
	 * listen (Linux checks again at listen). */
	list_for_each(pos, &ports) {
		const struct inet_sock *e =
			list_entry(pos, struct inet_sock, port_link);

		if (e != i && e->proto == i->proto &&
		    e->local.port == i->local.port && listening(e) &&
		    overlap(i, e) && !(i->opts.reuseport && e->opts.reuseport))
			return -EADDRINUSE;
	}
	return 0;
}

void inet_port_unbind(struct inet_sock *i)
{
	if (!i->in_table)
		return;
	list_del(&i->port_link);
	list_init(&i->port_link);
	i->in_table = false;
}

/* How well e matches a lookup: -1 not at all, more is better (an exact
 * address over a wildcard, a connected UDP socket over another). */
static int match_score(const struct inet_sock *e, int proto,
		       const struct inet_addr *dst,
		       const struct inet_addr *src)
{
	int score = 0;

	if (e->proto != proto || e->local.port != dst->port ||
	    !inet_accepts(e, dst->ip))
		return -1;
	if (proto == IPPROTO_TCP && !listening(e))
		return -1;
	if (!inet_is_any(e->local.ip))
		score += 2;
	if (proto == IPPROTO_UDP && e->has_remote) {
		if (e->remote.port != src->port ||
		    !inet_addr_eq(e->remote.ip, src->ip))
			return -1;
		score += 4;
	}
	return score;
}

struct inet_sock *inet_port_lookup(int proto, const struct inet_addr *dst,
				   const struct inet_addr *src)
{
	struct inet_sock *best = NULL;
	int best_score = -1;
	struct list_head *pos;

	list_for_each(pos, &ports) {
		struct inet_sock *e =
			list_entry(pos, struct inet_sock, port_link);
		int score = match_score(e, proto, dst, src);

		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	return best;
}
