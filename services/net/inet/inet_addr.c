/*
 * Internet addresses of loopback sockets: sockaddr_in and sockaddr_in6
 * parsed into and formatted from struct inet_addr (IPv4 kept mapped,
 * ::ffff:a.b.c.d), and the routing of a machine whose only interface is
 * `lo`: 127.0.0.0/8 and ::1 are local, a wildcard destination is the
 * local address, anything else is unreachable (ENETUNREACH, what Linux
 * gives with only lo up) and cannot be bound (EADDRNOTAVAIL). Plain
 * logic, driven directly by tests/unit/test_inet.c.
 */
#include <keel/errno.h>
#include <keel/string.h>

#include "inet_internal.h"

static const uint8_t mapped_prefix[12] = { 0, 0, 0, 0, 0, 0,
					   0, 0, 0, 0, 0xff, 0xff };

bool inet_is_v4(const uint8_t ip[16])
{
	return !memcmp(ip, mapped_prefix, sizeof(mapped_prefix));
}

uint32_t inet_v4(const uint8_t ip[16])
{
	return (uint32_t)ip[12] << 24 | (uint32_t)ip[13] << 16 |
	       (uint32_t)ip[14] << 8 | ip[15];
}

void inet_set_v4(uint8_t ip[16], uint32_t v4)
{
	memcpy(ip, mapped_prefix, sizeof(mapped_prefix));
	ip[12] = (uint8_t)(v4 >> 24);
	ip[13] = (uint8_t)(v4 >> 16);
	ip[14] = (uint8_t)(v4 >> 8);
	ip[15] = (uint8_t)v4;
}

static bool is_v6_any(const uint8_t ip[16])
{
	static const uint8_t zero[16];

	return !memcmp(ip, zero, 16);
}

static bool is_v6_loopback(const uint8_t ip[16])
{
	static const uint8_t one[16] = { [15] = 1 };

	return !memcmp(ip, one, 16);
}

bool inet_is_any(const uint8_t ip[16])
{
	return is_v6_any(ip) || (inet_is_v4(ip) && !inet_v4(ip));
}

bool inet_is_loopback(const uint8_t ip[16])
{
	if (inet_is_v4(ip))
		return (inet_v4(ip) >> 24) == 127;
	return is_v6_loopback(ip);
}

bool inet_addr_eq(const uint8_t a[16], const uint8_t b[16])
{
	return !memcmp(a, b, 16);
}

/* Network-order 16 bits from / to two bytes. */
static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

int inet_addr_parse(int family, const void *addr, size_t len,
		    struct inet_addr *out)
{
	const uint8_t *b = addr;
	uint16_t fam;

	if (len < sizeof(fam))
		return -EINVAL;
	memcpy(&fam, b, sizeof(fam));
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		struct linux_sockaddr_in sin;

		if (len < sizeof(sin))
			return -EINVAL;
		memcpy(&sin, b, sizeof(sin));
		out->port = get_be16((const uint8_t *)&sin.sin_port);
		memcpy(out->ip, mapped_prefix, sizeof(mapped_prefix));
		memcpy(out->ip + 12, &sin.sin_addr, 4);
		if (fam == AF_UNSPEC && !sin.sin_addr)
			return 0;
		return fam == AF_INET ? 0 : -EAFNOSUPPORT;
	}
	if (len < SIN6_LEN_RFC2133)
		return -EINVAL;
	if (fam != AF_INET6)
		return -EAFNOSUPPORT;
	out->port = get_be16(b + offsetof(struct linux_sockaddr_in6, sin6_port));
	memcpy(out->ip, b + offsetof(struct linux_sockaddr_in6, sin6_addr), 16);
	return 0;
}

size_t inet_addr_format(int family, const struct inet_addr *a, void *out)
{
	if (family == AF_INET) {
		struct linux_sockaddr_in sin;

		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		put_be16((uint8_t *)&sin.sin_port, a->port);
		memcpy(&sin.sin_addr, a->ip + 12, 4);
		memcpy(out, &sin, sizeof(sin));
		return sizeof(sin);
	}
	struct linux_sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	put_be16((uint8_t *)&sin6.sin6_port, a->port);
	memcpy(sin6.sin6_addr, a->ip, 16);
	memcpy(out, &sin6, sizeof(sin6));
	return sizeof(sin6);
}

int inet_bind_addr_ok(int family, bool v6only, const uint8_t ip[16])
{
	if (family == AF_INET6 && inet_is_v4(ip)) {
		/* A mapped address: IPv4 rules, on a dual-stack socket. */
		if (v6only)
			return -EINVAL;
	} else if (family == AF_INET6) {
		return is_v6_any(ip) || is_v6_loopback(ip) ? 0 : -EADDRNOTAVAIL;
	}
	return inet_is_any(ip) || inet_is_loopback(ip) ? 0 : -EADDRNOTAVAIL;
}

int inet_route(int family, bool v6only, struct inet_addr *dst)
{
	bool v4 = inet_is_v4(dst->ip);

	if (family == AF_INET6 && v4 && v6only)
		return -ENETUNREACH;
	if (inet_is_any(dst->ip)) {
		/* Linux sends to the wildcard as to the local address. */
		if (v4)
			inet_set_v4(dst->ip, 0x7f000001);
		else
			dst->ip[15] = 1;
		return 0;
	}
	return inet_is_loopback(dst->ip) ? 0 : -ENETUNREACH;
}

void inet_source(const struct inet_addr *local, const struct inet_addr *dst,
		 uint8_t out[16])
{
	if (!inet_is_any(local->ip)) {
		memcpy(out, local->ip, 16);
		return;
	}
	/* lo's own address: 127.0.0.1 is the source of all of 127/8. */
	memset(out, 0, 16);
	if (inet_is_v4(dst->ip))
		inet_set_v4(out, 0x7f000001);
	else
		out[15] = 1;
}
