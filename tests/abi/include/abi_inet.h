/*
 * What the loopback inet ABI tests (tests/abi/inet_*.c) share: making
 * IPv4 and IPv6 addresses, printing an address without its port number
 * (ephemeral ports differ between runs: only whether one is in Linux's
 * ephemeral range is printed), and a listener on 127.0.0.1 with a port
 * of its own.
 */
#ifndef ABI_INET_H
#define ABI_INET_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "abi.h"

static inline struct sockaddr_in abi_in4(const char *ip, int port)
{
	struct sockaddr_in a;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static inline struct sockaddr_in6 abi_in6(const char *ip, int port)
{
	struct sockaddr_in6 a;

	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((unsigned short)port);
	inet_pton(AF_INET6, ip, &a.sin6_addr);
	return a;
}

/* The port of an address of either family. */
static inline int abi_port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* Prints `label: family ADDR port P` with P as `eph` when in the
 * ephemeral range, `0`, or `other`; with want (not 0) as `same` when it
 * is want. */
static inline void abi_show_addr(const char *label,
				 const struct sockaddr_storage *ss,
				 socklen_t len, int want)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	int port = abi_port_of(ss);
	const char *p = port == 0 ? "0" :
			port == want ? "same" :
			port >= 32768 && port <= 60999 ? "eph" : "other";

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr,
			  ip, sizeof(ip));
	else if (ss->ss_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)ss)->sin6_addr, ip,
			  sizeof(ip));
	printf("%s: %s %s port %s len %u\n", label,
	       ss->ss_family == AF_INET ? "inet" :
	       ss->ss_family == AF_INET6 ? "inet6" : "other",
	       ip, p, (unsigned)len);
}

/* getsockname (peer: getpeername) of fd, printed as abi_show_addr. */
static inline void abi_show_name(const char *label, int fd, int peer,
				 int want)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int r;

	memset(&ss, 0, sizeof(ss));
	r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
		 : getsockname(fd, (struct sockaddr *)&ss, &len);
	if (r)
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		abi_show_addr(label, &ss, len, want);
}

/* The port fd is bound to. */
static inline int abi_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	memset(&ss, 0, sizeof(ss));
	getsockname(fd, (struct sockaddr *)&ss, &len);
	return abi_port_of(&ss);
}

/* A TCP listener of family on ip with an ephemeral port. */
static inline int abi_listener(int family, const char *ip)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (family == AF_INET) {
		struct sockaddr_in a = abi_in4(ip, 0);

		bind(fd, (struct sockaddr *)&a, sizeof(a));
	} else {
		struct sockaddr_in6 a = abi_in6(ip, 0);

		bind(fd, (struct sockaddr *)&a, sizeof(a));
	}
	listen(fd, 16);
	return fd;
}

/* A port nobody has now: one bound and let go. */
static inline int abi_free_port(int family, int type)
{
	int fd = socket(family, type, 0);
	int port;

	if (family == AF_INET) {
		struct sockaddr_in a = abi_in4("127.0.0.1", 0);

		bind(fd, (struct sockaddr *)&a, sizeof(a));
	} else {
		struct sockaddr_in6 a = abi_in6("::1", 0);

		bind(fd, (struct sockaddr *)&a, sizeof(a));
	}
	port = abi_local_port(fd);
	close(fd);
	return port;
}

/* Prints `label: int` for getsockopt(fd, level, name) or its errno. */
static inline void abi_show_opt(const char *label, int fd, int level,
				int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, level, name, &v, &len))
		printf("%s: -1 %s\n", label, abi_errname(errno));
	else
		printf("%s: %d (len %u)\n", label, v, (unsigned)len);
}

#endif
