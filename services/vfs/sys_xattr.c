/*
 * Extended attributes (getxattr(2) and its l/f variants, listxattr,
 * setxattr, removexattr): Keel's file systems keep none and take none, so
 * a file has no attributes to list (0), a get of a name in one of Linux's
 * namespaces (user., trusted., security., system.) is -ENODATA as on a
 * file system that has none stored, an unknown namespace -EOPNOTSUPP, a
 * set -EOPNOTSUPP, a remove -ENODATA. coreutils (ls -l, cp -a), tar and
 * Python ask; each treats these answers as "no attributes". The path or
 * descriptor and the name are checked first, as Linux: -ENOENT & co,
 * -EBADF, -EFAULT, -ERANGE for an empty name or one over XATTR_NAME_MAX.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <svc/syscall.h>
#include <uapi/fcntl.h>

#include "sys_util.h"

#define XATTR_NAME_MAX 255

/* What the call does once its file was found. */
enum xattr_op { XATTR_GET, XATTR_LIST, XATTR_SET, XATTR_REMOVE };

static bool known_namespace(const char *name)
{
	static const char *const prefixes[] = { "user.", "trusted.",
						"security.", "system." };

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (!kstrncmp(name, prefixes[i], kstrlen(prefixes[i])))
			return true;
	return false;
}

/* Copies and checks the attribute name (not for list): 0, -EFAULT,
 * -ERANGE. */
static long check_name(uptr_t uname, char *name)
{
	ssize_t n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);

	if (n == -ENAMETOOLONG || n == 0)
		return -ERANGE;
	return n < 0 ? n : 0;
}

/* The answer for a file that was found, with no attributes at all. */
static long answer(enum xattr_op op, const char *name)
{
	switch (op) {
	case XATTR_LIST:
		return 0;
	case XATTR_GET:
		return known_namespace(name) ? -ENODATA : -EOPNOTSUPP;
	case XATTR_SET:
		return -EOPNOTSUPP;
	default:
		return known_namespace(name) ? -ENODATA : -EOPNOTSUPP;
	}
}

/* op on what upath names (the last symlink followed unless nofollow). */
static long xattr_path(struct proc *proc, uptr_t upath, uptr_t uname,
		       bool nofollow, enum xattr_op op)
{
	char name[XATTR_NAME_MAX + 1] = "";
	struct path p;
	long err = op == XATTR_LIST ? 0 : check_name(uname, name);

	if (err)
		return err;
	err = at_lookup(proc, AT_FDCWD, upath,
			nofollow ? AT_SYMLINK_NOFOLLOW : 0, &p);
	if (err)
		return err;
	file_put_path(&p);
	return answer(op, name);
}

/* op on the file open at fd (not O_PATH: -EBADF). */
static long xattr_fd(struct proc *proc, int fd, uptr_t uname,
		     enum xattr_op op)
{
	char name[XATTR_NAME_MAX + 1] = "";
	struct file *f = fd_get(proc, fd);
	long err;

	if (!f)
		return -EBADF;
	err = f->flags & O_PATH ? -EBADF : 0;
	fd_put(f);
	if (!err && op != XATTR_LIST)
		err = check_name(uname, name);
	return err ? err : answer(op, name);
}

/* getxattr(path, name, value, size): -ENODATA (see above). */
SYSCALL_DEFINE4(getxattr, uptr_t, path, uptr_t, name, uptr_t, value, size_t,
		size)
{
	return xattr_path(proc, path, name, false, XATTR_GET);
}

SYSCALL_DEFINE4(lgetxattr, uptr_t, path, uptr_t, name, uptr_t, value,
		size_t, size)
{
	return xattr_path(proc, path, name, true, XATTR_GET);
}

SYSCALL_DEFINE4(fgetxattr, int, fd, uptr_t, name, uptr_t, value, size_t,
		size)
{
	return xattr_fd(proc, fd, name, XATTR_GET);
}

/* listxattr(path, list, size): 0, no attributes. */
SYSCALL_DEFINE3(listxattr, uptr_t, path, uptr_t, list, size_t, size)
{
	return xattr_path(proc, path, uptr(0), false, XATTR_LIST);
}

SYSCALL_DEFINE3(llistxattr, uptr_t, path, uptr_t, list, size_t, size)
{
	return xattr_path(proc, path, uptr(0), true, XATTR_LIST);
}

SYSCALL_DEFINE3(flistxattr, int, fd, uptr_t, list, size_t, size)
{
	return xattr_fd(proc, fd, uptr(0), XATTR_LIST);
}

/* setxattr(path, name, value, size, flags): -EOPNOTSUPP. */
SYSCALL_DEFINE5(setxattr, uptr_t, path, uptr_t, name, uptr_t, value, size_t,
		size, int, flags)
{
	return xattr_path(proc, path, name, false, XATTR_SET);
}

SYSCALL_DEFINE5(lsetxattr, uptr_t, path, uptr_t, name, uptr_t, value,
		size_t, size, int, flags)
{
	return xattr_path(proc, path, name, true, XATTR_SET);
}

SYSCALL_DEFINE5(fsetxattr, int, fd, uptr_t, name, uptr_t, value, size_t,
		size, int, flags)
{
	return xattr_fd(proc, fd, name, XATTR_SET);
}

/* removexattr(path, name): -ENODATA. */
SYSCALL_DEFINE2(removexattr, uptr_t, path, uptr_t, name)
{
	return xattr_path(proc, path, name, false, XATTR_REMOVE);
}

SYSCALL_DEFINE2(lremovexattr, uptr_t, path, uptr_t, name)
{
	return xattr_path(proc, path, name, true, XATTR_REMOVE);
}

SYSCALL_DEFINE2(fremovexattr, int, fd, uptr_t, name)
{
	return xattr_fd(proc, fd, name, XATTR_REMOVE);
}
