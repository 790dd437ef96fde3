/*
 * setsockopt and getsockopt. Level SOL_SOCKET is the socket layer's:
 * the boolean options every socket keeps (SO_DEBUG, SO_REUSEADDR,
 * SO_DONTROUTE, SO_BROADCAST, SO_KEEPALIVE, SO_OOBINLINE: stored and
 * read back, with no effect on a unix socket, as on Linux) and the
 * timeouts of blocked sends and receives (SO_SNDTIMEO, SO_RCVTIMEO: a
 * struct timeval, EDOM for bad microseconds, 0 none) here, the
 * rest from the family (buffers, SO_PASSCRED, SO_PEERCRED, SO_TYPE,
 * SO_ERROR, SO_DOMAIN, SO_PROTOCOL, SO_ACCEPTCONN); an option nobody
 * knows is -ENOPROTOOPT. Other levels go to the family's
 * setsockopt_level/getsockopt_level (inet: IPPROTO_IP, IPPROTO_IPV6,
 * IPPROTO_TCP), or are -EOPNOTSUPP (a unix socket has no protocol
 * options). Values are ints (SO_PEERCRED a struct ucred);
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

/* The timeout field of option name, or NULL. */
static uint64_t *timeo_of(struct socket *s, int name)
{
	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW)
		return &s->rcvtimeo;
	if (name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW)
		return &s->sndtimeo;
	return NULL;
}

/* Linux's sock_set_timeout: a timeval of len bytes at val. */
static int set_timeo(uint64_t *t, const void *val, size_t len)
{
	int64_t tv[2]; /* tv_sec, tv_usec: the same for _OLD and _NEW */

	if (len < sizeof(tv))
		return -EINVAL;
	memcpy(tv, val, sizeof(tv));
	if (tv[1] < 0 || tv[1] >= 1000000)
		return -EDOM;
	if (tv[0] < 0)
		*t = 0; /* as Linux: a negative time does not wait */
	else if (!tv[0] && !tv[1])
		*t = SOCK_TIMEO_NONE;
	else if (tv[0] >= (int64_t)(UINT64_MAX / 1000000000u) - 1)
		*t = SOCK_TIMEO_NONE - 1;
	else
		*t = (uint64_t)tv[0] * 1000000000u + (uint64_t)tv[1] * 1000u;
	return 0;
}

/* The timeval of a timeout into val; its size. */
static size_t get_timeo(uint64_t t, void *val)
{
	int64_t tv[2] = { 0, 0 };

	if (t != SOCK_TIMEO_NONE) {
		tv[0] = (int64_t)(t / 1000000000u);
		tv[1] = (int64_t)(t % 1000000000u / 1000u);
	}
	memcpy(val, tv, sizeof(tv));
	return sizeof(tv);
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
		if (!s->ops->setsockopt_level)
			err = -EOPNOTSUPP;
		else if (copy_from_user(val, uval,
					MIN((size_t)len, sizeof(val))))
			err = -EFAULT;
		else
			err = s->ops->setsockopt_level(
				s, level, name, val,
				MIN((size_t)len, sizeof(val)));
	} else if ((size_t)len < sizeof(int32_t)) {
		err = -EINVAL;
	} else if (copy_from_user(val, uval, MIN((size_t)len, sizeof(val)))) {
		err = -EFAULT;
	} else if (timeo_of(s, name)) {
		err = set_timeo(timeo_of(s, name), val,
				MIN((size_t)len, sizeof(val)));
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
		got = MIN((size_t)len, sizeof(val));
		err = s->ops->getsockopt_level
			      ? s->ops->getsockopt_level(s, level, name, val,
							 &got)
			      : -EOPNOTSUPP;
	} else if (timeo_of(s, name)) {
		got = MIN((size_t)len, get_timeo(*timeo_of(s, name), val));
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
