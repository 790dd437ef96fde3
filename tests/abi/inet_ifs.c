/* The interfaces programs ask about, on inet and unix sockets: lo's
 * flags, index, MTU and address by ioctl (SIOCGIFFLAGS, SIOCGIFINDEX,
 * SIOCGIFNAME, SIOCGIFMTU, SIOCGIFADDR, SIOCGIFNETMASK), SIOCGIFCONF
 * (the length wanted, lo among the answers), an unknown name (ENODEV),
 * and libc's if_nametoindex / if_indextoname. Other interfaces the host
 * may have are not printed. */
#define _GNU_SOURCE
#include <net/if.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "abi_inet.h"

static void ask(const char *label, int fd, unsigned long cmd,
		const char *name, struct ifreq *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->ifr_name, sizeof(r->ifr_name), "%s", name);
	if (ioctl(fd, cmd, r))
		printf("%s: -1 %s\n", label, abi_errname(errno));
}

static void per_socket(const char *what, int fd)
{
	struct ifreq r;
	char ip[INET_ADDRSTRLEN];

	printf("-- %s\n", what);
	ask("SIOCGIFFLAGS", fd, SIOCGIFFLAGS, "lo", &r);
	printf("flags: up %d loopback %d running %d\n",
	       !!(r.ifr_flags & IFF_UP), !!(r.ifr_flags & IFF_LOOPBACK),
	       !!(r.ifr_flags & IFF_RUNNING));
	ask("SIOCGIFINDEX", fd, SIOCGIFINDEX, "lo", &r);
	printf("index: %d\n", r.ifr_ifindex);
	ask("SIOCGIFMTU", fd, SIOCGIFMTU, "lo", &r);
	printf("mtu: %d\n", r.ifr_mtu);
	memset(&r, 0, sizeof(r));
	r.ifr_ifindex = 1;
	SHOW("SIOCGIFNAME 1", ioctl(fd, SIOCGIFNAME, &r));
	printf("name: %s\n", r.ifr_name);
	ask("SIOCGIFADDR", fd, SIOCGIFADDR, "lo", &r);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_addr)->sin_addr, ip,
		  sizeof(ip));
	printf("addr: family %d %s\n", r.ifr_addr.sa_family, ip);
	ask("SIOCGIFNETMASK", fd, SIOCGIFNETMASK, "lo", &r);
	inet_ntop(AF_INET, &((struct sockaddr_in *)&r.ifr_netmask)->sin_addr,
		  ip, sizeof(ip));
	printf("netmask: %s\n", ip);
	ask("SIOCGIFFLAGS nosuch0", fd, SIOCGIFFLAGS, "nosuch0", &r);
}

static void conf(int fd)
{
	struct ifconf c = { .ifc_len = 0, .ifc_buf = NULL };
	struct ifreq reqs[16];
	int found = 0;

	SHOW("SIOCGIFCONF length", ioctl(fd, SIOCGIFCONF, &c));
	abi_yes("some ifreqs wanted",
		c.ifc_len >= (int)sizeof(struct ifreq) &&
			c.ifc_len % (int)sizeof(struct ifreq) == 0);
	c.ifc_len = sizeof(reqs);
	c.ifc_req = reqs;
	SHOW("SIOCGIFCONF", ioctl(fd, SIOCGIFCONF, &c));
	for (int k = 0; k < c.ifc_len / (int)sizeof(struct ifreq); k++) {
		struct sockaddr_in *a = (struct sockaddr_in *)&reqs[k].ifr_addr;

		if (!strcmp(reqs[k].ifr_name, "lo") &&
		    a->sin_family == AF_INET &&
		    a->sin_addr.s_addr == htonl(INADDR_LOOPBACK))
			found = 1;
	}
	abi_yes("lo 127.0.0.1 listed", found);
	c.ifc_len = 10; /* no whole ifreq */
	SHOW("SIOCGIFCONF small", ioctl(fd, SIOCGIFCONF, &c));
	printf("small len: %d\n", c.ifc_len);
}

int main(void)
{
	int in = socket(AF_INET, SOCK_DGRAM, 0);
	int in6 = socket(AF_INET6, SOCK_STREAM, 0);
	int un = socket(AF_UNIX, SOCK_DGRAM, 0);
	char name[IF_NAMESIZE] = "";

	setvbuf(stdout, NULL, _IONBF, 0);
	per_socket("inet", in);
	per_socket("inet6", in6);
	per_socket("unix", un);
	conf(in);
	SHOW("if_nametoindex lo", if_nametoindex("lo"));
	SHOW("if_nametoindex nosuch0", if_nametoindex("nosuch0"));
	printf("if_indextoname 1: %s\n",
	       if_indextoname(1, name) ? name : "NULL");
	return 0;
}
