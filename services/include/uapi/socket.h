/*
 * The socket constants and structures Linux's UAPI headers export:
 * SOL_SOCKET and the SO_* options (<asm/socket.h>), and the unix socket
 * address (<linux/un.h>). Checked against the toolchain by
 * scripts/check-uapi. The rest of the socket ABI (AF_*, SOCK_*, MSG_*,
 * SCM_*, struct msghdr) is in no UAPI header (libc's <sys/socket.h> has
 * it): services/net/net_abi.h.
 */
#ifndef UAPI_SOCKET_H
#define UAPI_SOCKET_H

#include <stdint.h>

#define SOL_SOCKET 1

#define SO_DEBUG 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_DONTROUTE 5
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_OOBINLINE 10
#define SO_PRIORITY 12
#define SO_LINGER 13
#define SO_REUSEPORT 15
#define SO_PASSCRED 16
#define SO_PEERCRED 17
#define SO_RCVLOWAT 18
#define SO_SNDLOWAT 19
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_ACCEPTCONN 30
#define SO_SNDBUFFORCE 32
#define SO_RCVBUFFORCE 33
#define SO_PROTOCOL 38
#define SO_DOMAIN 39
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67

#define UNIX_PATH_MAX 108

struct linux_sockaddr_un {
	uint16_t sun_family; /* AF_UNIX */
	char sun_path[UNIX_PATH_MAX];
};

#endif
