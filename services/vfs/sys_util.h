/*
 * What the file system call handlers (sys_*.c) share: copying a path
 * from user memory and resolving the *at() directory argument.
 */
#ifndef VFS_SYS_UTIL_H
#define VFS_SYS_UTIL_H

#include <keel/types.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/vfs.h>

struct proc;

/* Copies the user path at u into a new VFS_PATH_MAX buffer (*out, to
 * kfree). 0, -EFAULT, -ENAMETOOLONG, -ENOMEM. An empty path is copied
 * (the callers say -ENOENT or use AT_EMPTY_PATH). */
int user_path(uptr_t u, char **out);

/* Where path starts for dirfd: the cwd for AT_FDCWD or an absolute path,
 * else the directory open at dirfd (-EBADF, -ENOTDIR). A reference is
 * held on *start. */
int at_start(struct proc *p, int dirfd, const char *path,
	     struct path *start);

/*
 * The file a *at() call with AT_SYMLINK_NOFOLLOW / AT_EMPTY_PATH semantics
 * names: upath relative to dirfd, the last symlink followed unless
 * at_flags has AT_SYMLINK_NOFOLLOW, an empty path naming dirfd's file
 * itself when at_flags has AT_EMPTY_PATH (-ENOENT without). *out holds a
 * reference (file_put_path). Errors as path lookup, -EFAULT, -EBADF.
 */
int at_lookup(struct proc *p, int dirfd, uptr_t upath, int at_flags,
	      struct path *out);

/* Around a file's read/write/ioctl: vfs_lock, unless its ops lock
 * themselves (file_ops.own_lock). */
void file_io_lock(struct file *f);
void file_io_unlock(struct file *f);

/* Release a path from at_start or at_lookup (takes vfs_lock); a file
 * from fd_get goes with fd_put. */
void file_put_path(const struct path *p);

#endif
