/*
 * The socket layer (services/net/): what every address family shares.
 *
 *   struct socket   one socket file's object (file->priv): its type, its
 *                   family's ops and the family's own state (sk).
 *   struct sock_msg one send or receive as a family sees it: the user's
 *                   buffers (a cursor over an iovec array), flags, the
 *                   peer address, and the ancillary data (fds, creds).
 *
 * The system calls (sys_socket.c, sys_sockopt.c, sys_msg.c) decode their
 * arguments, copy addresses and control messages in and out (scm.c) and
 * call the family's ops; socket.c makes socket files (an S_IFSOCK inode
 * on sockfs) whose read/write/poll go to the same ops. The families:
 * AF_UNIX (unix/), AF_INET and AF_INET6 on loopback (inet/, built on
 * unix/'s queues); the others are -EAFNOSUPPORT. netdev.c answers the
 * interface ioctls (SIOCGIF*) for the one interface, lo.
 */
#ifndef NET_INTERNAL_H
#define NET_INTERNAL_H

#include <keel/types.h>
#include <svc/poll.h>
#include <svc/vfs.h>
#include <uapi/uio.h>

#include "net_abi.h"

struct proc;
struct socket;

/* The largest address any family takes (struct sockaddr_storage). */
#define SOCK_ADDR_MAX 128

/* A cursor over the user's buffers: an iovec array copied in (at most
 * UIO_MAXIOV entries), or one buffer. */
struct sock_iter {
	struct linux_iovec *iov; /* kernel copy */
	unsigned nr, idx;        /* entries, the current one */
	size_t off;              /* into iov[idx] */
	size_t left;             /* bytes still to move in all */
	struct linux_iovec one;  /* iov for a single buffer */
	bool owned;              /* iov was allocated (sock_iter_done) */
};

/* Ancillary data: what a send carries (parsed from its control
 * messages) or what a receive hands out. */
struct sock_scm {
	struct file **fds; /* references held; kfree'd array */
	unsigned nfds;
	bool has_creds;    /* creds is set */
	struct linux_ucred creds;
};

struct sock_msg {
	struct sock_iter it;
	int flags;     /* MSG_* of the call */
	bool nonblock; /* O_NONBLOCK on the file, or MSG_DONTWAIT */
	uint64_t deadline; /* of a blocked wait (SO_RCVTIMEO/SO_SNDTIMEO) */
	/* send: the destination given (addrlen 0: none);
	 * receive: the source address the family fills (0: none). */
	uint8_t addr[SOCK_ADDR_MAX];
	size_t addrlen;
	struct sock_scm scm;
	int out_flags; /* receive: MSG_TRUNC, MSG_CTRUNC, MSG_EOR */
};

/* What a family does. Each returns 0 / a count or -errno. */
struct sock_ops {
	/* The file's last reference went (vfs_lock held). */
	void (*release)(struct socket *s);
	int (*bind)(struct socket *s, const void *addr, size_t len);
	int (*connect)(struct socket *s, const void *addr, size_t len,
		       bool nonblock);
	int (*listen)(struct socket *s, int backlog);
	/* Takes a connection of listener s into the new socket n. */
	int (*accept)(struct socket *s, struct socket *n, bool nonblock);
	/* Writes s's address (peer: its peer's) to addr (SOCK_ADDR_MAX
	 * bytes), its length to *len. */
	int (*getname)(struct socket *s, void *addr, size_t *len, bool peer);
	int (*shutdown)(struct socket *s, int how);
	ssize_t (*sendmsg)(struct socket *s, struct sock_msg *m);
	ssize_t (*recvmsg)(struct socket *s, struct sock_msg *m);
	uint32_t (*poll)(struct socket *s, struct poll_table *pt);
	/* Options at level SOL_SOCKET; val is the kernel copy. */
	int (*setsockopt)(struct socket *s, int name, const void *val,
			  size_t len);
	/* *len in: room at val (>= 4), out: the value's size. */
	int (*getsockopt)(struct socket *s, int name, void *val, size_t *len);
	/* Options of other levels (IPPROTO_TCP ...); NULL: the family
	 * has none (-EOPNOTSUPP). */
	int (*setsockopt_level)(struct socket *s, int level, int name,
				const void *val, size_t len);
	int (*getsockopt_level)(struct socket *s, int level, int name,
				void *val, size_t *len);
	/* socketpair: connects two new sockets of the family. */
	int (*pair)(struct socket *a, struct socket *b);
	/* FIONREAD / SIOCINQ and SIOCOUTQ; -ENOIOCTLCMD otherwise. */
	long (*ioctl)(struct socket *s, unsigned int cmd, int *val);
};

struct socket {
	int family;
	int type;     /* SOCK_STREAM ... */
	int protocol;
	const struct sock_ops *ops;
	void *sk;          /* the family's */
	struct file *file; /* its file (no reference) */
	uint32_t bool_opts; /* SOL_SOCKET booleans (sys_sockopt.c) */
	/* SO_RCVTIMEO, SO_SNDTIMEO in ns (SOCK_TIMEO_NONE: none). */
	uint64_t rcvtimeo, sndtimeo;
};

/* ---- socket.c ------------------------------------------------------- */

/* The answer of a family without listen, accept or socketpair (Linux's
 * sock_no_*): -EOPNOTSUPP. */
int sock_no_listen(struct socket *s, int backlog);
int sock_no_accept(struct socket *s, struct socket *n, bool nonblock);
int sock_no_pair(struct socket *a, struct socket *b);

#define SOCK_TIMEO_NONE UINT64_MAX

/* The deadline of a wait under timeout (ns; SOCK_TIMEO_NONE: none). */
uint64_t sock_deadline(uint64_t timeo);

/* A new socket of family/type (flags stripped) with the family's state,
 * or -EAFNOSUPPORT, -EPROTONOSUPPORT, -ESOCKTNOSUPPORT, -ENOMEM. */
int sock_create(int family, int type, int protocol, struct socket **out);
/* A new socket like s (family, type, ops) without family state, for
 * accept. */
struct socket *sock_alloc_like(const struct socket *s);
/* Frees a socket that has no file (the family released its state). */
void sock_free(struct socket *s);
/* An open file for s (flags: O_NONBLOCK...) at *out: 0, or -ENFILE
 * (file-max reached) / -ENOMEM with s released and freed. Takes
 * vfs_lock. */
int sock_file(struct socket *s, uint32_t flags, struct file **out);
/* The socket of an open file, or NULL if it is not one. */
struct socket *sock_of(struct file *f);
/* fd's socket with its file referenced (*file, fd_put when done), or
 * -EBADF / -ENOTSOCK. */
int sock_get(struct proc *p, int fd, struct socket **s, struct file **file);
/* Puts a new socket file at the lowest free fd (SOCK_CLOEXEC in flags). */
int sock_install(struct proc *p, struct file *f, int flags);
/* The family's send, with the sender's creds when the message named
 * none (a receiver with SO_PASSCRED is given them). */
ssize_t sock_sendmsg(struct socket *s, struct sock_msg *m);
/* The family's receive, under SO_RCVTIMEO. */
ssize_t sock_recvmsg(struct socket *s, struct sock_msg *m);
/* The SIGPIPE an EPIPE send raises unless MSG_NOSIGNAL. */
void sock_sigpipe(int flags);

/* ---- sys_socket.c -------------------------------------------------- */

/* Linux's move_addr_to_user: klen bytes of kaddr to uaddr cut to the
 * int at ulen, which then gets klen. -EINVAL, -EFAULT. */
int sock_addr_out(const uint8_t *kaddr, size_t klen, uptr_t uaddr,
		  uptr_t ulen);

/* ---- msg_iter.c ----------------------------------------------------- */

/* A cursor over one user buffer. */
void sock_iter_buf(struct sock_iter *it, uptr_t buf, size_t len);
/* A cursor over the user's iovec array; -EINVAL (count, total over
 * MAX_RW_COUNT), -EFAULT, -ENOMEM. */
int sock_iter_iov(struct sock_iter *it, uptr_t iov, uint64_t nr);
void sock_iter_done(struct sock_iter *it);
/* Copies up to n bytes from the user's buffers into dst (send) / from
 * src out to them (receive), moving the cursor: the count, -EFAULT when
 * not even the first byte went. */
ssize_t sock_iter_from_user(struct sock_iter *it, void *dst, size_t n);
ssize_t sock_iter_to_user(struct sock_iter *it, const void *src, size_t n);

/* ---- scm.c ---------------------------------------------------------- */

/* Parses the control messages of a send (kernel copy of len bytes):
 * SCM_RIGHTS fds taken from p, SCM_CREDENTIALS checked against p.
 * -EINVAL, -EBADF, -EPERM, -ENOMEM. */
int scm_parse(struct proc *p, const void *ctl, size_t len,
	      struct sock_scm *scm);
/* Writes scm out as control messages at ctl (room: *len; out: the bytes
 * used): SCM_CREDENTIALS when creds is asked for, SCM_RIGHTS installing
 * the fds in p (MSG_CMSG_CLOEXEC in flags). Sets MSG_CTRUNC in *out_flags
 * when something did not fit (the fds that did not are closed). Consumes
 * scm's fds. -EFAULT. */
int scm_emit(struct proc *p, struct sock_scm *scm, bool creds, uptr_t ctl,
	     size_t *len, int flags, int *out_flags);
/* Drops scm's fds (vfs_locked: the caller holds vfs_lock). */
void scm_release(struct sock_scm *scm, bool vfs_locked);
/* The credentials of process p as SCM_CREDENTIALS and SO_PEERCRED give
 * them. */
struct linux_ucred scm_creds_of(struct proc *p);

/* ---- families ------------------------------------------------------- */

/* AF_UNIX: sets up s (type already checked to be one it has: stream,
 * dgram, seqpacket). -ENOMEM. */
int unix_create(struct socket *s);
/* AF_INET, AF_INET6: checks type and protocol (-ESOCKTNOSUPPORT,
 * -EPROTONOSUPPORT, -EPERM for SOCK_RAW unless root) and sets up s. */
int inet_create(struct socket *s);
/* AF_NETLINK, NETLINK_ROUTE only (-EPROTONOSUPPORT otherwise; types
 * SOCK_RAW and SOCK_DGRAM). */
int netlink_create(struct socket *s);

/* ---- netdev.c -------------------------------------------------------- */

/* The interface ioctls any socket answers for lo (SIOCGIFCONF,
 * SIOCGIFFLAGS, SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFMTU, SIOCGIFHWADDR;
 * an AF_INET socket also SIOCGIFADDR, SIOCGIFNETMASK, as Linux's
 * devinet_ioctl); -ENOIOCTLCMD for another cmd. */
long netdev_ioctl(unsigned int cmd, uptr_t arg, bool inet);

#endif
