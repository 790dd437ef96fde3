/*
 * Unit tests of the loopback inet sockets' plain logic: the ABI values
 * of services/net/inet_abi.h against the host's <netinet/in.h>,
 * <netinet/tcp.h>, <net/if.h> and <linux/sockios.h>; address parsing and
 * formatting (sockaddr_in, sockaddr_in6, mapped IPv4); the routing of a
 * machine with only lo (127/8 and ::1 local, the wildcard as the local
 * address, ENETUNREACH otherwise: what Linux says with only lo up, which
 * the ABI tests cannot ask natively without sending to a real network);
 * the bind conflict rules and lookups of the port table; and sockets
 * with a connection, all given back. The data paths run in
 * tests/abi/inet_*.c.
 */
#include "unit.h"

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sockios.h>
#include <stddef.h>
#include <string.h>

/* The host's values, taken before Keel's header defines the names. */
static const long host[] = {
	IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6, IP_TOS, IP_TTL,
	IP_PKTINFO, IP_MTU_DISCOVER, IP_RECVERR, IP_RECVTOS,
	IPV6_UNICAST_HOPS, IPV6_V6ONLY, IPV6_RECVPKTINFO, IPV6_TCLASS,
	TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL,
	TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2, TCP_DEFER_ACCEPT,
	TCP_QUICKACK, TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_NOTSENT_LOWAT,
	SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFBRDADDR,
	SIOCGIFNETMASK, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX, IFNAMSIZ,
	IFF_UP, IFF_LOOPBACK, IFF_RUNNING,
	sizeof(struct sockaddr_in), offsetof(struct sockaddr_in, sin_port),
	offsetof(struct sockaddr_in, sin_addr), sizeof(struct sockaddr_in6),
	offsetof(struct sockaddr_in6, sin6_port),
	offsetof(struct sockaddr_in6, sin6_addr),
	offsetof(struct sockaddr_in6, sin6_scope_id), sizeof(struct ifreq),
	offsetof(struct ifreq, ifr_flags), sizeof(struct ifconf),
	offsetof(struct ifconf, ifc_buf), sizeof(struct linger),
};

#undef IPPROTO_IP
#undef IPPROTO_TCP
#undef IPPROTO_UDP
#undef IPPROTO_IPV6
#undef IP_TOS
#undef IP_TTL
#undef IP_PKTINFO
#undef IP_MTU_DISCOVER
#undef IP_RECVERR
#undef IP_RECVTOS
#undef IPV6_UNICAST_HOPS
#undef IPV6_V6ONLY
#undef IPV6_RECVPKTINFO
#undef IPV6_TCLASS
#undef TCP_NODELAY
#undef TCP_MAXSEG
#undef TCP_CORK
#undef TCP_KEEPIDLE
#undef TCP_KEEPINTVL
#undef TCP_KEEPCNT
#undef TCP_SYNCNT
#undef TCP_LINGER2
#undef TCP_DEFER_ACCEPT
#undef TCP_QUICKACK
#undef TCP_USER_TIMEOUT
#undef TCP_FASTOPEN
#undef TCP_NOTSENT_LOWAT
#undef SIOCGIFNAME
#undef SIOCGIFCONF
#undef SIOCGIFFLAGS
#undef SIOCGIFADDR
#undef SIOCGIFBRDADDR
#undef SIOCGIFNETMASK
#undef SIOCGIFMTU
#undef SIOCGIFHWADDR
#undef SIOCGIFINDEX
#undef IFNAMSIZ
#undef IFF_UP
#undef IFF_LOOPBACK
#undef IFF_RUNNING
#undef AF_UNSPEC
#undef AF_UNIX
#undef AF_INET
#undef AF_INET6
#undef AF_NETLINK
#undef AF_PACKET
#undef AF_MAX
#undef SOCK_STREAM
#undef SOCK_DGRAM
#undef SOCK_RAW
#undef SOCK_RDM
#undef SOCK_SEQPACKET
#undef SOCK_DCCP
#undef SOCK_PACKET
#undef SOCK_NONBLOCK
#undef SOCK_CLOEXEC
#undef MSG_OOB
#undef MSG_PEEK
#undef MSG_DONTROUTE
#undef MSG_CTRUNC
#undef MSG_TRUNC
#undef MSG_DONTWAIT
#undef MSG_EOR
#undef MSG_WAITALL
#undef MSG_ERRQUEUE
#undef MSG_NOSIGNAL
#undef MSG_MORE
#undef MSG_WAITFORONE
#undef MSG_CMSG_CLOEXEC
#undef SCM_RIGHTS
#undef SCM_CREDENTIALS
#undef SHUT_RD
#undef SHUT_WR
#undef SHUT_RDWR
#undef SOMAXCONN
#undef SOL_SOCKET
#undef SO_DEBUG
#undef SO_REUSEADDR
#undef SO_TYPE
#undef SO_ERROR
#undef SO_DONTROUTE
#undef SO_BROADCAST
#undef SO_SNDBUF
#undef SO_RCVBUF
#undef SO_KEEPALIVE
#undef SO_OOBINLINE
#undef SO_PRIORITY
#undef SO_LINGER
#undef SO_REUSEPORT
#undef SO_PASSCRED
#undef SO_PEERCRED
#undef SO_RCVLOWAT
#undef SO_SNDLOWAT
#undef SO_ACCEPTCONN
#undef SO_SNDBUFFORCE
#undef SO_RCVBUFFORCE
#undef SO_PROTOCOL
#undef SO_DOMAIN

#include <keel/errno.h>
#include <keel/failalloc.h>
#include <keel/heap.h>

#include "../../services/net/inet/inet_internal.h"

static const long keel[] = {
	IPPROTO_IP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_IPV6, IP_TOS, IP_TTL,
	IP_PKTINFO, IP_MTU_DISCOVER, IP_RECVERR, IP_RECVTOS,
	IPV6_UNICAST_HOPS, IPV6_V6ONLY, IPV6_RECVPKTINFO, IPV6_TCLASS,
	TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL,
	TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2, TCP_DEFER_ACCEPT,
	TCP_QUICKACK, TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_NOTSENT_LOWAT,
	SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR, SIOCGIFBRDADDR,
	SIOCGIFNETMASK, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX, IFNAMSIZ,
	IFF_UP, IFF_LOOPBACK, IFF_RUNNING,
	sizeof(struct linux_sockaddr_in),
	offsetof(struct linux_sockaddr_in, sin_port),
	offsetof(struct linux_sockaddr_in, sin_addr),
	sizeof(struct linux_sockaddr_in6),
	offsetof(struct linux_sockaddr_in6, sin6_port),
	offsetof(struct linux_sockaddr_in6, sin6_addr),
	offsetof(struct linux_sockaddr_in6, sin6_scope_id),
	sizeof(struct linux_ifreq), offsetof(struct linux_ifreq, u.flags),
	sizeof(struct linux_ifconf), offsetof(struct linux_ifconf, buf),
	sizeof(struct linux_linger),
};

START_TEST(inet_abi_values_are_the_hosts)
{
	ck_assert_uint_eq(sizeof(host), sizeof(keel));
	for (unsigned k = 0; k < sizeof(host) / sizeof(host[0]); k++)
		ck_assert_msg(host[k] == keel[k], "value %u: host %ld keel %ld",
			      k, host[k], keel[k]);
}
END_TEST

static struct inet_addr v4(uint32_t ip, uint16_t port)
{
	struct inet_addr a = { .port = port };

	inet_set_v4(a.ip, ip);
	return a;
}

static struct inet_addr v6(uint8_t last, uint16_t port)
{
	struct inet_addr a = { .port = port };

	memset(a.ip, 0, 16);
	a.ip[15] = last;
	return a;
}

START_TEST(addresses_parse_and_format)
{
	/* 127.0.0.2 port 8080, in network order. */
	static const uint8_t sin[16] = { AF_INET, 0, 0x1f, 0x90, 127, 0, 0, 2 };
	uint8_t sin6[28] = { AF_INET6, 0, 0, 80 };
	uint8_t out[SOCK_ADDR_MAX];
	struct inet_addr a;

	ck_assert_int_eq(inet_addr_parse(AF_INET, sin, sizeof(sin), &a), 0);
	ck_assert_uint_eq(a.port, 8080);
	ck_assert(inet_is_v4(a.ip));
	ck_assert_uint_eq(inet_v4(a.ip), 0x7f000002);
	ck_assert_uint_eq(inet_addr_format(AF_INET, &a, out), 16);
	ck_assert_mem_eq(out, sin, 16);
	/* The same address on an IPv6 socket: ::ffff:127.0.0.2. */
	ck_assert_uint_eq(inet_addr_format(AF_INET6, &a, out), 28);
	ck_assert_uint_eq(out[0], AF_INET6);
	ck_assert_uint_eq(out[8 + 10], 0xff);
	ck_assert_uint_eq(out[8 + 12], 127);
	ck_assert_int_eq(inet_addr_parse(AF_INET, sin, 15, &a), -EINVAL);
	ck_assert_int_eq(inet_addr_parse(AF_INET, sin6, 16, &a),
			 -EAFNOSUPPORT);
	sin6[8 + 15] = 1; /* ::1 */
	ck_assert_int_eq(inet_addr_parse(AF_INET6, sin6, 24, &a), 0);
	ck_assert_uint_eq(a.port, 80);
	ck_assert(inet_is_loopback(a.ip) && !inet_is_v4(a.ip));
	ck_assert_int_eq(inet_addr_parse(AF_INET6, sin6, 23, &a), -EINVAL);
	ck_assert_int_eq(inet_addr_parse(AF_INET6, sin, 24, &a),
			 -EAFNOSUPPORT);
}
END_TEST

START_TEST(only_lo_is_reachable)
{
	struct inet_addr a = v4(0x0a010203, 80); /* 10.1.2.3 */
	struct inet_addr six = v6(0, 80);

	ck_assert_int_eq(inet_route(AF_INET, false, &a), -ENETUNREACH);
	ck_assert_int_eq(inet_bind_addr_ok(AF_INET, false, a.ip),
			 -EADDRNOTAVAIL);
	a = v4(0x7f123456, 80);
	ck_assert_int_eq(inet_route(AF_INET, false, &a), 0);
	ck_assert_int_eq(inet_bind_addr_ok(AF_INET, false, a.ip), 0);
	/* The wildcard goes to the local address. */
	a = v4(0, 80);
	ck_assert_int_eq(inet_route(AF_INET, false, &a), 0);
	ck_assert_uint_eq(inet_v4(a.ip), 0x7f000001);
	ck_assert_int_eq(inet_route(AF_INET6, false, &six), 0);
	ck_assert(inet_is_loopback(six.ip));
	six.ip[0] = 0x20; /* 2000::1 */
	ck_assert_int_eq(inet_route(AF_INET6, false, &six), -ENETUNREACH);
	ck_assert_int_eq(inet_bind_addr_ok(AF_INET6, false, six.ip),
			 -EADDRNOTAVAIL);
	/* A mapped address: IPv4 rules, none on a v6-only socket. */
	a = v4(0x7f000001, 80);
	ck_assert_int_eq(inet_route(AF_INET6, true, &a), -ENETUNREACH);
	ck_assert_int_eq(inet_bind_addr_ok(AF_INET6, true, a.ip), -EINVAL);
	ck_assert_int_eq(inet_bind_addr_ok(AF_INET6, false, a.ip), 0);
}
END_TEST

/* A socket state (no socket, no file) bound to a, or NULL on a conflict
 * (*err). */
static struct inet_sock *bound(int family, int proto, struct inet_addr a,
			       bool v6only, int *err)
{
	struct inet_sock *i = inet_sock_new(family, proto == IPPROTO_TCP
							    ? SOCK_STREAM
							    : SOCK_DGRAM,
					    proto);

	ck_assert_ptr_nonnull(i);
	i->v6only = v6only;
	*err = inet_port_bind(i, &a);
	if (*err) {
		kfree(i);
		return NULL;
	}
	return i;
}

static void unbind_free(struct inet_sock *i)
{
	inet_port_unbind(i);
	kfree(i);
}

START_TEST(binds_conflict_as_linux_says)
{
	struct inet_sock *any4, *six, *lo, *other;
	struct inet_addr src = v4(0x7f000001, 40000);
	struct mem_usage before;
	int err;

	unit_boot_mm();
	mem_usage(&before);
	lo = bound(AF_INET, IPPROTO_TCP, v4(0x7f000001, 0), false, &err);
	ck_assert_int_eq(err, 0);
	ck_assert_uint_ge(lo->local.port, INET_EPHEMERAL_LO);
	ck_assert_uint_le(lo->local.port, INET_EPHEMERAL_HI);
	/* The wildcard meets 127.0.0.1; 127.0.0.2 does not. */
	ck_assert_ptr_null(bound(AF_INET, IPPROTO_TCP,
				 v4(0, lo->local.port), false, &err));
	ck_assert_int_eq(err, -EADDRINUSE);
	other = bound(AF_INET, IPPROTO_TCP, v4(0x7f000002, lo->local.port),
		      false, &err);
	ck_assert_ptr_nonnull(other);
	/* UDP has ports of its own. */
	any4 = bound(AF_INET, IPPROTO_UDP, v4(0, lo->local.port), false,
		     &err);
	ck_assert_ptr_nonnull(any4);
	/* :: meets 0.0.0.0 unless v6-only. */
	ck_assert_ptr_null(bound(AF_INET6, IPPROTO_UDP,
				 v6(0, lo->local.port), false, &err));
	six = bound(AF_INET6, IPPROTO_UDP, v6(0, lo->local.port), true, &err);
	ck_assert_ptr_nonnull(six);
	/* Lookups: IPv4 to the IPv4 wildcard, ::1 to the v6-only one;
	 * TCP only to listeners. */
	ck_assert_ptr_eq(inet_port_lookup(IPPROTO_UDP,
					  &(struct inet_addr){ .port = 0 },
					  &src),
			 NULL);
	{
		struct inet_addr to4 = v4(0x7f000003, lo->local.port);
		struct inet_addr to6 = v6(1, lo->local.port);

		ck_assert_ptr_eq(inet_port_lookup(IPPROTO_UDP, &to4, &src),
				 any4);
		ck_assert_ptr_eq(inet_port_lookup(IPPROTO_UDP, &to6, &src),
				 six);
		to4 = v4(0x7f000001, lo->local.port);
		ck_assert_ptr_null(inet_port_lookup(IPPROTO_TCP, &to4, &src));
		lo->u.state = UNIX_LISTEN;
		ck_assert_ptr_eq(inet_port_lookup(IPPROTO_TCP, &to4, &src),
				 lo);
		/* A connected UDP socket takes only its peer's. */
		any4->has_remote = true;
		any4->remote = v4(0x7f000001, 1234);
		ck_assert_ptr_null(inet_port_lookup(IPPROTO_UDP, &to4, &src));
	}
	unbind_free(lo);
	unbind_free(other);
	unbind_free(any4);
	unbind_free(six);
	{
		struct mem_usage after;

		mem_usage(&after);
		ck_assert_uint_eq(after.heap_objects, before.heap_objects);
	}
}
END_TEST

static Suite *inet_suite(void)
{
	Suite *s = suite_create("inet");
	TCase *tc = tcase_create("loopback inet sockets");

	tcase_add_test(tc, inet_abi_values_are_the_hosts);
	tcase_add_test(tc, addresses_parse_and_format);
	tcase_add_test(tc, only_lo_is_reachable);
	tcase_add_test(tc, binds_conflict_as_linux_says);
	suite_add_tcase(s, tc);
	return s;
}
UNIT_SUITE(inet_suite);
