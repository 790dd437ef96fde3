/*
 * AF_NETLINK (services/net/netlink/): the socket (netlink.c) and the
 * NETLINK_ROUTE answers (nl_route.c). The message layouts are Linux's
 * <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h> and
 * <linux/if_addr.h>, checked by tests/unit/test_netlink.c.
 */
#ifndef NL_INTERNAL_H
#define NL_INTERNAL_H

#include "../unix/unix_internal.h"

#define NETLINK_ROUTE 0
#define NETLINK_PROTO_MAX 32

#define NLMSG_NOOP 1
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define NLMSG_MIN_TYPE 0x10
#define NLM_F_REQUEST 0x1
#define NLM_F_MULTI 0x2
#define NLM_F_ACK 0x4
#define NLM_F_ROOT 0x100
#define NLM_F_MATCH 0x200
#define NLM_F_DUMP (NLM_F_ROOT | NLM_F_MATCH)

#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_GETADDR 22

#define IFLA_ADDRESS 1
#define IFLA_BROADCAST 2
#define IFLA_IFNAME 3
#define IFLA_MTU 4
#define IFLA_TXQLEN 13
#define IFLA_OPERSTATE 16
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_LABEL 3
#define IFA_F_PERMANENT 0x80
#define RT_SCOPE_HOST 254
#define IFF_LOWER_UP 0x10000

struct linux_sockaddr_nl {
	uint16_t nl_family; /* AF_NETLINK */
	uint16_t nl_pad;
	uint32_t nl_pid;
	uint32_t nl_groups;
};

struct linux_nlmsghdr {
	uint32_t nlmsg_len;
	uint16_t nlmsg_type;
	uint16_t nlmsg_flags;
	uint32_t nlmsg_seq;
	uint32_t nlmsg_pid;
};

struct linux_ifinfomsg {
	uint8_t ifi_family;
	uint8_t pad;
	uint16_t ifi_type;
	int32_t ifi_index;
	uint32_t ifi_flags;
	uint32_t ifi_change;
};

struct linux_ifaddrmsg {
	uint8_t ifa_family;
	uint8_t ifa_prefixlen;
	uint8_t ifa_flags;
	uint8_t ifa_scope;
	uint32_t ifa_index;
};

struct linux_rtattr {
	uint16_t rta_len;
	uint16_t rta_type;
};

#define NL_ALIGN(len) (((len) + 3u) & ~3u)

struct nl_sock {
	struct unix_sock u; /* first: kfree(&u) frees the nl_sock */
	uint32_t portid;
	uint32_t groups;
	uint32_t dst;        /* connect's port id (0: the kernel) */
	bool bound;
	struct list_head link; /* on the list of bound port ids */
};

/* Answers the requests in the len bytes at req, queuing the reply on n
 * as one datagram (unix_lock held): 0 or -ENOMEM. */
int nl_route_request(struct nl_sock *n, const uint8_t *req, size_t len);

#endif
