/*
 * Unix domain sockets (services/net/unix/): what the files share.
 *
 * A socket's state is a struct unix_sock (socket->sk). Messages go
 * straight into the receiver's queue (msgq.c): a send copies the user's
 * data into a struct unix_msg charged to the sender (its wmem, bounded by
 * its SO_SNDBUF) and appends it to the peer's queue; a receive copies out
 * and frees what it consumed, uncharging the sender. A stream connection
 * is two sockets that point at each other (peer); connect makes the
 * server's end (an embryo) at once and queues it on the listener until
 * accept takes it, as Linux does.
 *
 * Locking: one mutex (unix_lock) guards every unix socket's state, the
 * queues and the table of bound names; user memory is copied under it
 * (as a pipe copies under its mutex), never a VFS or epoll lock is taken
 * under it (lock order: vfs_lock, epoll_mutex, unix_lock, wait queues).
 * A sleeper never holds it: it notes the socket's change counter (seq)
 * under the lock and sleeps until the counter moves (unix_wait).
 */
#ifndef UNIX_INTERNAL_H
#define UNIX_INTERNAL_H

#include <keel/list.h>
#include <keel/sync.h>
#include <uapi/socket.h>

#include "../net_internal.h"

#define UNIX_RCV_SHUTDOWN 1
#define UNIX_SEND_SHUTDOWN 2
#define UNIX_SHUTDOWN_MASK 3

/* Linux's defaults: net.core.wmem_default/rmem_default, wmem_max, the
 * minimum sizes, net.unix.max_dgram_qlen, and the per-message overhead
 * charged to the sender (a part of an skb's truesize). */
#define UNIX_BUF_DEFAULT 212992u
#define UNIX_BUF_MAX 212992u
#define UNIX_SNDBUF_MIN 4608u
#define UNIX_RCVBUF_MIN 2304u
#define UNIX_DGRAM_QLEN 10u
#define UNIX_MSG_OVERHEAD 256u

/* A bound name: the sockaddr_un bytes as bind gave them (path: cut at
 * its NUL; abstract: all addrlen bytes) and their length. */
struct unix_addr {
	uint32_t len; /* 0: not bound */
	uint8_t bytes[sizeof(struct linux_sockaddr_un) + 1];
};

/* One message in a receive queue. */
struct unix_msg {
	struct list_head link;
	struct unix_sock *sender; /* charged `charge` bytes; referenced */
	size_t charge;
	struct sock_scm scm;    /* the sender's creds, fds passed */
	struct unix_addr from;  /* datagrams: the sender's name */
	size_t len, off;        /* data bytes, bytes already read */
	uint8_t data[];
};

/* A receive queue (for a listener: its embryos are elsewhere). */
struct msgq {
	struct list_head msgs;
	size_t bytes;  /* unread data bytes */
	unsigned count;
};

enum unix_state { UNIX_UNCONNECTED, UNIX_LISTEN, UNIX_CONNECTED };

struct unix_sock {
	struct socket *sock;   /* NULL while an embryo, and once released */
	int type;
	enum unix_state state;
	unsigned refs;         /* the socket, peers, messages, listener */
	bool dead;             /* released */
	struct unix_sock *peer; /* connected peer (referenced) */
	struct msgq rcvq;
	/* Listeners: the connections not yet accepted. */
	struct list_head pending;
	unsigned npending, backlog;
	/* An embryo: its link on the listener's pending list. */
	struct list_head pending_link;
	unsigned shutdown;  /* UNIX_*_SHUTDOWN */
	int err;            /* SO_ERROR, taken once */
	size_t wmem;        /* bytes of its messages not yet read */
	uint32_t sndbuf, rcvbuf;
	bool passcred;
	struct unix_addr addr;
	struct inode *inode;        /* a path name's socket inode */
	struct list_head bound_link; /* in the table of names */
	bool has_peercred;
	struct linux_ucred peercred; /* SO_PEERCRED */
	/* Loopback TCP (services/net/inet/): the peer's close ends only
	 * this socket's reading side, as a FIN does, unless it left data
	 * unread (then both sides and ECONNRESET, as an RST). */
	bool fin_on_close;
	unsigned seq;               /* bumped at every change */
	struct waitq wq;            /* readers, writers, polls */
};

/* ---- unix_sock.c ---------------------------------------------------- */

/* Sets up the lock and the global queue (boot; the unit tests call it
 * themselves). Idempotent. */
int unix_service_init(void);

void unix_lock(void);
void unix_unlock(void);
/* A message of the next len bytes of m's data (len set): 0, -ENOMEM, or
 * -EFAULT when they cannot all be read. */
int unix_msg_from_user(struct sock_msg *m, size_t len, struct unix_msg **out);
/* A new socket state of type (one reference). */
struct unix_sock *unix_sock_new(int type);
/* unix_sock_new's set-up of zeroed memory at u, for a family that embeds
 * a struct unix_sock at the start of its own state (inet): it is freed
 * with kfree(u) by the last unix_sock_put. */
void unix_sock_init(struct unix_sock *u, int type);
void unix_sock_get(struct unix_sock *u);
/* Drops a reference (unix_lock held); the last frees u. */
void unix_sock_put(struct unix_sock *u);
/* Records a change of u (seq) and wakes its queue with key (POLL*). */
void unix_changed(struct unix_sock *u, unsigned long key);
/* unix_changed for data queued to u by a sender, with POLLIN: a sync
 * wake-up (waitq_wake_sync), because the sender usually waits for the
 * answer next, as Linux's sock_def_readable. */
void unix_data_ready(struct unix_sock *u);
/* Sleeps until *seq moves from seen (unix_lock not held) or the
 * monotonic deadline (WAIT_FOREVER: none; SO_RCVTIMEO/SO_SNDTIMEO):
 * 0, -EAGAIN at the deadline, -ERESTARTSYS (-EINTR for a timed wait)
 * when a signal came. */
int unix_wait(struct waitq *wq, const unsigned *seq, unsigned seen,
	      uint64_t deadline);
/* MSG_PEEK hands out copies of the fds it sees, which takes vfs_lock
 * (file references), and vfs_lock comes before unix_lock: a peek that
 * found data takes it with unix_peek_lock (true: both locks were dropped
 * meanwhile, look again) and gives it up before any sleep and at the end
 * with unix_peek_unlock (unix_lock not held then). */
bool unix_peek_lock(bool *vfs_held);
void unix_peek_unlock(bool *vfs_held);
/* Copies of from's fds into to (vfs_lock held): references taken; none
 * when out of memory. */
void unix_dup_fds(const struct sock_scm *from, struct sock_scm *to);
/* The global change count and queue of datagram queues that got room. */
extern unsigned unix_dgram_space_seq;
extern struct waitq unix_dgram_space;
/* Connects a and b to each other (both unconnected). */
void unix_pair(struct unix_sock *a, struct unix_sock *b);
/* The credentials the caller's process gives SO_PEERCRED. */
struct linux_ucred unix_peercred_self(void);
/* The fds and sender references of freed messages go here, to be
 * dropped once unix_lock is released (unix_msgs_free). */
void unix_msg_discard(struct unix_msg *m, struct list_head *freed);
void unix_msgs_free(struct list_head *freed, bool vfs_locked);

/* ---- msgq.c: the queue, plain logic --------------------------------- */

void msgq_init(struct msgq *q);
/* A message with room for len data bytes (len and off 0), or NULL. */
struct unix_msg *unix_msg_alloc(size_t len);
void msgq_push(struct msgq *q, struct unix_msg *m);
struct unix_msg *msgq_head(struct msgq *q);
/* Takes the head message off the queue. */
struct unix_msg *msgq_pop(struct msgq *q);
/* Moves every message to list (for freeing). */
void msgq_drain(struct msgq *q, struct list_head *list);

/* How a stream read copies: fn(arg, src, n) returns bytes copied or a
 * negative errno. */
typedef ssize_t (*msgq_copy_fn)(void *arg, const void *src, size_t n);

/* A stream read's findings, kept across the calls of one receive:
 * the creds and name of the first message read, the message whose fds
 * the read takes (valid while unix_lock is held: on the queue or on
 * done), and whether a boundary (fds, other creds) ended the read. */
struct msgq_read {
	bool has_first;
	struct linux_ucred creds;
	struct unix_addr from;
	struct unix_msg *fds;
	bool stopped;
};

/*
 * A stream read of up to len bytes from the queue's head: across
 * messages, but never past a message that carried fds, nor into one
 * whose creds differ from the first's when check_creds (SO_PASSCRED),
 * as Linux's unix_stream_read_generic. Without peek the bytes are
 * consumed and fully read messages move to done. Returns the bytes
 * copied (0: nothing there), or the copy's error if none were.
 */
ssize_t msgq_read_stream(struct msgq *q, size_t len, bool peek,
			 bool check_creds, msgq_copy_fn fn, void *arg,
			 struct list_head *done, struct msgq_read *r);

/* ---- unix_addr.c ---------------------------------------------------- */

/* Checks and normalises a sockaddr_un of len bytes at addr into *out
 * (path cut at the NUL); -EINVAL. */
int unix_addr_parse(const void *addr, size_t len, struct unix_addr *out);
/* bind's work for u (unix_lock not held; takes vfs_lock for a path). */
int unix_bind(struct unix_sock *u, const struct unix_addr *a);
/* Gives u an abstract name of its own ("\0" and 5 hex digits). */
int unix_autobind(struct unix_sock *u);
/* The socket bound to a, referenced, or -ECONNREFUSED / the path
 * walk's errno / -EACCES / -EPROTOTYPE (another type). unix_lock not
 * held. */
int unix_find(const struct unix_addr *a, int type, struct unix_sock **out);
/* Takes u's name out of the table (unix_lock held); its inode is
 * returned for the caller to put (with vfs_lock), or NULL. */
struct inode *unix_unbind(struct unix_sock *u);

/* ---- unix_stream.c, unix_dgram.c ------------------------------------ */

extern const struct sock_ops unix_stream_ops;
extern const struct sock_ops unix_dgram_ops;
extern const struct sock_ops unix_seqpacket_ops;

/* What the three ops tables share (unix_sock.c, unix_conn.c). */
void unix_release(struct socket *s);
int unix_sock_bind(struct socket *s, const void *addr, size_t len);
int unix_getname(struct socket *s, void *addr, size_t *len, bool peer);
int unix_shutdown(struct socket *s, int how);
int unix_setsockopt(struct socket *s, int name, const void *val,
		    size_t len);
int unix_getsockopt(struct socket *s, int name, void *val, size_t *len);
int unix_socketpair(struct socket *a, struct socket *b);
long unix_ioctl(struct socket *s, unsigned int cmd, int *val);
int unix_listen(struct socket *s, int backlog);
int unix_stream_connect(struct socket *s, const void *addr, size_t len,
			bool nonblock);
int unix_accept(struct socket *s, struct socket *n, bool nonblock);
/* stream and seqpacket poll (connection-oriented); datagram poll. */
uint32_t unix_stream_poll(struct socket *s, struct poll_table *pt);
uint32_t unix_dgram_poll(struct socket *s, struct poll_table *pt);
/* seqpacket send and receive (unix_dgram.c's record paths). */
ssize_t unix_seqpacket_sendmsg(struct socket *s, struct sock_msg *m);
ssize_t unix_seqpacket_recvmsg(struct socket *s, struct sock_msg *m);
/* A record receive from u's queue (datagram, seqpacket). */
ssize_t unix_record_recv(struct unix_sock *u, struct sock_msg *m);
/* Moves the sender's scm (creds, fds) into a new message. */
void unix_msg_fill_scm(struct unix_msg *msg, struct sock_msg *m);

#endif
