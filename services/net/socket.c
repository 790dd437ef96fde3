/*
 * Socket files: a socket is an open file on an S_IFSOCK inode of sockfs
 * (a pseudo file system of its own, so that fstat and /proc/self/fd
 * show Linux's `socket:[ino]`), whose file_ops send and receive through
 * the family's ops as send and recv with no flags would: read and write
 * (and so readv and writev), poll, FIONREAD/SIOCOUTQ. The ops lock
 * themselves (file_ops.own_lock): a blocked reader holds no VFS lock.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>

#include "net_internal.h"

#define SIOCOUTQ 0x5411 /* TIOCOUTQ: bytes sent and not yet read */

static struct super_block sockfs = { .dev = 0x0e, .fs_name = "sockfs" };

int sock_create(int family, int type, int protocol, struct socket **out)
{
	struct socket *s;
	int err;

	/* Linux's order: the family's range, the type's, then whether
	 * the family exists. */
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type > SOCK_PACKET)
		return -EINVAL;
	if (family != AF_UNIX && family != AF_INET && family != AF_INET6 &&
	    family != AF_NETLINK)
		return -EAFNOSUPPORT;
	if (family == AF_UNIX) {
		/* As Linux's unix_create: a protocol other than 0 (or
		 * AF_UNIX's own number, 1) is -EPROTONOSUPPORT; SOCK_RAW
		 * is SOCK_DGRAM. */
		if (protocol && protocol != AF_UNIX)
			return -EPROTONOSUPPORT;
		if (type == SOCK_RAW)
			type = SOCK_DGRAM;
		if (type != SOCK_STREAM && type != SOCK_DGRAM &&
		    type != SOCK_SEQPACKET)
			return -ESOCKTNOSUPPORT;
	}
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->family = family;
	s->type = type;
	s->protocol = protocol;
	s->rcvtimeo = s->sndtimeo = SOCK_TIMEO_NONE;
	if (family == AF_UNIX)
		err = unix_create(s);
	else if (family == AF_NETLINK)
		err = netlink_create(s);
	else
		err = inet_create(s);
	if (err) {
		kfree(s);
		return err;
	}
	*out = s;
	return 0;
}

struct socket *sock_alloc_like(const struct socket *s)
{
	struct socket *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->family = s->family;
	n->type = s->type;
	n->protocol = s->protocol;
	n->ops = s->ops;
	n->rcvtimeo = n->sndtimeo = SOCK_TIMEO_NONE;
	return n;
}

void sock_free(struct socket *s)
{
	kfree(s);
}

uint64_t sock_deadline(uint64_t timeo)
{
	uint64_t now = time_now_ns();

	if (timeo == SOCK_TIMEO_NONE)
		return WAIT_FOREVER;
	return timeo > WAIT_FOREVER - 1 - now ? WAIT_FOREVER - 1 : now + timeo;
}

ssize_t sock_recvmsg(struct socket *s, struct sock_msg *m)
{
	m->deadline = sock_deadline(s->rcvtimeo);
	return s->ops->recvmsg(s, m);
}

ssize_t sock_sendmsg(struct socket *s, struct sock_msg *m)
{
	struct proc *self = proc_current();

	m->deadline = sock_deadline(s->sndtimeo);
	if (!m->scm.has_creds && self)
		m->scm.creds = scm_creds_of(self);
	return s->ops->sendmsg(s, m);
}

/* read(2) and write(2): a receive or send with no flags on one
 * buffer; fds that came with received data are closed, as Linux's read
 * on a unix socket does. */
static ssize_t sock_rw(struct file *f, uptr_t buf, size_t len,
		       uint64_t *pos, bool send)
{
	struct socket *s = f->priv;
	struct sock_msg *m;
	ssize_t n;

	if (pos != &f->pos)
		return -ESPIPE;
	m = kzalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	sock_iter_buf(&m->it, buf, len);
	m->nonblock = f->flags & O_NONBLOCK;
	n = send ? sock_sendmsg(s, m) : sock_recvmsg(s, m);
	scm_release(&m->scm, false);
	kfree(m);
	return n;
}

static ssize_t sock_read(struct file *f, uptr_t buf, size_t len,
			 uint64_t *pos)
{
	return sock_rw(f, buf, len, pos, false);
}

static ssize_t sock_write(struct file *f, uptr_t buf, size_t len,
			  uint64_t *pos)
{
	return sock_rw(f, buf, len, pos, true);
}

static uint32_t sock_poll(struct file *f, struct poll_table *pt)
{
	struct socket *s = f->priv;

	return s->ops->poll(s, pt);
}

static long sock_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct socket *s = f->priv;
	int val;
	long err;

	if (cmd != FIONREAD && cmd != SIOCOUTQ) {
		err = netdev_ioctl(cmd, uptr(arg), s->family == AF_INET);
		return err == -ENOIOCTLCMD ? -ENOTTY : err;
	}
	err = s->ops->ioctl(s, cmd, &val);
	if (err)
		return err;
	return copy_to_user(uptr(arg), &val, sizeof(val));
}

static int64_t sock_llseek(struct file *f, int64_t off, int whence)
{
	return -ESPIPE;
}

static void sock_release(struct file *f)
{
	struct socket *s = f->priv;

	if (!s)
		return;
	s->ops->release(s);
	sock_free(s);
}

static const struct file_ops socket_file_ops = {
	.own_lock = true,
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.llseek = sock_llseek,
	.release = sock_release,
};

int sock_file(struct socket *s, uint32_t flags, struct file **out)
{
	struct inode *i;
	int err = -ENOMEM;

	*out = NULL;
	vfs_lock();
	/* Linux's socket inodes: S_IFSOCK | 0777. */
	i = vfs_anon_inode(&sockfs, S_IFSOCK | 0777);
	if (i) {
		err = vfs_file_anon_alloc(i, O_RDWR | (flags & O_NONBLOCK),
					  &socket_file_ops, s, out);
		vfs_inode_put(i);
	}
	if (*out)
		s->file = *out;
	else
		sock_release(&(struct file){ .priv = s });
	vfs_unlock();
	return err;
}

struct socket *sock_of(struct file *f)
{
	return f->fops == &socket_file_ops ? f->priv : NULL;
}

int sock_get(struct proc *p, int fd, struct socket **s, struct file **file)
{
	struct file *f = fd_get(p, fd);

	if (!f)
		return -EBADF;
	*s = sock_of(f);
	if (!*s) {
		fd_put(f);
		return -ENOTSOCK;
	}
	*file = f;
	return 0;
}

int sock_install(struct proc *p, struct file *f, int flags)
{
	return fd_install(p, f, 0, flags & SOCK_CLOEXEC);
}

/* SIGPIPE to the sending thread (<svc/signal.h>), unless MSG_NOSIGNAL. */
void sock_sigpipe(int flags)
{
	if (!(flags & MSG_NOSIGNAL))
		signal_send_sigpipe();
}

int sock_no_listen(struct socket *s, int backlog)
{
	return -EOPNOTSUPP;
}

int sock_no_accept(struct socket *s, struct socket *n, bool nonblock)
{
	return -EOPNOTSUPP;
}

int sock_no_pair(struct socket *a, struct socket *b)
{
	return -EOPNOTSUPP;
}
