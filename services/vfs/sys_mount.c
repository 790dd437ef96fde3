/*
 * mount(2), umount2(2), chroot(2), statfs(2) and fstatfs(2).
 *
 * mount makes a new instance of tmpfs, proc, devtmpfs or sysfs, or mounts
 * the one devpts (<svc/devpts.h>) again (other types: -ENODEV), binds a directory or file elsewhere (MS_BIND), changes
 * a mount's flags (MS_REMOUNT) or accepts a propagation change
 * (MS_SHARED, MS_PRIVATE...: Keel has one namespace, so there is nothing
 * to propagate). Of the mount flags MS_RDONLY is enforced (-EROFS on
 * writes, vfs_path_readonly) and MS_NOEXEC (execve's -EACCES); the others
 * are recorded and shown in /proc/mounts and statfs's f_flags. Every call
 * needs an effective uid of 0 (-EPERM), as Linux's CAP_SYS_ADMIN and
 * CAP_SYS_CHROOT checks for a process without capabilities.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/devpts.h>
#include <svc/fs.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>
#include <uapi/mount.h>

#include "sys_util.h"

/* The flags a mount keeps (shown in /proc/mounts, changed by remount). */
#define MNT_KEPT_FLAGS                                                     \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS |   \
	 MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME |      \
	 MS_NOSYMFOLLOW | MS_DIRSYNC | MS_LAZYTIME)
#define MNT_PROPAGATION (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define MNT_OPTIONS_MAX 4096 /* mount's data: one page, as Linux */

static bool privileged(struct proc *proc)
{
	return cred_proc_capable(proc);
}

/* The flags a new or changed mount keeps: relatime unless the caller
 * asked for noatime or strictatime, as Linux's default. */
static unsigned long kept_flags(unsigned long flags)
{
	flags &= MNT_KEPT_FLAGS;
	if (!(flags & (MS_NOATIME | MS_STRICTATIME)))
		flags |= MS_RELATIME;
	return flags & ~MS_STRICTATIME;
}

/* Resolves the user path upath (following links unless nofollow) to *p. */
static int user_lookup(struct proc *proc, uptr_t upath, bool nofollow,
		       struct path *p)
{
	return at_lookup(proc, AT_FDCWD, upath,
			 nofollow ? AT_SYMLINK_NOFOLLOW : 0, p);
}

static bool is_mount_root(const struct path *p)
{
	return p->dentry == p->mnt->root;
}

/* Copies the optional user string u (NULL: "") into buf of size bytes. */
static int user_string(uptr_t u, char *buf, size_t size)
{
	ssize_t n;

	buf[0] = '\0';
	if (!u.addr)
		return 0;
	n = strncpy_from_user(buf, u, size);
	if (n == -ENAMETOOLONG) {
		/* Linux copies a page and cuts it: a long string is not an
		 * error by itself. */
		buf[size - 1] = '\0';
		return 0;
	}
	return n < 0 ? (int)n : 0;
}

/* Applies tmpfs's options (comma separated) to its new root: mode= sets
 * the root's permissions; size=, nr_inodes=, nr_blocks=, uid=, gid=,
 * huge=, inode32/64 and noswap are accepted (no limits are kept); an
 * unknown one is -EINVAL, as Linux's "tmpfs: Unknown parameter". */
static int tmpfs_options(struct dentry *root, char *opts)
{
	static const char *const accepted[] = {
		"size=", "nr_inodes=", "nr_blocks=", "uid=", "gid=", "huge=",
		"mpol=", "inode32",    "inode64",    "noswap", NULL,
	};
	char *opt = opts;

	root->inode->mode = S_IFDIR | 01777;
	while (opt && *opt) {
		char *comma = kstrchr(opt, ',');
		bool known = false;

		if (comma)
			*comma++ = '\0';
		if (!kstrncmp(opt, "mode=", 5)) {
			uint32_t mode = 0;

			for (const char *c = opt + 5; *c; c++) {
				if (*c < '0' || *c > '7')
					return -EINVAL;
				mode = mode * 8 + (uint32_t)(*c - '0');
			}
			if (!opt[5] || mode > 07777)
				return -EINVAL;
			root->inode->mode = S_IFDIR | mode;
			known = true;
		}
		for (size_t k = 0; !known && accepted[k]; k++) {
			size_t len = kstrlen(accepted[k]);

			known = accepted[k][len - 1] == '='
					? !kstrncmp(opt, accepted[k], len)
					: !kstrcmp(opt, accepted[k]);
		}
		if (*opt && !known)
			return -EINVAL;
		opt = comma;
	}
	return 0;
}

/* A new instance of the file system called type (NULL: -ENODEV). */
static struct dentry *new_fs(const char *type, int *err)
{
	struct dentry *root = NULL;

	*err = 0;
	if (!kstrcmp(type, "tmpfs"))
		root = tmpfs_new();
	else if (!kstrcmp(type, "proc"))
		root = procfs_new();
	else if (!kstrcmp(type, "devtmpfs"))
		root = devfs_new();
	else if (!kstrcmp(type, "sysfs"))
		root = sysfs_new();
	else if (!kstrcmp(type, "devpts"))
		root = devpts_new();
	else
		*err = -ENODEV;
	if (!root && !*err)
		*err = -ENOMEM;
	return root;
}

/* Records mount's data as the mount's shown options (tmpfs's mode=). */
static void note_options(struct mount *m, const char *type, const char *data)
{
	uint32_t mode = m->root->inode->mode & 07777;

	if (!kstrcmp(type, "tmpfs") && mode != 01777)
		ksnprintf(m->options, sizeof(m->options), "mode=%o", mode);
	if (!kstrcmp(type, "devpts"))
		kstrlcpy(m->options, DEVPTS_OPTIONS, sizeof(m->options));
	(void)data;
}

struct mount_args {
	char source[64];
	char type[32];
	char *data; /* MNT_OPTIONS_MAX bytes */
};

static long new_mount(const struct path *at, unsigned long flags,
		      struct mount_args *a)
{
	struct dentry *root;
	struct mount *m;
	int err;

	if (!vfs_is_dir(at->dentry->inode))
		return -ENOTDIR;
	root = new_fs(a->type, &err);
	if (!root)
		return err;
	vfs_lock();
	if (!kstrcmp(a->type, "tmpfs"))
		err = tmpfs_options(root, a->data);
	if (!err)
		err = vfs_mount_flags(root, at, kept_flags(flags),
				      a->source[0] ? a->source : "none", &m);
	if (!err)
		note_options(m, a->type, a->data);
	vfs_dentry_put(root); /* the mount holds it now, or it goes */
	vfs_unlock();
	return err;
}

/* MS_BIND: the file or directory at source also appears at at. */
static long bind_mount(struct proc *proc, uptr_t usource,
		       const struct path *at, unsigned long flags)
{
	struct path src;
	long err = user_lookup(proc, usource, false, &src);

	if (err)
		return err;
	vfs_lock();
	if (vfs_is_dir(src.dentry->inode) != vfs_is_dir(at->dentry->inode))
		err = -ENOTDIR;
	else if (!vfs_is_dir(at->dentry->inode))
		err = -EINVAL; /* Keel's mount points are directories */
	else
		err = vfs_mount_flags(src.dentry, at, kept_flags(flags),
				      src.mnt->source, NULL);
	vfs_unlock();
	file_put_path(&src);
	return err;
}

static long remount(const struct path *at, unsigned long flags)
{
	if (!is_mount_root(at))
		return -EINVAL;
	vfs_lock();
	at->mnt->flags = kept_flags(flags);
	vfs_unlock();
	return 0;
}

/* Copies mount's strings in. type is only needed for a new mount: NULL
 * there is -EINVAL, as Linux's do_new_mount. */
static long mount_args_in(uptr_t source, uptr_t type, uptr_t data,
			  bool needs_type, struct mount_args *a)
{
	long err = user_string(source, a->source, sizeof(a->source));

	if (!err && needs_type && !type.addr)
		return -EINVAL;
	if (!err)
		err = user_string(type, a->type, sizeof(a->type));
	if (!err)
		err = user_string(data, a->data, MNT_OPTIONS_MAX);
	return err;
}

SYSCALL_DEFINE5(mount, uptr_t, source, uptr_t, target, uptr_t, type,
		unsigned long, flags, uptr_t, data)
{
	struct mount_args a;
	struct path at;
	bool changes_only;
	long err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~(unsigned long)MS_MGC_MSK;
	if (!privileged(proc))
		return -EPERM;
	changes_only = flags & (MS_REMOUNT | MS_BIND | MNT_PROPAGATION);
	a.data = kmalloc(MNT_OPTIONS_MAX);
	if (!a.data)
		return -ENOMEM;
	err = mount_args_in(source, type, data, !changes_only, &a);
	if (!err)
		err = user_lookup(proc, target, false, &at);
	if (err) {
		kfree(a.data);
		return err;
	}
	if (flags & MS_REMOUNT)
		err = remount(&at, flags);
	else if (flags & MS_BIND)
		err = bind_mount(proc, source, &at, flags);
	else if (flags & MNT_PROPAGATION)
		err = is_mount_root(&at) ? 0 : -EINVAL;
	else if (flags & MS_MOVE)
		err = -EINVAL; /* not supported: one namespace, fixed tree */
	else
		err = new_mount(&at, flags, &a);
	file_put_path(&at);
	kfree(a.data);
	return err;
}

SYSCALL_DEFINE2(umount2, uptr_t, target, int, flags)
{
	const int known = UAPI_MNT_FORCE | UAPI_MNT_DETACH | UAPI_MNT_EXPIRE |
			  UAPI_UMOUNT_NOFOLLOW;
	struct path at;
	long err;

	if (flags & ~known)
		return -EINVAL;
	if ((flags & UAPI_MNT_EXPIRE) &&
	    (flags & (UAPI_MNT_FORCE | UAPI_MNT_DETACH)))
		return -EINVAL;
	if (!privileged(proc))
		return -EPERM;
	err = user_lookup(proc, target, flags & UAPI_UMOUNT_NOFOLLOW, &at);
	if (err)
		return err;
	vfs_lock();
	if (!is_mount_root(&at))
		err = -EINVAL;
	else if (!at.mnt->parent)
		err = -EBUSY; /* the namespace root is always in use */
	else if (flags & UAPI_MNT_EXPIRE)
		err = -EAGAIN; /* marked; a second call would take it */
	else
		/* at itself holds one path into the mount */
		err = vfs_umount(at.mnt, flags & UAPI_MNT_DETACH, 1);
	vfs_unlock();
	file_put_path(&at);
	return err;
}

SYSCALL_DEFINE1(chroot, uptr_t, upath)
{
	struct path p;
	long err = user_lookup(proc, upath, false, &p);

	if (err)
		return err;
	vfs_lock();
	if (!vfs_is_dir(p.dentry->inode))
		err = -ENOTDIR;
	else
		err = vfs_permission(p.dentry->inode, VFS_MAY_EXEC,
				     cred_current_fs());
	if (!err && !privileged(proc))
		err = -EPERM;
	if (!err)
		fs_set_root(proc, &p);
	vfs_unlock();
	file_put_path(&p);
	return err;
}

/* statfs's answer for the file system p is on: its magic, page-sized
 * blocks, no block or inode counts (memory file systems without a size
 * limit, as Linux's tmpfs with size=0), the mount's flags. */
static void fill_statfs(const struct path *p, struct linux_statfs *st)
{
	static const struct {
		unsigned long ms, st;
	} flag_map[] = {
		{ MS_RDONLY, UAPI_ST_RDONLY },	   { MS_NOSUID, UAPI_ST_NOSUID },
		{ MS_NODEV, UAPI_ST_NODEV },	   { MS_NOEXEC, UAPI_ST_NOEXEC },
		{ MS_SYNCHRONOUS, UAPI_ST_SYNCHRONOUS },
		{ MS_NOATIME, UAPI_ST_NOATIME },   { MS_NODIRATIME, UAPI_ST_NODIRATIME },
		{ MS_RELATIME, UAPI_ST_RELATIME }, { MS_NOSYMFOLLOW, UAPI_ST_NOSYMFOLLOW },
	};
	const struct super_block *sb = p->dentry->inode->sb;
	unsigned long flags = p->mnt ? p->mnt->flags : 0;

	memset(st, 0, sizeof(*st));
	st->f_type = sb->magic;
	st->f_bsize = PAGE_SIZE;
	st->f_frsize = PAGE_SIZE;
	st->f_namelen = VFS_NAME_MAX;
	st->f_fsid[0] = (int32_t)sb->dev;
	st->f_flags = UAPI_ST_VALID;
	for (size_t k = 0; k < ARRAY_SIZE(flag_map); k++)
		if (flags & flag_map[k].ms)
			st->f_flags |= (int64_t)flag_map[k].st;
}

static long statfs_out(const struct path *p, uptr_t buf)
{
	struct linux_statfs st;

	vfs_lock();
	fill_statfs(p, &st);
	vfs_unlock();
	return copy_to_user(buf, &st, sizeof(st));
}

SYSCALL_DEFINE2(statfs, uptr_t, upath, uptr_t, buf)
{
	struct path p;
	long err = user_lookup(proc, upath, false, &p);

	if (err)
		return err;
	err = statfs_out(&p, buf);
	file_put_path(&p);
	return err;
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, uptr_t, buf)
{
	struct file *f = fd_get(proc, (int)fd);
	long err;

	if (!f)
		return -EBADF;
	/* A nameless file (a pipe) has a dentry on its pseudo file system
	 * and no mount: no mount flags. */
	err = statfs_out(&f->path, buf);
	fd_put(f);
	return err;
}
