/*
 * Unix socket names (Linux's unix_bind, unix_find_other): a path name
 * is a socket inode made in the VFS as mknod makes one (S_IFSOCK with
 * 0777 less the umask; an existing name is -EADDRINUSE), found again by
 * a path walk that needs write permission on it; an abstract name (its
 * first byte NUL) lives only in the table below, one namespace per
 * socket type as Linux's hash makes it. The table lists every bound
 * socket (a path one by its inode, which it keeps referenced) under
 * unix_lock. An automatic name is "\0" and five hex digits.
 */
#include <keel/errno.h>
#include <keel/log.h>
#include <keel/string.h>
#include <svc/cred.h>
#include <svc/fdtable.h>
#include <svc/proc.h>

#include "unix_internal.h"

#define SUN_PATH_OFF 2 /* offsetof(struct sockaddr_un, sun_path) */

static struct list_head bound = { &bound, &bound };
static unsigned autobind_next;

int unix_addr_parse(const void *addr, size_t len, struct unix_addr *out)
{
	uint16_t family;

	if (len <= SUN_PATH_OFF || len > sizeof(struct linux_sockaddr_un))
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	if (family != AF_UNIX)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out->bytes, addr, len);
	out->len = (uint32_t)len;
	if (out->bytes[SUN_PATH_OFF]) {
		/* A path: cut at its NUL (bytes has room for one more). */
		out->bytes[len] = 0;
		out->len = (uint32_t)(kstrlen((char *)out->bytes +
					      SUN_PATH_OFF) +
				      SUN_PATH_OFF + 1);
	}
	return 0;
}

static bool is_abstract(const struct unix_addr *a)
{
	return a->bytes[SUN_PATH_OFF] == 0;
}

static const char *path_of(const struct unix_addr *a)
{
	return (const char *)a->bytes + SUN_PATH_OFF;
}

/* The socket bound to abstract name a for type (unix_lock held). */
static struct unix_sock *find_abstract(const struct unix_addr *a, int type)
{
	struct list_head *pos;

	list_for_each(pos, &bound) {
		struct unix_sock *u =
			list_entry(pos, struct unix_sock, bound_link);

		if (!u->inode && u->type == type && u->addr.len == a->len &&
		    !memcmp(u->addr.bytes, a->bytes, a->len))
			return u;
	}
	return NULL;
}

static struct unix_sock *find_inode(const struct inode *i)
{
	struct list_head *pos;

	list_for_each(pos, &bound) {
		struct unix_sock *u =
			list_entry(pos, struct unix_sock, bound_link);

		if (u->inode == i)
			return u;
	}
	return NULL;
}


static int bind_abstract(struct unix_sock *u, const struct unix_addr *a)
{
	int err = 0;

	unix_lock();
	if (u->addr.len)
		err = -EINVAL;
	else if (find_abstract(a, u->type))
		err = -EADDRINUSE;
	if (!err) {
		u->addr = *a;
		list_add_tail(&u->bound_link, &bound);
	}
	unix_unlock();
	return err;
}

/* Makes the socket inode of path a as the caller (takes vfs_lock): *out
 * referenced. */
static int make_node(const struct unix_addr *a, struct inode **out)
{
	struct proc *p = proc_current();
	const struct vfs_cred *cred = cred_current_fs();
	struct path start = p ? fs_cwd(p) : vfs_root();
	uint32_t mode = S_IFSOCK | (0777 & ~(p ? fs_umask(p, NULL) : 022));
	struct path made;
	int err;

	if (!p)
		vfs_path_get(&start);
	vfs_lock();
	err = vfs_mknod(&start, path_of(a), mode, 0, cred);
	if (err == -EEXIST)
		err = -EADDRINUSE;
	if (!err)
		err = vfs_lookup(&start, path_of(a), 0, &made);
	if (!err) {
		*out = made.dentry->inode;
		vfs_inode_get(*out);
		vfs_path_put(&made);
	}
	vfs_path_put(&start);
	vfs_unlock();
	return err;
}

/* Undoes make_node for a bind that lost (the socket got a name). */
static void unmake_node(const struct unix_addr *a, struct inode *i)
{
	struct proc *p = proc_current();
	struct path start = p ? fs_cwd(p) : vfs_root();

	if (!p)
		vfs_path_get(&start);
	vfs_lock();
	vfs_unlink(&start, path_of(a), false, &VFS_ROOT_CRED);
	vfs_inode_put(i);
	vfs_path_put(&start);
	vfs_unlock();
}

static int bind_path(struct unix_sock *u, const struct unix_addr *a)
{
	struct inode *i;
	int err = make_node(a, &i);

	if (err)
		return err;
	unix_lock();
	if (u->addr.len) {
		err = -EINVAL;
	} else {
		u->addr = *a;
		u->inode = i;
		list_add_tail(&u->bound_link, &bound);
	}
	unix_unlock();
	if (err)
		unmake_node(a, i);
	return err;
}

int unix_bind(struct unix_sock *u, const struct unix_addr *a)
{
	return is_abstract(a) ? bind_abstract(u, a) : bind_path(u, a);
}

int unix_autobind(struct unix_sock *u)
{
	struct unix_addr a;
	int err = 0;

	unix_lock();
	if (u->addr.len) {
		unix_unlock();
		return 0; /* Linux: an autobind of a bound socket is a no-op */
	}
	for (unsigned tries = 0;; tries++) {
		memset(&a, 0, sizeof(a));
		a.bytes[0] = AF_UNIX;
		ksnprintf((char *)a.bytes + SUN_PATH_OFF + 1, 6, "%05x",
			  autobind_next++ & 0xfffff);
		a.len = SUN_PATH_OFF + 1 + 5;
		if (!find_abstract(&a, u->type))
			break;
		if (tries > 0xfffff) {
			err = -ENOSPC;
			break;
		}
	}
	if (!err) {
		u->addr = a;
		list_add_tail(&u->bound_link, &bound);
	}
	unix_unlock();
	return err;
}

/* The path's socket inode, checked for write permission: referenced. */
static int lookup_node(const struct unix_addr *a, struct inode **out)
{
	struct proc *p = proc_current();
	const struct vfs_cred *cred = cred_current_fs();
	struct path start = p ? fs_cwd(p) : vfs_root();
	struct path found;
	int err;

	if (!p)
		vfs_path_get(&start);
	vfs_lock();
	err = vfs_lookup(&start, path_of(a), LOOKUP_FOLLOW, &found);
	if (!err) {
		err = vfs_permission(found.dentry->inode, VFS_MAY_WRITE, cred);
		if (!err && (found.dentry->inode->mode & S_IFMT) != S_IFSOCK)
			err = -ECONNREFUSED;
		if (!err) {
			*out = found.dentry->inode;
			vfs_inode_get(*out);
		}
		vfs_path_put(&found);
	}
	vfs_path_put(&start);
	vfs_unlock();
	return err;
}

int unix_find(const struct unix_addr *a, int type, struct unix_sock **out)
{
	struct inode *i = NULL;
	struct unix_sock *u;
	int err = 0;

	if (!is_abstract(a)) {
		err = lookup_node(a, &i);
		if (err)
			return err;
	}
	unix_lock();
	u = i ? find_inode(i) : find_abstract(a, type);
	if (!u)
		err = -ECONNREFUSED;
	else if (u->type != type)
		err = -EPROTOTYPE;
	else
		unix_sock_get(u);
	unix_unlock();
	if (i) {
		vfs_lock();
		vfs_inode_put(i);
		vfs_unlock();
	}
	if (!err)
		*out = u;
	return err;
}

struct inode *unix_unbind(struct unix_sock *u)
{
	struct inode *i = u->inode;

	if (u->addr.len && !list_empty(&u->bound_link)) {
		list_del(&u->bound_link);
		list_init(&u->bound_link);
	}
	u->inode = NULL;
	return i;
}
