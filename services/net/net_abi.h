/*
 * The part of the socket ABI that Linux keeps out of its UAPI headers
 * (include/linux/socket.h, include/linux/net.h; libc's <sys/socket.h>
 * repeats it): address families, socket types, message flags, control
 * message types and the message structures with user addresses as 64-bit
 * numbers. tests/unit/test_net_abi.c compares every value with the
 * host's <sys/socket.h>; the tests/abi socket programs use them through
 * both libcs.
 */
#ifndef NET_ABI_H
#define NET_ABI_H

#include <stdint.h>
#include <uapi/fcntl.h>

#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define AF_NETLINK 16
#define AF_PACKET 17
#define AF_MAX 46

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_RDM 4
#define SOCK_SEQPACKET 5
#define SOCK_DCCP 6
#define SOCK_PACKET 10
#define SOCK_TYPE_MASK 0xf
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC O_CLOEXEC

#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_ERRQUEUE 0x2000
#define MSG_NOSIGNAL 0x4000
#define MSG_MORE 0x8000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define SCM_MAX_FD 253 /* fds one SCM_RIGHTS message carries */

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

#define SOMAXCONN 4096

struct linux_msghdr {
	uint64_t msg_name;    /* a user address */
	int32_t msg_namelen;
	uint32_t pad;
	uint64_t msg_iov;     /* struct linux_iovec[] */
	uint64_t msg_iovlen;
	uint64_t msg_control; /* a user address */
	uint64_t msg_controllen;
	uint32_t msg_flags;
	uint32_t pad2;
};

struct linux_mmsghdr {
	struct linux_msghdr msg_hdr;
	uint32_t msg_len;
	uint32_t pad;
};

/* A control message's header; its data follows at CMSG_ALIGN(16). */
struct linux_cmsghdr {
	uint64_t cmsg_len; /* header and data, unaligned */
	int32_t cmsg_level;
	int32_t cmsg_type;
};

#define LINUX_CMSG_ALIGN(len) (((len) + 7) & ~(uint64_t)7)
#define LINUX_CMSG_HDR sizeof(struct linux_cmsghdr)

struct linux_ucred {
	uint32_t pid;
	uint32_t uid;
	uint32_t gid;
};

#endif
