/*
 * The path walk. A path is taken one component at a time from a working
 * copy: "." stays, ".." climbs (leaving a mount through its mount point at
 * the mount's root, staying at the namespace root), a name is looked up
 * in the current directory's entries and a mount on it is crossed into. A
 * symlink met on the way (or last, when following) is expanded by
 * rewriting the rest of the path as "target/rest" and going on from the
 * link's directory (or the root for an absolute target): at most
 * VFS_SYMLOOP_MAX of them in one walk, then -ELOOP, as Linux. A magic
 * link (inode_ops.get_path: /proc/self/fd/N) moves the walk to the path
 * it stands for instead, as Linux's nd_jump_link.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/vfs.h>
#include <uapi/mount.h>

struct walk {
	struct path cur; /* a reference held */
	char *rest;      /* what is left of the path (VFS_PATH_MAX bytes) */
	char *scratch;   /* for rewriting rest around a link target */
	unsigned links;
	const struct vfs_cred *cred;
	struct path root; /* where "/" and ".." stop: the process's root, or
			   * openat2's dirfd (RESOLVE_BENEATH, IN_ROOT) */
	unsigned resolve; /* LOOKUP_NO_SYMLINKS... (openat2's RESOLVE_*) */
};

static bool is_symlink(const struct dentry *d)
{
	return (d->inode->mode & S_IFMT) == S_IFLNK;
}

static void set_cur(struct walk *w, struct path p)
{
	vfs_path_get(&p);
	vfs_path_put(&w->cur);
	w->cur = p;
}

/* Moves w->cur to its parent directory, across mount points: -EXDEV
 * where RESOLVE_BENEATH forbids leaving the root or RESOLVE_NO_XDEV
 * leaving a mount. */
static int step_up(struct walk *w)
{
	struct path p = w->cur;
	struct path root = w->root;

	for (;;) {
		if (p.mnt == root.mnt && p.dentry == root.dentry)
			/* ".." of the root is the root */
			return w->resolve & LOOKUP_BENEATH ? -EXDEV : 0;
		if (p.dentry != p.mnt->root || !p.mnt->parent)
			break;
		if (w->resolve & LOOKUP_NO_XDEV)
			return -EXDEV;
		p = (struct path){ p.mnt->parent, p.mnt->mountpoint };
	}
	if (p.dentry != p.dentry->parent)
		p.dentry = p.dentry->parent;
	set_cur(w, p);
	return 0;
}

/* A jump to the root (an absolute path or link target) as the resolve
 * flags allow it. */
static int jump_root(struct walk *w)
{
	if (w->resolve & LOOKUP_BENEATH)
		return -EXDEV;
	if ((w->resolve & LOOKUP_NO_XDEV) && w->cur.mnt != w->root.mnt)
		return -EXDEV;
	set_cur(w, w->root);
	return 0;
}

/* Whether link is one of procfs's "magic" links (a process's fd/N, exe,
 * cwd, root: they name files, not paths); self and thread-self are
 * plain links. */
static bool is_magic_link(const struct dentry *link)
{
	return link->inode->sb->magic == PROC_SUPER_MAGIC &&
	       kstrcmp(link->name, "self") && kstrcmp(link->name, "thread-self");
}

/* The child called name of w->cur, with the mounts on it crossed. */
static int step_down(struct walk *w, const char *name, size_t len,
		     struct path *out)
{
	struct dentry *d;
	struct path p;
	struct mount *m;
	int err = vfs_dentry_refresh(w->cur.dentry);

	if (err)
		return err;
	d = vfs_dentry_lookup(w->cur.dentry, name, len);
	p = (struct path){ w->cur.mnt, d };
	if (!d)
		return -ENOENT;
	while ((m = vfs_mount_on(p.mnt, p.dentry))) {
		if (w->resolve & LOOKUP_NO_XDEV)
			return -EXDEV;
		p = (struct path){ m, m->root };
	}
	*out = p;
	return 0;
}

/* Replaces rest with "target/after" ("target" alone for a last
 * component without a trailing slash, so that the target's own type
 * decides) and moves to where target starts. */
static int expand_link(struct walk *w, struct dentry *link,
		       const char *after, bool slash)
{
	struct inode *i = link->inode;
	size_t after_len = kstrlen(after);
	size_t sep = after_len || slash ? 1 : 0;
	ssize_t n;

	if (++w->links > VFS_SYMLOOP_MAX)
		return -ELOOP;
	if ((w->resolve & LOOKUP_NO_SYMLINKS) ||
	    ((w->resolve & LOOKUP_NO_MAGICLINKS) && is_magic_link(link)))
		return -ELOOP;
	n = i->iops->readlink(i, w->scratch, VFS_PATH_MAX);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	if ((size_t)n + sep + after_len + 1 > VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (sep)
		w->scratch[n] = '/';
	memcpy(w->scratch + n + sep, after, after_len + 1);
	memcpy(w->rest, w->scratch, (size_t)n + sep + after_len + 1);
	return w->rest[0] == '/' ? jump_root(w) : 0;
}

/* Follows link if it is a magic link: the walk moves to its path. 1 when
 * it did, 0 for an ordinary link, -ELOOP past VFS_SYMLOOP_MAX, or the
 * link's error. */
static int jump_link(struct walk *w, struct dentry *link)
{
	struct inode *i = link->inode;
	struct path to;
	int err;

	if (!i->iops || !i->iops->get_path)
		return 0;
	err = i->iops->get_path(i, &to);
	if (err == -EINVAL)
		return 0;
	if (err)
		return err;
	/* openat2's restrictions, as Linux's nd_jump_link */
	if (++w->links > VFS_SYMLOOP_MAX ||
	    (w->resolve & (LOOKUP_NO_MAGICLINKS | LOOKUP_NO_SYMLINKS))) {
		vfs_path_put(&to);
		return -ELOOP;
	}
	if ((w->resolve & LOOKUP_NO_XDEV) && to.mnt != w->cur.mnt) {
		vfs_path_put(&to);
		return -EXDEV;
	}
	set_cur(w, to);
	vfs_path_put(&to);
	return 1;
}

/*
 * Walks w->rest. With last non-NULL it stops before the last component
 * and copies it there ("." for a path of slashes only); otherwise it
 * walks everything, following a final symlink when follow is set.
 * *slash says whether the path ended with '/'.
 */
static int walk_path(struct walk *w, char *last, bool follow, bool *slash)
{
	for (;;) {
		char *name = w->rest, *after;
		size_t len;
		bool is_last;
		struct path next;
		int err;

		while (*name == '/')
			name++;
		if (!*name) {
			if (last)
				kstrlcpy(last, ".", VFS_NAME_MAX + 1);
			return 0;
		}
		for (len = 0; name[len] && name[len] != '/'; len++)
			;
		after = name + len;
		*slash = *after == '/';
		while (*after == '/')
			after++;
		is_last = !*after;
		if (len > VFS_NAME_MAX)
			return -ENAMETOOLONG;
		if (!vfs_is_dir(w->cur.dentry->inode))
			return -ENOTDIR;
		if (is_last && last) {
			memcpy(last, name, len);
			last[len] = '\0';
			return 0;
		}
		err = vfs_permission(w->cur.dentry->inode, VFS_MAY_EXEC,
				     w->cred);
		if (err)
			return err;
		if (len == 1 && name[0] == '.') {
			/* stays */
		} else if (len == 2 && name[0] == '.' && name[1] == '.') {
			err = step_up(w);
			if (err)
				return err;
		} else {
			err = step_down(w, name, len, &next);
			if (err)
				return err;
			if (is_symlink(next.dentry) &&
			    (!is_last || follow || *slash)) {
				/* after points into rest: move it first. */
				memmove(w->rest, after, kstrlen(after) + 1);
				err = jump_link(w, next.dentry);
				if (!err)
					err = expand_link(w, next.dentry,
							  w->rest, *slash);
				if (err < 0)
					return err;
				continue;
			}
			set_cur(w, next);
		}
		memmove(w->rest, after, kstrlen(after) + 1);
	}
}

/* Sets w up for path from start; the path must fit VFS_PATH_MAX. The
 * resolve flags of flags (LOOKUP_BENEATH, LOOKUP_IN_ROOT) make start the
 * root. */
static int walk_begin(struct walk *w, const struct path *start,
		      const char *path, unsigned flags)
{
	size_t len = kstrlen(path);

	if (!*path)
		return -ENOENT;
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	w->rest = kmalloc(2 * VFS_PATH_MAX);
	if (!w->rest)
		return -ENOMEM;
	w->scratch = w->rest + VFS_PATH_MAX;
	memcpy(w->rest, path, len + 1);
	w->links = 0;
	w->cred = cred_current_fs();
	w->resolve = flags & LOOKUP_RESOLVE;
	w->root = flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT) ? *start
							   : vfs_proc_root();
	w->cur = start && start->dentry ? *start : w->root;
	vfs_path_get(&w->cur);
	if (path[0] == '/') {
		int err = jump_root(w);

		if (err) {
			vfs_path_put(&w->cur);
			kfree(w->rest);
		}
		return err;
	}
	return 0;
}

static void walk_end(struct walk *w)
{
	kfree(w->rest);
}

int vfs_lookup(const struct path *start, const char *path, unsigned flags,
	       struct path *out)
{
	struct walk w;
	bool slash = false;
	int err;

	if (!path[0] && (flags & LOOKUP_EMPTY)) {
		*out = *start;
		vfs_path_get(out);
		return 0;
	}
	err = walk_begin(&w, start, path, flags);
	if (err)
		return err;
	err = walk_path(&w, NULL, flags & LOOKUP_FOLLOW, &slash);
	if (!err && (slash || (flags & LOOKUP_DIRECTORY)) &&
	    !vfs_is_dir(w.cur.dentry->inode))
		err = -ENOTDIR;
	walk_end(&w);
	if (err) {
		vfs_path_put(&w.cur);
		return err;
	}
	*out = w.cur;
	return 0;
}

int vfs_lookup_parent(const struct path *start, const char *path,
		      struct path *parent, char *last, bool *trailing_slash)
{
	return vfs_lookup_parent_flags(start, path, 0, parent, last,
				       trailing_slash);
}

int vfs_lookup_parent_flags(const struct path *start, const char *path,
			    unsigned flags, struct path *parent, char *last,
			    bool *trailing_slash)
{
	struct walk w;
	int err = walk_begin(&w, start, path, flags);

	*trailing_slash = false;
	if (err)
		return err;
	err = walk_path(&w, last, false, trailing_slash);
	walk_end(&w);
	if (!err && !vfs_is_dir(w.cur.dentry->inode))
		err = -ENOTDIR;
	if (err) {
		vfs_path_put(&w.cur);
		return err;
	}
	*parent = w.cur;
	return 0;
}

int vfs_path_name(const struct path *p, char *buf, size_t size)
{
	struct path root = vfs_proc_root();
	struct path cur = *p;
	size_t pos = size;

	if (!p->mnt)
		return -ENOENT; /* a nameless file (a pipe, an eventfd) */
	if (size < 2)
		return -ERANGE;
	buf[--pos] = '\0';
	while (!(cur.mnt == root.mnt && cur.dentry == root.dentry)) {
		size_t len;

		if (cur.dentry == cur.mnt->root && !cur.mnt->parent)
			break; /* outside a chroot: named from the real root */
		if (cur.dentry == cur.mnt->root) {
			cur = (struct path){ cur.mnt->parent,
					     cur.mnt->mountpoint };
			continue;
		}
		if (!cur.dentry->attached)
			return -ENOENT;
		len = kstrlen(cur.dentry->name);
		if (len + 1 > pos)
			return -ERANGE;
		pos -= len;
		memcpy(buf + pos, cur.dentry->name, len);
		buf[--pos] = '/';
		cur.dentry = cur.dentry->parent;
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return (int)(size - pos);
}
