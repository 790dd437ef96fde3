/*
 * Loopback IPv4 and IPv6 sockets (services/net/inet/): what the files
 * share.
 *
 * Keel has no network device: every address is on `lo` (127.0.0.0/8 and
 * ::1), and a socket's state is a unix socket's (struct unix_sock, whose
 * queues, waits, connections and shutdown rules services/net/unix/ has)
 * with an Internet part around it: struct inet_sock embeds the unix_sock
 * first, so the unix code frees it and the inet code finds its part
 * with inet_of(). A TCP connection is a unix stream pair; a UDP socket a
 * unix datagram queue whose senders find it by port (inet_port.c), never
 * by peer pointer. No packets, no TCP state machine: what the socket API
 * shows of Linux's `lo` is modelled (refused connects, FIN and RST,
 * ephemeral ports, the bind conflict rules).
 *
 * Addresses are kept as IPv6 ones (an IPv4 address as ::ffff:a.b.c.d),
 * ports in host order. Locking: unix_lock guards the inet state and the
 * table of bound ports too.
 */
#ifndef INET_INTERNAL_H
#define INET_INTERNAL_H

#include "../inet_abi.h"

#include "../unix/unix_internal.h"

/* Linux's net.ipv4.ip_local_port_range. */
#define INET_EPHEMERAL_LO 32768u
#define INET_EPHEMERAL_HI 60999u
/* The largest UDP payloads: 65535 less the IP and UDP headers (IPv6's
 * payload length leaves out its header). */
#define UDP4_MAX 65507u
#define UDP6_MAX 65527u

struct inet_addr {
	uint8_t ip[16]; /* IPv6, or IPv4 mapped */
	uint16_t port;  /* host order */
};

/* The protocol options kept (set and read back; those with an effect
 * say so where they are used). */
struct inet_opts {
	int32_t tos, ttl, tclass, hops;
	bool pktinfo, recverr, recvtos, recvpktinfo6;
	int32_t mtu_disc;
	bool nodelay, cork, quickack;
	int32_t keepidle, keepintvl, keepcnt, syncnt, linger2;
	int32_t defer_accept, user_timeout, fastopen, maxseg;
	uint32_t notsent_lowat;
	struct linux_linger linger;
	bool reuseport;
	int32_t priority; /* SO_PRIORITY */
};

struct inet_sock {
	struct unix_sock u; /* first: kfree(&u) frees the inet_sock */
	int family;         /* AF_INET, AF_INET6 */
	int proto;          /* IPPROTO_TCP, IPPROTO_UDP */
	struct inet_addr local;  /* port 0: not bound */
	struct inet_addr remote; /* connected (TCP) / the default (UDP) */
	bool has_remote;
	bool in_table;           /* on the table of bound ports */
	bool bound_by_user;      /* bind named the address and port */
	bool v6only;             /* IPV6_V6ONLY */
	/* TCP: a non-blocking connect's result not yet taken by another
	 * connect (Linux's SS_CONNECTING). */
	bool connecting;
	/* TCP: the write after the peer's close went nowhere (the RST
	 * came back): later writes are EPIPE. */
	bool reset_seen;
	struct list_head port_link;
	struct inet_opts opts;
};

static inline struct inet_sock *inet_of(struct unix_sock *u)
{
	return (struct inet_sock *)u; /* u is its first member */
}

/* ---- inet_addr.c: addresses, plain logic ---------------------------- */

/* Is a (mapped) an IPv4 address; its IPv4 form in host order. */
bool inet_is_v4(const uint8_t ip[16]);
uint32_t inet_v4(const uint8_t ip[16]);
void inet_set_v4(uint8_t ip[16], uint32_t v4);
bool inet_is_any(const uint8_t ip[16]); /* 0.0.0.0 (mapped) or :: */
bool inet_is_loopback(const uint8_t ip[16]); /* 127/8, ::1 */
bool inet_addr_eq(const uint8_t a[16], const uint8_t b[16]);

/* Parses the sockaddr of len bytes a socket of family was given into
 * *out: -EINVAL (short), -EAFNOSUPPORT (another family). AF_INET takes
 * AF_UNSPEC with INADDR_ANY too, as Linux's bind. */
int inet_addr_parse(int family, const void *addr, size_t len,
		    struct inet_addr *out);
/* Writes a as a sockaddr of family at out (SOCK_ADDR_MAX bytes): its
 * length. */
size_t inet_addr_format(int family, const struct inet_addr *a, void *out);
/* Checks a bind address of socket s (family, v6only): 0, -EADDRNOTAVAIL
 * (not on lo), -EINVAL (a mapped address on a v6-only socket). */
int inet_bind_addr_ok(int family, bool v6only, const uint8_t ip[16]);
/* The destination a connect or send names, as it goes: the wildcard is
 * the local address, as Linux; -ENETUNREACH off lo (only lo is up). */
int inet_route(int family, bool v6only, struct inet_addr *dst);
/* The source address a socket bound to local sends to dst from. */
void inet_source(const struct inet_addr *local, const struct inet_addr *dst,
		 uint8_t out[16]);

/* ---- inet_port.c: the table of bound ports -------------------------- */

/* Binds i to a (port 0: an ephemeral port), unix_lock held: 0,
 * -EADDRINUSE, -EAGAIN (no ephemeral port free). */
int inet_port_bind(struct inet_sock *i, const struct inet_addr *a);
/* May bound socket i listen: -EADDRINUSE when another listens on what
 * it covers (they shared the port by SO_REUSEADDR). */
int inet_port_listen_ok(const struct inet_sock *i);
/* Takes i off the table (unix_lock held). */
void inet_port_unbind(struct inet_sock *i);
/* The socket of proto that takes what is sent to dst from src (TCP:
 * listening; UDP: bound, and connected to nobody or to src), an exact
 * address before a wildcard; or NULL. unix_lock held. */
struct inet_sock *inet_port_lookup(int proto, const struct inet_addr *dst,
				   const struct inet_addr *src);
/* Does socket i (its family, v6only) receive what is sent to ip? */
bool inet_accepts(const struct inet_sock *i, const uint8_t ip[16]);

/* ---- inet_sock.c: what TCP and UDP share ---------------------------- */

/* A new inet_sock of the family and proto (its unix part set up for
 * type), or NULL. */
struct inet_sock *inet_sock_new(int family, int type, int proto);
void inet_release(struct socket *s);
int inet_bind(struct socket *s, const void *addr, size_t len);
/* Binds an unbound socket to an ephemeral port (unix_lock held). */
int inet_autobind(struct inet_sock *i);
int inet_getname(struct socket *s, void *addr, size_t *len, bool peer);
int inet_setsockopt(struct socket *s, int name, const void *val, size_t len);
int inet_getsockopt(struct socket *s, int name, void *val, size_t *len);
int inet_setsockopt_level(struct socket *s, int level, int name,
			  const void *val, size_t len);
int inet_getsockopt_level(struct socket *s, int level, int name, void *val,
			  size_t *len);
long inet_ioctl(struct socket *s, unsigned int cmd, int *val);

extern const struct sock_ops inet_tcp_ops;
extern const struct sock_ops inet_udp_ops;

#endif
