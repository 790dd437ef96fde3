/* AF_NETLINK NETLINK_ROUTE as programs use it to learn the interfaces:
 * socket's checks, port ids (the pid for the first socket, a negative
 * one for the next, EADDRINUSE), the RTM_GETLINK and RTM_GETADDR dumps
 * (lo's link with its name, flags and MTU; 127.0.0.1/8 and ::1/128, each
 * dump ended by NLMSG_DONE with the request's sequence number and the
 * socket's port id, from port id 0), a get by index (ENODEV for none),
 * an unknown request (EOPNOTSUPP), NLM_F_ACK, and glibc's if_nameindex
 * and getifaddrs over it. Other interfaces the host may have are not
 * printed. */
#define _GNU_SOURCE
#if !__has_include(<linux/netlink.h>)
/* A libc variant without the kernel's headers (musl, cross): nothing
 * to run, the same on Linux and Keel. */
#include <stdio.h>
int main(void)
{
	puts("no <linux/netlink.h>");
	return 0;
}
#else
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "abi.h"

static char buf[65536];

static int open_route(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	struct sockaddr_nl a = { .nl_family = AF_NETLINK };

	bind(fd, (struct sockaddr *)&a, sizeof(a));
	return fd;
}

static unsigned portid_of(int fd)
{
	struct sockaddr_nl a;
	socklen_t len = sizeof(a);

	memset(&a, 0, sizeof(a));
	getsockname(fd, (struct sockaddr *)&a, &len);
	return a.nl_pid;
}

/* Sends a request of type with flags and a body of n bytes. */
static long request(int fd, int type, int flags, unsigned seq,
		    const void *body, size_t n)
{
	struct {
		struct nlmsghdr h;
		char body[64];
	} req;
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(n);
	req.h.nlmsg_type = type;
	req.h.nlmsg_flags = NLM_F_REQUEST | flags;
	req.h.nlmsg_seq = seq;
	memcpy(req.body, body, n);
	return sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&to,
		      sizeof(to));
}

static void show_link(struct nlmsghdr *h)
{
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = IFLA_PAYLOAD(h);
	const char *name = "";
	unsigned mtu = 0;

	for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			name = RTA_DATA(a);
		if (a->rta_type == IFLA_MTU)
			mtu = *(unsigned *)RTA_DATA(a);
	}
	if (ifi->ifi_index != 1)
		return;
	printf("  link %d %s type %u up %d loopback %d running %d mtu %u"
	       " multi %d\n",
	       ifi->ifi_index, name, ifi->ifi_type, !!(ifi->ifi_flags & IFF_UP),
	       !!(ifi->ifi_flags & IFF_LOOPBACK),
	       !!(ifi->ifi_flags & IFF_RUNNING), mtu,
	       !!(h->nlmsg_flags & NLM_F_MULTI));
}

static void show_addr(struct nlmsghdr *h)
{
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int len = IFA_PAYLOAD(h);
	char ip[INET6_ADDRSTRLEN] = "?";

	if (ifa->ifa_index != 1)
		return;
	for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len);
	     a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_ADDRESS)
			inet_ntop(ifa->ifa_family, RTA_DATA(a), ip, sizeof(ip));
	}
	printf("  addr %s/%u family %u scope %u\n", ip, ifa->ifa_prefixlen,
	       ifa->ifa_family, ifa->ifa_scope);
}

/* Reads datagrams until NLMSG_DONE, an error or a non-multi answer,
 * printing what is about lo. */
static void read_answers(int fd, unsigned seq)
{
	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr m = { .msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov, .msg_iovlen = 1 };
		long n = recvmsg(fd, &m, 0);
		int more = 0;

		if (n < 0) {
			printf("  recvmsg: %s\n", abi_errname(errno));
			return;
		}
		if (from.nl_pid != 0 || m.msg_namelen != sizeof(from))
			printf("  not from the kernel\n");
		for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq || h->nlmsg_pid != portid_of(fd))
				printf("  seq %u pid %u\n", h->nlmsg_seq,
				       h->nlmsg_pid);
			if (h->nlmsg_type == NLMSG_DONE) {
				printf("  done\n");
				return;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				int e = *(int *)NLMSG_DATA(h);

				printf("  error %s\n", e ? abi_errname(-e) : "0");
				return;
			}
			if (h->nlmsg_type == RTM_NEWLINK)
				show_link(h);
			if (h->nlmsg_type == RTM_NEWADDR)
				show_addr(h);
			more |= h->nlmsg_flags & NLM_F_MULTI;
		}
		if (!more)
			return;
	}
}

static void sockets(void)
{
	int a, b, c;
	struct sockaddr_nl at = { .nl_family = AF_NETLINK };

	SHOW("socket stream", socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE));
	SHOW("socket protocol 99", socket(AF_NETLINK, SOCK_RAW, 99));
	a = open_route();
	b = open_route();
	abi_yes("first port id is the pid", portid_of(a) == (unsigned)getpid());
	abi_yes("second port id is negative", (int)portid_of(b) < 0);
	c = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
	at.nl_pid = portid_of(a);
	SHOW("bind a taken port id", bind(c, (struct sockaddr *)&at,
					  sizeof(at)));
	close(a);
	close(b);
	close(c);
}

static void dumps(void)
{
	int fd = open_route();
	struct rtgenmsg g = { .rtgen_family = AF_UNSPEC };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET };
	struct ifinfomsg ifi = { .ifi_index = 1 };
	/* Not to hang if an answer does not come. */
	struct timeval tv = { 5, 0 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	printf("RTM_GETLINK dump: %ld\n",
	       request(fd, RTM_GETLINK, NLM_F_DUMP, 7, &g, sizeof(g)));
	read_answers(fd, 7);
	printf("RTM_GETADDR dump inet: %ld\n",
	       request(fd, RTM_GETADDR, NLM_F_DUMP, 8, &ifa, sizeof(ifa)));
	read_answers(fd, 8);
	ifa.ifa_family = AF_INET6;
	printf("RTM_GETADDR dump inet6: %ld\n",
	       request(fd, RTM_GETADDR, NLM_F_DUMP, 9, &ifa, sizeof(ifa)));
	read_answers(fd, 9);
	printf("RTM_GETLINK index 1: %ld\n",
	       request(fd, RTM_GETLINK, 0, 10, &ifi, sizeof(ifi)));
	read_answers(fd, 10);
	ifi.ifi_index = 9999;
	printf("RTM_GETLINK index 9999: %ld\n",
	       request(fd, RTM_GETLINK, 0, 11, &ifi, sizeof(ifi)));
	read_answers(fd, 11);
	printf("type 1000: %ld\n", request(fd, 1000, 0, 12, &g, sizeof(g)));
	read_answers(fd, 12);
	ifi.ifi_index = 1;
	printf("RTM_GETLINK index 1 with ack: %ld\n",
	       request(fd, RTM_GETLINK, NLM_F_ACK, 13, &ifi, sizeof(ifi)));
	read_answers(fd, 13);
	read_answers(fd, 13);
	close(fd);
}

static void libc(void)
{
	struct if_nameindex *ni = if_nameindex(), *k;
	struct ifaddrs *ifs, *i;
	int lo = 0, v4 = 0, v6 = 0;

	for (k = ni; k && k->if_index; k++)
		if (!strcmp(k->if_name, "lo"))
			lo = (int)k->if_index;
	printf("if_nameindex lo: %d\n", lo);
	if_freenameindex(ni);
	SHOW("getifaddrs", getifaddrs(&ifs));
	for (i = ifs; i; i = i->ifa_next) {
		if (strcmp(i->ifa_name, "lo") || !i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr ==
			     htonl(INADDR_LOOPBACK);
		if (i->ifa_addr->sa_family == AF_INET6)
			v6 = IN6_IS_ADDR_LOOPBACK(
				&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr);
	}
	printf("getifaddrs lo: inet %d inet6 %d\n", v4, v6);
	freeifaddrs(ifs);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	sockets();
	dumps();
	libc();
	return 0;
}
#endif
