/*
 * The socket calls that make, name and connect sockets: socket,
 * socketpair, bind, listen, connect, accept, accept4, shutdown,
 * getsockname, getpeername. Argument decoding as Linux's net/socket.c
 * (the fd is looked up first: -EBADF, -ENOTSOCK; addresses are at most
 * sizeof(struct sockaddr_storage), copied in whole and copied out cut to
 * the user's length with the full length written back), then the
 * family's ops.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/syscall.h>

#include "net_internal.h"

#define SOCK_FLAGS (SOCK_CLOEXEC | SOCK_NONBLOCK)

/* Linux's move_addr_to_kernel: 0..SOCK_ADDR_MAX bytes (-EINVAL). */
static int addr_in(uptr_t uaddr, int len, uint8_t *kaddr)
{
	if (len < 0 || len > SOCK_ADDR_MAX)
		return -EINVAL;
	if (len && copy_from_user(kaddr, uaddr, (size_t)len))
		return -EFAULT;
	return 0;
}

int sock_addr_out(const uint8_t *kaddr, size_t klen, uptr_t uaddr,
		  uptr_t ulen)
{
	int32_t len;

	if (copy_from_user(&len, ulen, sizeof(len)))
		return -EFAULT;
	if ((size_t)len > klen && len >= 0)
		len = (int32_t)klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	len = (int32_t)klen;
	return copy_to_user(ulen, &len, sizeof(len));
}

/* The type argument of socket/socketpair: the type and its flags. */
static int split_type(int type, int *flags)
{
	*flags = type & ~SOCK_TYPE_MASK;
	if (*flags & ~SOCK_FLAGS)
		return -EINVAL;
	return type & SOCK_TYPE_MASK;
}

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	struct socket *s;
	struct file *f;
	int flags, err;

	type = split_type(type, &flags);
	if (type < 0)
		return type;
	err = sock_create(family, type, protocol, &s);
	if (err)
		return err;
	err = sock_file(s, (uint32_t)flags, &f);
	if (err)
		return err;
	return sock_install(proc, f, flags);
}

/* Two new sockets of the family connected to each other, as files. */
static int make_pair(int family, int type, int protocol, int flags,
		     struct file *files[2])
{
	struct socket *s[2] = { NULL, NULL };
	int err = sock_create(family, type, protocol, &s[0]), err1;

	if (!err)
		err = sock_create(family, type, protocol, &s[1]);
	/* A family without pairs (inet: -EOPNOTSUPP) refuses here. */
	if (!err)
		err = s[0]->ops->pair(s[0], s[1]);
	if (err) {
		vfs_lock();
		for (int k = 0; k < 2; k++) {
			if (s[k]) {
				s[k]->ops->release(s[k]);
				sock_free(s[k]);
			}
		}
		vfs_unlock();
		return err;
	}
	err = sock_file(s[0], (uint32_t)flags, &files[0]);
	err1 = sock_file(s[1], (uint32_t)flags, &files[1]);
	if (err || err1) {
		if (files[0])
			fd_put(files[0]);
		if (files[1])
			fd_put(files[1]);
		return err ? err : err1;
	}
	return 0;
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol, uptr_t,
		usv)
{
	struct file *files[2];
	int32_t fds[2];
	int flags, err;

	type = split_type(type, &flags);
	if (type < 0)
		return type;
	err = make_pair(family, type, protocol, flags, files);
	if (err)
		return err;
	fds[0] = sock_install(proc, files[0], flags);
	if (fds[0] < 0) {
		fd_put(files[1]);
		return fds[0];
	}
	fds[1] = sock_install(proc, files[1], flags);
	if (fds[1] < 0) {
		fd_close(proc, fds[0]);
		return fds[1];
	}
	if (copy_to_user(usv, fds, sizeof(fds))) {
		fd_close(proc, fds[0]);
		fd_close(proc, fds[1]);
		return -EFAULT;
	}
	return 0;
}

/* bind and connect: the address copied in, then the family's call. */
static long with_addr(struct proc *proc, int fd, uptr_t uaddr, int len,
		      bool connect)
{
	uint8_t addr[SOCK_ADDR_MAX];
	struct socket *s;
	struct file *f;
	int err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	err = addr_in(uaddr, len, addr);
	if (!err && connect)
		err = s->ops->connect(s, addr, (size_t)len,
				      f->flags & O_NONBLOCK);
	else if (!err)
		err = s->ops->bind(s, addr, (size_t)len);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE3(bind, int, fd, uptr_t, uaddr, int, len)
{
	return with_addr(proc, fd, uaddr, len, false);
}

SYSCALL_DEFINE3(connect, int, fd, uptr_t, uaddr, int, len)
{
	return with_addr(proc, fd, uaddr, len, true);
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct socket *s;
	struct file *f;
	int err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	err = s->ops->listen(s, backlog);
	fd_put(f);
	return err;
}

/* accept's work after the checks: the new socket's fd. */
static long do_accept(struct proc *proc, struct socket *s, struct file *f,
		      uptr_t uaddr, uptr_t ulen, int flags)
{
	uint8_t addr[SOCK_ADDR_MAX];
	struct socket *n = sock_alloc_like(s);
	struct file *nf;
	size_t len;
	int err;

	if (!n)
		return -ENOMEM;
	err = s->ops->accept(s, n, f->flags & O_NONBLOCK);
	if (err) {
		sock_free(n);
		return err;
	}
	err = sock_file(n, (uint32_t)flags, &nf);
	if (err)
		return err;
	if (uaddr.addr) {
		err = n->ops->getname(n, addr, &len, true);
		if (err)
			err = -ECONNABORTED;
		else
			err = sock_addr_out(addr, len, uaddr, ulen);
		if (err) {
			fd_put(nf);
			return err;
		}
	}
	return sock_install(proc, nf, flags);
}

static long net_accept4(struct proc *proc, int fd, uptr_t uaddr,
			uptr_t ulen, int flags)
{
	struct socket *s;
	struct file *f;
	long err;

	if (flags & ~SOCK_FLAGS)
		return -EINVAL;
	err = sock_get(proc, fd, &s, &f);
	if (err)
		return err;
	err = do_accept(proc, s, f, uaddr, ulen, flags);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE4(accept4, int, fd, uptr_t, uaddr, uptr_t, ulen, int, flags)
{
	return net_accept4(proc, fd, uaddr, ulen, flags);
}

SYSCALL_DEFINE3(accept, int, fd, uptr_t, uaddr, uptr_t, ulen)
{
	return net_accept4(proc, fd, uaddr, ulen, 0);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct socket *s;
	struct file *f;
	int err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	err = s->ops->shutdown(s, how);
	fd_put(f);
	return err;
}

static long get_name(struct proc *proc, int fd, uptr_t uaddr, uptr_t ulen,
		     bool peer)
{
	uint8_t addr[SOCK_ADDR_MAX];
	struct socket *s;
	struct file *f;
	size_t len;
	int err = sock_get(proc, fd, &s, &f);

	if (err)
		return err;
	err = s->ops->getname(s, addr, &len, peer);
	if (!err)
		err = sock_addr_out(addr, len, uaddr, ulen);
	fd_put(f);
	return err;
}

SYSCALL_DEFINE3(getsockname, int, fd, uptr_t, uaddr, uptr_t, ulen)
{
	return get_name(proc, fd, uaddr, ulen, false);
}

SYSCALL_DEFINE3(getpeername, int, fd, uptr_t, uaddr, uptr_t, ulen)
{
	return get_name(proc, fd, uaddr, ulen, true);
}
