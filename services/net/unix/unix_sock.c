/*
 * Unix socket objects: the lock, the life of a struct unix_sock
 * (references from its socket, its peers, the messages it sent and a
 * listener's pending list), the change counter sleepers wait on, pairs,
 * release (the peer learns of it: POLLHUP, end of file, ECONNRESET when
 * data was left unread), shutdown, names, options and ioctls. The send
 * and receive paths are in unix_stream.c and unix_dgram.c, connections
 * in unix_conn.c, names in unix_addr.c.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <uapi/ioctls.h>

#include "unix_internal.h"

static struct mutex unix_mutex;
unsigned unix_dgram_space_seq;
struct waitq unix_dgram_space;

int unix_service_init(void)
{
	static bool ready;

	if (!ready) {
		mutex_init(&unix_mutex, "unix");
		waitq_init(&unix_dgram_space, "unix dgram space");
		ready = true;
	}
	return 0;
}
SERVICE_INIT(unix, SVC_LEVEL_EARLY, unix_service_init);

/* Skipped without a current task (the unit tests), as vfs_lock. */
void unix_lock(void)
{
	if (task_current())
		mutex_lock(&unix_mutex);
}

void unix_unlock(void)
{
	if (task_current())
		mutex_unlock(&unix_mutex);
}

bool unix_peek_lock(bool *vfs_held)
{
	if (*vfs_held)
		return false;
	unix_unlock();
	vfs_lock();
	unix_lock();
	*vfs_held = true;
	return true;
}

void unix_peek_unlock(bool *vfs_held)
{
	if (*vfs_held)
		vfs_unlock();
	*vfs_held = false;
}

void unix_dup_fds(const struct sock_scm *from, struct sock_scm *to)
{
	struct file **fds;

	if (!from->nfds || to->nfds)
		return;
	fds = kcalloc(from->nfds, sizeof(*fds));
	if (!fds)
		return;
	for (unsigned k = 0; k < from->nfds; k++) {
		fds[k] = from->fds[k];
		vfs_file_get(fds[k]);
	}
	to->fds = fds;
	to->nfds = from->nfds;
}

struct unix_sock *unix_sock_new(int type)
{
	struct unix_sock *u = kzalloc(sizeof(*u));

	if (u)
		unix_sock_init(u, type);
	return u;
}

void unix_sock_init(struct unix_sock *u, int type)
{
	u->type = type;
	u->refs = 1;
	msgq_init(&u->rcvq);
	list_init(&u->pending);
	list_init(&u->pending_link);
	list_init(&u->bound_link);
	u->sndbuf = UNIX_BUF_DEFAULT;
	u->rcvbuf = UNIX_BUF_DEFAULT;
	waitq_init(&u->wq, "unix socket");
}

void unix_sock_get(struct unix_sock *u)
{
	u->refs++;
}

void unix_sock_put(struct unix_sock *u)
{
	if (--u->refs)
		return;
	kfree(u);
}

void unix_changed(struct unix_sock *u, unsigned long key)
{
	__atomic_store_n(&u->seq, u->seq + 1, __ATOMIC_RELEASE);
	waitq_wake(&u->wq, UINT32_MAX, key);
}

void unix_data_ready(struct unix_sock *u)
{
	unsigned long key = POLLIN | POLLRDNORM;

	__atomic_store_n(&u->seq, u->seq + 1, __ATOMIC_RELEASE);
	waitq_wake_sync(&u->wq, UINT32_MAX, key);
}

int unix_wait(struct waitq *wq, const unsigned *seq, unsigned seen,
	      uint64_t deadline)
{
	int err = WAITQ_WAIT_EVENT_UNTIL(
		wq, __atomic_load_n(seq, __ATOMIC_ACQUIRE) != seen,
		WAIT_INTERRUPTIBLE, deadline);

	if (err == -ETIMEDOUT)
		return -EAGAIN;
	if (err)
		/* As Linux's sock_intr_errno: a timed wait is not
		 * restarted. */
		return deadline == WAIT_FOREVER ? -ERESTARTSYS : -EINTR;
	return 0;
}

struct linux_ucred unix_peercred_self(void)
{
	struct proc *p = proc_current();
	struct proc_cred c;

	if (!p)
		return (struct linux_ucred){ 0 };
	c = cred_of(p);
	return (struct linux_ucred){ .pid = (uint32_t)p->pid,
				     .uid = c.uid.eff,
				     .gid = c.gid.eff };
}

void unix_pair(struct unix_sock *a, struct unix_sock *b)
{
	unix_sock_get(b);
	a->peer = b;
	unix_sock_get(a);
	b->peer = a;
	a->state = b->state = UNIX_CONNECTED;
}

/* Uncharges the sender and drops the reference (unix_lock held); the
 * message itself (its fds) goes to freed. */
void unix_msg_discard(struct unix_msg *m, struct list_head *freed)
{
	struct unix_sock *s = m->sender;

	if (s) {
		s->wmem -= m->charge;
		unix_changed(s, POLLOUT | POLLWRNORM | POLLWRBAND);
		unix_sock_put(s);
		m->sender = NULL;
	}
	list_add_tail(&m->link, freed);
}

void unix_msgs_free(struct list_head *freed, bool vfs_locked)
{
	while (!list_empty(freed)) {
		struct unix_msg *m =
			list_first_entry(freed, struct unix_msg, link);

		list_del(&m->link);
		scm_release(&m->scm, vfs_locked);
		kfree(m);
	}
}

/* Drops u's queue into freed (unix_lock held). */
static void drop_queue(struct unix_sock *u, struct list_head *freed)
{
	struct unix_msg *m;

	while ((m = msgq_pop(&u->rcvq)))
		unix_msg_discard(m, freed);
}

static void release_sock(struct unix_sock *u, bool embryo,
			 struct list_head *freed, struct inode **inode);

/* The peer of a released connected socket sees its end (unix_lock). */
static void tell_peer(struct unix_sock *u, bool embryo)
{
	struct unix_sock *p = u->peer;

	if (!p)
		return;
	if (u->type != SOCK_DGRAM) {
		bool reset = u->rcvq.count || embryo;

		/* TCP's close sends a FIN (the peer's reading side ends)
		 * unless data was left unread (an RST). */
		p->shutdown |= p->fin_on_close && !reset ? UNIX_RCV_SHUTDOWN
							 : UNIX_SHUTDOWN_MASK;
		if (reset)
			p->err = ECONNRESET;
		unix_changed(p, POLLIN | POLLRDNORM | POLLHUP | POLLRDHUP);
	} else {
		/* A datagram socket's senders find it dead at their next
		 * send; writers waiting for room try again. */
		unix_changed(p, POLLOUT | POLLWRNORM);
	}
	u->peer = NULL;
	unix_sock_put(p);
}

/* A listener's embryos go with it: their clients see ECONNRESET. */
static void release_pending(struct unix_sock *u, struct list_head *freed,
			    struct inode **inode)
{
	while (!list_empty(&u->pending)) {
		struct unix_sock *e = list_first_entry(
			&u->pending, struct unix_sock, pending_link);

		list_del(&e->pending_link);
		list_init(&e->pending_link);
		u->npending--;
		release_sock(e, true, freed, inode);
	}
}

/* unix_lock held; *inode gets u's path inode (one of them is enough: an
 * embryo has none). */
static void release_sock(struct unix_sock *u, bool embryo,
			 struct list_head *freed, struct inode **inode)
{
	struct inode *i;

	u->dead = true;
	u->sock = NULL;
	i = unix_unbind(u);
	if (i)
		*inode = i;
	tell_peer(u, embryo);
	release_pending(u, freed, inode);
	drop_queue(u, freed);
	u->state = UNIX_UNCONNECTED;
	u->shutdown = UNIX_SHUTDOWN_MASK;
	unix_changed(u, POLLHUP);
	/* Datagram senders blocked on this socket's full queue. */
	__atomic_store_n(&unix_dgram_space_seq, unix_dgram_space_seq + 1,
			 __ATOMIC_RELEASE);
	waitq_wake(&unix_dgram_space, UINT32_MAX, POLLOUT | POLLWRNORM);
	unix_sock_put(u);
}

void unix_release(struct socket *s)
{
	struct unix_sock *u = s->sk;
	struct inode *inode = NULL;
	struct list_head freed;

	if (!u)
		return;
	list_init(&freed);
	unix_lock();
	release_sock(u, false, &freed, &inode);
	unix_unlock();
	s->sk = NULL;
	/* vfs_lock is held (file_ops.release). */
	unix_msgs_free(&freed, true);
	if (inode)
		vfs_inode_put(inode);
}

int unix_sock_bind(struct socket *s, const void *addr, size_t len)
{
	struct unix_sock *u = s->sk;
	struct unix_addr a;
	int err;

	/* A bare family is a request for an automatic name. */
	if (len == sizeof(uint16_t) && addr &&
	    ((const uint8_t *)addr)[0] == AF_UNIX &&
	    ((const uint8_t *)addr)[1] == 0)
		return unix_autobind(u);
	err = unix_addr_parse(addr, len, &a);
	if (err)
		return err;
	return unix_bind(u, &a);
}

int unix_getname(struct socket *s, void *addr, size_t *len, bool peer)
{
	struct unix_sock *u = s->sk;
	const struct unix_sock *from = u;
	int err = 0;

	unix_lock();
	if (peer) {
		/* As Linux: whoever u points at, even a closed peer. */
		from = u->peer;
		if (!from)
			err = -ENOTCONN;
	}
	if (!err && from->addr.len) {
		memcpy(addr, from->addr.bytes, from->addr.len);
		*len = from->addr.len;
	} else if (!err) {
		/* Unbound: the family alone, as Linux. */
		uint16_t family = AF_UNIX;

		memcpy(addr, &family, sizeof(family));
		*len = sizeof(family);
	}
	unix_unlock();
	return err;
}

int unix_shutdown(struct socket *s, int how)
{
	struct unix_sock *u = s->sk, *p;
	unsigned mode;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return -EINVAL;
	/* SHUT_RD 0 -> RCV 1, SHUT_WR 1 -> SEND 2, SHUT_RDWR -> both. */
	mode = (unsigned)how + 1;
	unix_lock();
	u->shutdown |= mode;
	unix_changed(u, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	p = u->peer;
	if (p && u->type != SOCK_DGRAM) {
		unsigned peer_mode = 0;

		if (mode & UNIX_RCV_SHUTDOWN)
			peer_mode |= UNIX_SEND_SHUTDOWN;
		if (mode & UNIX_SEND_SHUTDOWN)
			peer_mode |= UNIX_RCV_SHUTDOWN;
		p->shutdown |= peer_mode;
		unix_changed(p, POLLIN | POLLOUT | POLLHUP | POLLRDHUP);
	}
	unix_unlock();
	return 0;
}

/* SO_SNDBUF / SO_RCVBUF: Linux doubles the value (its bookkeeping
 * overhead), capped at the maximum and raised to the minimum. */
static uint32_t buf_size(int32_t v, uint32_t min)
{
	uint64_t want = v < 0 ? 0 : (uint64_t)v;

	if (want > UNIX_BUF_MAX)
		want = UNIX_BUF_MAX;
	want *= 2;
	return want < min ? min : (uint32_t)want;
}

int unix_setsockopt(struct socket *s, int name, const void *val,
		    size_t len)
{
	struct unix_sock *u = s->sk;
	int32_t v;

	if (len < sizeof(v))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	unix_lock();
	switch (name) {
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		u->sndbuf = buf_size(v, UNIX_SNDBUF_MIN);
		unix_changed(u, POLLOUT | POLLWRNORM);
		break;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		u->rcvbuf = buf_size(v, UNIX_RCVBUF_MIN);
		break;
	case SO_PASSCRED:
		u->passcred = v != 0;
		break;
	default:
		unix_unlock();
		return -ENOPROTOOPT;
	}
	unix_unlock();
	return 0;
}

/* The int value of option name, or -ENOPROTOOPT (unix_lock held). */
static int int_option(struct unix_sock *u, struct socket *s, int name,
		      int32_t *v)
{
	switch (name) {
	case SO_TYPE:
		*v = s->type;
		return 0;
	case SO_DOMAIN:
		*v = AF_UNIX;
		return 0;
	case SO_PROTOCOL:
		*v = 0;
		return 0;
	case SO_ERROR:
		*v = u->err;
		u->err = 0;
		return 0;
	case SO_SNDBUF:
		*v = (int32_t)u->sndbuf;
		return 0;
	case SO_RCVBUF:
		*v = (int32_t)u->rcvbuf;
		return 0;
	case SO_PASSCRED:
		*v = u->passcred;
		return 0;
	case SO_ACCEPTCONN:
		*v = u->state == UNIX_LISTEN;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

int unix_getsockopt(struct socket *s, int name, void *val, size_t *len)
{
	struct unix_sock *u = s->sk;
	int32_t v;
	int err;

	unix_lock();
	if (name == SO_PEERCRED) {
		/* Linux: the peer's creds from connect time; no peer gives
		 * pid 0 and ids -1. */
		struct linux_ucred c = { 0, UINT32_MAX, UINT32_MAX };

		if (u->has_peercred)
			c = u->peercred;
		unix_unlock();
		*len = MIN(*len, sizeof(c));
		memcpy(val, &c, *len);
		return 0;
	}
	err = int_option(u, s, name, &v);
	unix_unlock();
	if (err)
		return err;
	*len = MIN(*len, sizeof(v));
	memcpy(val, &v, *len);
	return 0;
}

int unix_socketpair(struct socket *a, struct socket *b)
{
	struct unix_sock *ua = a->sk, *ub = b->sk;

	unix_lock();
	unix_pair(ua, ub);
	ua->peercred = ub->peercred = unix_peercred_self();
	ua->has_peercred = ub->has_peercred = true;
	unix_unlock();
	return 0;
}

long unix_ioctl(struct socket *s, unsigned int cmd, int *val)
{
	struct unix_sock *u = s->sk;
	long err = 0;

	unix_lock();
	if (cmd == FIONREAD) {
		if (u->state == UNIX_LISTEN) {
			err = -EINVAL;
		} else if (u->type == SOCK_STREAM) {
			*val = (int)u->rcvq.bytes;
		} else {
			/* Datagrams: the size of the next one. */
			struct unix_msg *m = msgq_head(&u->rcvq);

			*val = m ? (int)(m->len - m->off) : 0;
		}
	} else {
		*val = (int)u->wmem; /* SIOCOUTQ */
	}
	unix_unlock();
	return err;
}

int unix_create(struct socket *s)
{
	struct unix_sock *u = unix_sock_new(s->type);

	if (!u)
		return -ENOMEM;
	u->sock = s;
	s->sk = u;
	if (s->type == SOCK_STREAM)
		s->ops = &unix_stream_ops;
	else if (s->type == SOCK_SEQPACKET)
		s->ops = &unix_seqpacket_ops;
	else
		s->ops = &unix_dgram_ops;
	return 0;
}

int unix_msg_from_user(struct sock_msg *m, size_t len, struct unix_msg **out)
{
	struct unix_msg *msg = unix_msg_alloc(len);
	ssize_t got;

	if (!msg)
		return -ENOMEM;
	got = len ? sock_iter_from_user(&m->it, msg->data, len) : 0;
	if (got < 0 || (size_t)got < len) {
		kfree(msg);
		return -EFAULT;
	}
	msg->len = len;
	*out = msg;
	return 0;
}
