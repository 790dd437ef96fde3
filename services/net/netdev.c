/*
 * The network interfaces as the interface ioctls show them: Keel has one,
 * the loopback `lo` (index 1, up, 127.0.0.1/8, MTU 65536), as Linux's
 * dev_ioctl and devinet_ioctl answer for it: SIOCGIFCONF (the IPv4
 * addresses, with a NULL buffer the length needed), SIOCGIFFLAGS,
 * SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFMTU, SIOCGIFHWADDR, and on an inet
 * socket SIOCGIFADDR and SIOCGIFNETMASK. Another name is -ENODEV.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include "inet_abi.h"

#include "net_internal.h"

#define LO_INDEX 1
#define LO_MTU 65536
#define LO_FLAGS (IFF_UP | IFF_LOOPBACK | IFF_RUNNING)
#define ARPHRD_LOOPBACK 772

static const char lo_name[IFNAMSIZ] = "lo";

/* An IPv4 sockaddr of address v4 (host order). */
static struct linux_sockaddr_in v4_addr(uint32_t v4)
{
	struct linux_sockaddr_in sin;
	uint8_t b[4] = { (uint8_t)(v4 >> 24), (uint8_t)(v4 >> 16),
			 (uint8_t)(v4 >> 8), (uint8_t)v4 };

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	memcpy(&sin.sin_addr, b, sizeof(b));
	return sin;
}

/* SIOCGIFCONF: lo's address into the user's buffer, as far as whole
 * ifreqs fit; len gets the bytes written (or needed). */
static long get_conf(uptr_t arg)
{
	struct linux_ifconf conf;
	struct linux_ifreq r;

	if (copy_from_user(&conf, arg, sizeof(conf)))
		return -EFAULT;
	if (conf.buf && conf.len < 0)
		return -EINVAL;
	if (!conf.buf) {
		conf.len = sizeof(r);
	} else if ((size_t)conf.len >= sizeof(r)) {
		memset(&r, 0, sizeof(r));
		memcpy(r.name, lo_name, sizeof(lo_name));
		r.u.addr = v4_addr(0x7f000001);
		if (copy_to_user(uptr(conf.buf), &r, sizeof(r)))
			return -EFAULT;
		conf.len = sizeof(r);
	} else {
		conf.len = 0;
	}
	return copy_to_user(arg, &conf, sizeof(conf));
}

/* Fills r's answer to cmd for lo; -ENOIOCTLCMD for another cmd. */
static long answer(unsigned int cmd, struct linux_ifreq *r, bool inet)
{
	switch (cmd) {
	case SIOCGIFFLAGS:
		r->u.flags = LO_FLAGS;
		return 0;
	case SIOCGIFINDEX:
		r->u.ivalue = LO_INDEX;
		return 0;
	case SIOCGIFMTU:
		r->u.ivalue = LO_MTU;
		return 0;
	case SIOCGIFHWADDR:
		memset(&r->u.hwaddr, 0, sizeof(r->u.hwaddr));
		r->u.hwaddr.sa_family = ARPHRD_LOOPBACK;
		return 0;
	case SIOCGIFADDR:
	case SIOCGIFNETMASK:
		if (!inet)
			return -ENOTTY;
		r->u.addr = v4_addr(cmd == SIOCGIFADDR ? 0x7f000001
						       : 0xff000000);
		return 0;
	default:
		return -ENOIOCTLCMD;
	}
}

long netdev_ioctl(unsigned int cmd, uptr_t arg, bool inet)
{
	struct linux_ifreq r;
	long err;

	if (cmd == SIOCGIFCONF)
		return get_conf(arg);
	if (cmd != SIOCGIFNAME && answer(cmd, &r, inet) == -ENOIOCTLCMD)
		return -ENOIOCTLCMD;
	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (cmd == SIOCGIFNAME) {
		if (r.u.ivalue != LO_INDEX)
			return -ENODEV;
		memcpy(r.name, lo_name, sizeof(lo_name));
	} else {
		r.name[IFNAMSIZ - 1] = 0;
		if (kstrcmp(r.name, lo_name))
			return -ENODEV;
		err = answer(cmd, &r, inet);
		if (err)
			return err;
	}
	return copy_to_user(arg, &r, sizeof(r));
}
