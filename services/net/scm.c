/*
 * Ancillary data of unix sockets (Linux's net/core/scm.c): the control
 * messages of a send parsed into a struct sock_scm (SCM_RIGHTS: the open
 * files of the fds, at most SCM_MAX_FD in all; SCM_CREDENTIALS: checked
 * as Linux's scm_check_creds), and a receive's written back as control
 * messages (put_cmsg and scm_detach_fds): credentials first, then the
 * fds installed in the receiver, MSG_CTRUNC when the buffer is short
 * (the fds that do not fit are closed).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/cred.h>
#include <svc/fdtable.h>
#include <svc/proc.h>
#include <uapi/socket.h>

#include "net_internal.h"

#define CMSG_DATA_OFF LINUX_CMSG_ALIGN(LINUX_CMSG_HDR)
#define CMSG_LEN(n) (CMSG_DATA_OFF + (n))
#define CMSG_SPACE(n) (CMSG_DATA_OFF + LINUX_CMSG_ALIGN(n))

struct linux_ucred scm_creds_of(struct proc *p)
{
	struct proc_cred c = cred_of(p);

	return (struct linux_ucred){ .pid = (uint32_t)p->pid,
				     .uid = c.uid.real,
				     .gid = c.gid.real };
}

void scm_release(struct sock_scm *scm, bool vfs_locked)
{
	for (unsigned k = 0; k < scm->nfds; k++) {
		if (vfs_locked)
			vfs_file_put(scm->fds[k]);
		else
			fd_put(scm->fds[k]);
	}
	kfree(scm->fds);
	scm->fds = NULL;
	scm->nfds = 0;
}

/* Adds the n fds at data to scm (SCM_RIGHTS). */
static int add_rights(struct proc *p, const int32_t *data, size_t n,
		      struct sock_scm *scm)
{
	struct file **fds;

	if (!n)
		return 0;
	if (n > SCM_MAX_FD || scm->nfds + n > SCM_MAX_FD)
		return -EINVAL;
	fds = kcalloc(scm->nfds + n, sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	for (unsigned k = 0; k < scm->nfds; k++)
		fds[k] = scm->fds[k];
	kfree(scm->fds);
	scm->fds = fds;
	for (size_t k = 0; k < n; k++) {
		struct file *f = fd_get(p, data[k]);

		if (!f)
			return -EBADF;
		scm->fds[scm->nfds++] = f;
	}
	return 0;
}

/* Whether p may claim creds c, as Linux's scm_check_creds: its own pid
 * and one of its uids and gids, or anything with root's capabilities;
 * a pid that does not exist is -ESRCH. */
static int check_creds(struct proc *p, const struct linux_ucred *c)
{
	struct proc_cred pc = cred_of(p);
	bool root = cred_capable(&pc);
	bool pid_ok = c->pid == (uint32_t)p->pid || root;
	bool uid_ok = c->uid == pc.uid.real || c->uid == pc.uid.eff ||
		      c->uid == pc.uid.saved || root;
	bool gid_ok = c->gid == pc.gid.real || c->gid == pc.gid.eff ||
		      c->gid == pc.gid.saved || root;
	bool exists;

	if (!pid_ok || !uid_ok || !gid_ok)
		return -EPERM;
	if (c->pid == (uint32_t)p->pid)
		return 0;
	proc_lock();
	exists = c->pid <= INT32_MAX && proc_find((int)c->pid);
	proc_unlock();
	return exists ? 0 : -ESRCH;
}

int scm_parse(struct proc *p, const void *ctl, size_t len,
	      struct sock_scm *scm)
{
	const uint8_t *base = ctl;
	size_t off = 0;
	int err = 0;

	while (!err && len - off >= LINUX_CMSG_HDR) {
		struct linux_cmsghdr h;
		const uint8_t *data = base + off + CMSG_DATA_OFF;

		memcpy(&h, base + off, sizeof(h));
		if (h.cmsg_len < LINUX_CMSG_HDR || h.cmsg_len > len - off)
			return -EINVAL;
		if (h.cmsg_level == SOL_SOCKET) {
			size_t n = h.cmsg_len - CMSG_DATA_OFF;

			if (h.cmsg_len < CMSG_DATA_OFF)
				n = 0;
			if (h.cmsg_type == SCM_RIGHTS) {
				int32_t fds[SCM_MAX_FD];

				n /= sizeof(int32_t);
				if (n > SCM_MAX_FD)
					return -EINVAL;
				memcpy(fds, data, n * sizeof(int32_t));
				err = add_rights(p, fds, n, scm);
			} else if (h.cmsg_type == SCM_CREDENTIALS) {
				if (h.cmsg_len != CMSG_LEN(sizeof(scm->creds)))
					return -EINVAL;
				memcpy(&scm->creds, data, sizeof(scm->creds));
				err = check_creds(p, &scm->creds);
				scm->has_creds = true;
			} else {
				return -EINVAL;
			}
		}
		off += LINUX_CMSG_ALIGN(h.cmsg_len);
		if (off > len)
			break;
	}
	return err;
}

/* The control buffer being filled. */
struct cmsg_out {
	uptr_t at;
	size_t left, used;
	int *flags;
};

static void advance(struct cmsg_out *o, size_t space)
{
	space = MIN(space, o->left);
	o->at = uptr_add(o->at, space);
	o->left -= space;
	o->used += space;
}

/* put_cmsg: a header and len bytes of data, cut (MSG_CTRUNC) to what
 * fits. */
static int put_cmsg(struct cmsg_out *o, int type, const void *data,
		    size_t len)
{
	struct linux_cmsghdr h = { .cmsg_len = CMSG_LEN(len),
				   .cmsg_level = SOL_SOCKET,
				   .cmsg_type = type };
	size_t room;

	if (o->left < LINUX_CMSG_HDR) {
		*o->flags |= MSG_CTRUNC;
		return 0;
	}
	room = MIN((size_t)CMSG_LEN(len), o->left);
	if (room < CMSG_LEN(len))
		*o->flags |= MSG_CTRUNC;
	if (copy_to_user(o->at, &h, sizeof(h)))
		return -EFAULT;
	if (room > CMSG_DATA_OFF &&
	    copy_to_user(uptr_add(o->at, CMSG_DATA_OFF), data,
			 room - CMSG_DATA_OFF))
		return -EFAULT;
	advance(o, CMSG_SPACE(len));
	return 0;
}

/* scm_detach_fds: as many fds as fit installed and written; the rest
 * closed with MSG_CTRUNC. */
static int put_rights(struct proc *p, struct cmsg_out *o,
		      struct sock_scm *scm, int flags)
{
	size_t room = o->left > LINUX_CMSG_HDR
			      ? (o->left - LINUX_CMSG_HDR) / sizeof(int32_t)
			      : 0;
	unsigned max = (unsigned)MIN(room, (size_t)scm->nfds), i;
	int err = 0;

	for (i = 0; i < max; i++) {
		int fd = fd_install(p, scm->fds[i], 0,
				    flags & MSG_CMSG_CLOEXEC);

		scm->fds[i] = NULL; /* fd_install took it, even on error */
		if (fd < 0)
			break;
		if (copy_to_user(uptr_add(o->at, CMSG_DATA_OFF +
						     i * sizeof(int32_t)),
				 &fd, sizeof(int32_t))) {
			fd_close(p, fd);
			err = -EFAULT;
			break;
		}
	}
	if (i > 0 && !err) {
		struct linux_cmsghdr h = {
			.cmsg_len = CMSG_LEN(i * sizeof(int32_t)),
			.cmsg_level = SOL_SOCKET,
			.cmsg_type = SCM_RIGHTS
		};

		if (copy_to_user(o->at, &h, sizeof(h)))
			err = -EFAULT;
		else
			advance(o, CMSG_SPACE(i * sizeof(int32_t)));
	}
	if (i < scm->nfds)
		*o->flags |= MSG_CTRUNC;
	/* Those not installed are closed. */
	for (unsigned k = i; k < scm->nfds; k++)
		if (scm->fds[k])
			fd_put(scm->fds[k]);
	kfree(scm->fds);
	scm->fds = NULL;
	scm->nfds = 0;
	return err;
}

int scm_emit(struct proc *p, struct sock_scm *scm, bool creds, uptr_t ctl,
	     size_t *len, int flags, int *out_flags)
{
	struct cmsg_out o = { ctl, ctl.addr ? *len : 0, 0, out_flags };
	int err = 0;

	if (creds && scm->has_creds)
		err = put_cmsg(&o, SCM_CREDENTIALS, &scm->creds,
			       sizeof(scm->creds));
	if (!err && scm->nfds)
		err = put_rights(p, &o, scm, flags);
	scm_release(scm, false);
	*len = o.used;
	return err;
}
