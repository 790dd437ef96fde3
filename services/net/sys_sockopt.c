/*
 * setsockopt and getsockopt. Level SOL_SOCKET is the socket layer's:
 * the boolean options every socket keeps (SO_DEBUG, SO_REUSEADDR,
 * SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE: stored and
 * read back, with no effect on a unix socket, as on Linux) here, the
 * rest from the family (buffers, SO_PASSCRED, SO_PEERCRED, SO_TYPE,
 * SO_ERROR, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN); an option nobody
 * knows is -ENOPROTOOPT. Other levels are -EOPNOTSUPP (a unix socket has
 * no protocol options). Values are ints (SO_PEERCRED a struct ucred);
 * a get copies at most the user's length and writes the length back.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/syscall.h>
#include <uapi/socket.h>

#include "net_internal.h"

#define OPT_MAX 64 /* the largest option value taken */

/* The bit of a stored boolean option in socket->bool_opts, or 0. */
static uint32_t bool_bit(int name)
{
	switch (name) {
	case SO_DEBUG:
	case SO_REUSEADDR:
	case SO_DONTROUTE:
	case SO_BROADCAST:
	case SO_KEEPALIVE:
	case SO_OOBINLINE:
		return 1u << name;
	default:
		return 0;
	}
}

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, name, uptr_t, uval,
		int, len)
{
	uint8_t val[OPT_MAX];
	struct socket *s;
	struct file *f;
	int32_t v;
	int err;

	if (len < 0)
		return -EINVAL;
	err = sock_get(proc, fd, &s, &f);
	if (err)
		return err;
	if (level != SOL_SOCKET) {
		err = -EOPNOTSUPP;
	} else if ((size_t)len < sizeof(int32_t)) {
		err = -EINVAL;
	} else if (copy_from_user(val, uval, MIN((size_t)len, sizeof(val)))) {
		err = -EFAULT;
	} else if (bool_bit(name)) {
		memcpy(&v, val, sizeof(v));
		if (v)
			s->bool_opts |= bool_bit(name);
		else
			s->bool_opts &= ~bool_bit(name);
	} else {
		err = s->ops->setsockopt(s, name, val,
					 MIN((size_t)len, sizeof(val)));
	}
	fd_put(f);
	return err;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, name, uptr_t, uval,
		uptr_t, ulen)
{
	uint8_t val[OPT_MAX];
	struct socket *s;
	struct file *f;
	int32_t len;
	size_t got;
	int err;

	err = sock_get(proc, fd, &s, &f);
	if (err)
		return err;
	if (copy_from_user(&len, ulen, sizeof(len))) {
		err = -EFAULT;
	} else if (len < 0) {
		err = -EINVAL;
	} else if (level != SOL_SOCKET) {
		err = -EOPNOTSUPP;
	} else if (bool_bit(name)) {
		int32_t v = (s->bool_opts & bool_bit(name)) != 0;

		got = MIN((size_t)len, sizeof(v));
		memcpy(val, &v, got);
	} else {
		got = MIN((size_t)len, sizeof(val));
		err = s->ops->getsockopt(s, name, val, &got);
	}
	if (!err && got && copy_to_user(uval, val, got))
		err = -EFAULT;
	if (!err) {
		len = (int32_t)got;
		err = copy_to_user(ulen, &len, sizeof(len));
	}
	fd_put(f);
	return err;
}
