/* Loopback IPv6: bind (::1, ::, a mapped IPv4 address, an address not
 * on lo: EADDRNOTAVAIL), names as sockaddr_in6, TCP over ::1, IPv4
 * clients of a dual-stack listener (::ffff:127.0.0.1) and of a v6-only
 * one (refused), the port conflicts between :: and 0.0.0.0 with and
 * without IPV6_V6ONLY, IPV6_V6ONLY after bind (EINVAL), UDP between
 * IPv6 and IPv4 sockets with mapped source addresses, and the IPv6
 * options kept. */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdlib.h>

#include "abi_inet.h"

static int bind6(int fd, const char *ip, int port)
{
	struct sockaddr_in6 a = abi_in6(ip, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static int bind4(int fd, const char *ip, int port)
{
	struct sockaddr_in a = abi_in4(ip, port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static void binding(void)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0), one = 1, port;
	struct sockaddr_in four = abi_in4("127.0.0.1", 0);
	int v4, v6;

	abi_show_opt("SO_DOMAIN", fd, SOL_SOCKET, SO_DOMAIN);
	abi_show_opt("IPV6_V6ONLY default", fd, IPPROTO_IPV6, IPV6_V6ONLY);
	abi_show_opt("IPV6_UNICAST_HOPS", fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
	abi_show_opt("IPV6_TCLASS", fd, IPPROTO_IPV6, IPV6_TCLASS);
	abi_show_name("fresh name", fd, 0, 0);
	SHOW("bind 2001:db8::1", bind6(fd, "2001:db8::1", 0));
	SHOW("bind ::2", bind6(fd, "::2", 0));
	SHOW("bind an AF_INET address", bind(fd, (struct sockaddr *)&four,
					     sizeof(four)));
	SHOW("bind short", bind(fd, (struct sockaddr *)&four, sizeof(four)));
	SHOW("bind ::1", bind6(fd, "::1", 0));
	abi_show_name("bound name", fd, 0, 0);
	SHOW("IPV6_V6ONLY after bind",
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)));
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	SHOW("bind mapped", bind6(fd, "::ffff:127.0.0.1", 0));
	abi_show_name("mapped name", fd, 0, 0);
	close(fd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	SHOW("bind mapped v6only", bind6(fd, "::ffff:127.0.0.1", 0));
	close(fd);
	/* :: takes IPv4 too unless v6-only. */
	port = abi_free_port(AF_INET6, SOCK_STREAM);
	v6 = socket(AF_INET6, SOCK_STREAM, 0);
	v4 = socket(AF_INET, SOCK_STREAM, 0);
	SHOW("bind ::", bind6(v6, "::", port));
	SHOW("bind 0.0.0.0 same port", bind4(v4, "0.0.0.0", port));
	SHOW("bind 127.0.0.1 same port", bind4(v4, "127.0.0.1", port));
	close(v6);
	close(v4);
	v6 = socket(AF_INET6, SOCK_STREAM, 0);
	v4 = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(v6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	SHOW("bind :: v6only", bind6(v6, "::", port));
	SHOW("bind 0.0.0.0 beside v6only", bind4(v4, "0.0.0.0", port));
	close(v6);
	close(v4);
}

static void tcp(void)
{
	int l = abi_listener(AF_INET6, "::1"), port = abi_local_port(l);
	struct sockaddr_in6 to = abi_in6("::1", port);
	struct sockaddr_in to4;
	int c = socket(AF_INET6, SOCK_STREAM, 0), s, one = 1;
	char buf[16] = "";

	SHOW("connect ::1", connect(c, (struct sockaddr *)&to, sizeof(to)));
	s = accept(l, NULL, NULL);
	abi_show_name("client name", c, 0, 0);
	abi_show_name("server peer", s, 1, abi_local_port(c));
	write(c, "six", 3);
	SHOW("read", read(s, buf, sizeof(buf)));
	printf("data: %s\n", buf);
	close(c);
	close(s);
	/* An IPv4 client can not reach a listener on ::1. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	to4 = abi_in4("127.0.0.1", port);
	SHOW("v4 to ::1 listener", connect(c, (struct sockaddr *)&to4,
					   sizeof(to4)));
	close(c);
	close(l);
	/* ... but it reaches a dual-stack one on ::. */
	l = abi_listener(AF_INET6, "::");
	port = abi_local_port(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	to4 = abi_in4("127.0.0.1", port);
	SHOW("v4 to :: listener", connect(c, (struct sockaddr *)&to4,
					  sizeof(to4)));
	s = accept(l, NULL, NULL);
	abi_show_name("server name", s, 0, port);
	abi_show_name("server peer", s, 1, abi_local_port(c));
	abi_show_name("client peer", c, 1, port);
	close(c);
	close(s);
	/* A v6 socket connecting to a mapped address. */
	c = socket(AF_INET6, SOCK_STREAM, 0);
	to = abi_in6("::ffff:127.0.0.1", port);
	SHOW("mapped connect", connect(c, (struct sockaddr *)&to, sizeof(to)));
	abi_show_name("mapped client name", c, 0, 0);
	close(accept(l, NULL, NULL));
	close(c);
	close(l);
	/* A v6-only listener refuses IPv4. */
	l = socket(AF_INET6, SOCK_STREAM, 0);
	setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	bind6(l, "::", 0);
	listen(l, 1);
	c = socket(AF_INET, SOCK_STREAM, 0);
	to4 = abi_in4("127.0.0.1", abi_local_port(l));
	SHOW("v4 to v6only listener", connect(c, (struct sockaddr *)&to4,
					      sizeof(to4)));
	close(c);
	close(l);
}

static void udp(void)
{
	int six = socket(AF_INET6, SOCK_DGRAM, 0);
	int four = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct sockaddr_in to4;
	struct sockaddr_in6 to6;
	char buf[16] = "";

	bind6(six, "::", 0);
	bind4(four, "127.0.0.1", 0);
	to4 = abi_in4("127.0.0.1", abi_local_port(six));
	SHOW("v4 to dual-stack", sendto(four, "hi6", 3, 0,
					(struct sockaddr *)&to4, sizeof(to4)));
	SHOW("recvfrom", recvfrom(six, buf, sizeof(buf), 0,
				  (struct sockaddr *)&ss, &len));
	abi_show_addr("from", &ss, len, abi_local_port(four));
	to6 = abi_in6("::ffff:127.0.0.1", abi_local_port(four));
	SHOW("v6 to mapped", sendto(six, "hi4", 3, 0, (struct sockaddr *)&to6,
				    sizeof(to6)));
	len = sizeof(ss);
	SHOW("recvfrom v4", recvfrom(four, buf, sizeof(buf), 0,
				     (struct sockaddr *)&ss, &len));
	abi_show_addr("from", &ss, len, abi_local_port(six));
	to6 = abi_in6("::1", abi_local_port(six));
	SHOW("v6 to self", sendto(six, "me", 2, 0, (struct sockaddr *)&to6,
				  sizeof(to6)));
	len = sizeof(ss);
	SHOW("recvfrom self", recvfrom(six, buf, sizeof(buf), 0,
				       (struct sockaddr *)&ss, &len));
	abi_show_addr("from", &ss, len, abi_local_port(six));
	close(six);
	close(four);
}

int main(void)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	binding();
	tcp();
	udp();
	return 0;
}
