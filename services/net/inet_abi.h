/*
 * The Internet socket ABI (Linux's <linux/in.h>, <linux/in6.h>,
 * <linux/tcp.h>, <linux/sockios.h>, <linux/if.h>; libc's <netinet/in.h>,
 * <netinet/tcp.h> and <net/if.h> repeat it, and the kernel's and libc's
 * versions cannot be included together, so it lives here, beside
 * net_abi.h, not in uapi/): protocol numbers, the IPv4 and IPv6 socket
 * addresses, the options of levels IPPROTO_IP, IPPROTO_IPV6 and
 * IPPROTO_TCP the loopback sockets keep, and the interface requests.
 * tests/unit/test_net_abi.c compares every value and layout with libc's.
 */
#ifndef NET_INET_ABI_H
#define NET_INET_ABI_H

#include <stdint.h>

#define IPPROTO_IP 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_IPV6 41

/* Level IPPROTO_IP. */
#define IP_TOS 1
#define IP_TTL 2
#define IP_PKTINFO 8
#define IP_MTU_DISCOVER 10
#define IP_RECVERR 11
#define IP_RECVTOS 13

/* Level IPPROTO_IPV6. */
#define IPV6_UNICAST_HOPS 16
#define IPV6_V6ONLY 26
#define IPV6_RECVPKTINFO 49
#define IPV6_TCLASS 67

/* Level IPPROTO_TCP. */
#define TCP_NODELAY 1
#define TCP_MAXSEG 2
#define TCP_CORK 3
#define TCP_KEEPIDLE 4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT 6
#define TCP_SYNCNT 7
#define TCP_LINGER2 8
#define TCP_DEFER_ACCEPT 9
#define TCP_QUICKACK 12
#define TCP_USER_TIMEOUT 18
#define TCP_FASTOPEN 23
#define TCP_NOTSENT_LOWAT 25

struct linux_sockaddr_in {
	uint16_t sin_family; /* AF_INET */
	uint16_t sin_port;   /* network order */
	uint32_t sin_addr;   /* network order */
	uint8_t sin_zero[8];
};

struct linux_sockaddr_in6 {
	uint16_t sin6_family; /* AF_INET6 */
	uint16_t sin6_port;   /* network order */
	uint32_t sin6_flowinfo;
	uint8_t sin6_addr[16];
	uint32_t sin6_scope_id;
};

/* The length a sockaddr_in6 may be given with (RFC 2133's, without
 * sin6_scope_id). */
#define SIN6_LEN_RFC2133 24

struct linux_linger {
	int32_t l_onoff;
	int32_t l_linger;
};

/* Interface requests (<linux/sockios.h>). */
#define SIOCGIFNAME 0x8910
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCGIFADDR 0x8915
#define SIOCGIFBRDADDR 0x8919
#define SIOCGIFNETMASK 0x891b
#define SIOCGIFMTU 0x8921
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFINDEX 0x8933

#define IFNAMSIZ 16
#define IFF_UP 0x1
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING 0x40

/* struct ifreq: a name and a 24-byte union (an address, flags, an
 * index, an mtu). */
struct linux_ifreq {
	char name[IFNAMSIZ];
	union {
		struct linux_sockaddr_in addr;
		uint16_t flags;
		int32_t ivalue;
		struct {
			uint16_t sa_family;
			uint8_t sa_data[14];
		} hwaddr;
		uint8_t raw[24];
	} u;
};

/* struct ifconf: a buffer of ifreqs and its length. */
struct linux_ifconf {
	int32_t len;
	uint32_t pad;
	uint64_t buf; /* a user address */
};

#endif
