/*
 * The work of the file system calls that x86-64 also has under older
 * names (open, creat, stat, mkdir, unlink, rename...): the handlers in
 * services/arch/x86_64/vfs_legacy.c call these with AT_FDCWD, as Linux's
 * do_sys_open and friends.
 */
#ifndef SVC_VFS_SYS_H
#define SVC_VFS_SYS_H

#include <keel/types.h>

struct proc;

long vfs_sys_openat(struct proc *proc, int dirfd, uptr_t path, int flags,
		    unsigned int mode);
long vfs_sys_fstatat(struct proc *proc, int dirfd, uptr_t path,
		     uptr_t statbuf, int flags);
long vfs_sys_mkdirat(struct proc *proc, int dirfd, uptr_t path,
		     unsigned int mode);
long vfs_sys_unlinkat(struct proc *proc, int dirfd, uptr_t path, int flags);
long vfs_sys_renameat2(struct proc *proc, int olddirfd, uptr_t oldpath,
		       int newdirfd, uptr_t newpath, unsigned int flags);
long vfs_sys_linkat(struct proc *proc, int olddirfd, uptr_t oldpath,
		    int newdirfd, uptr_t newpath, int flags);
long vfs_sys_symlinkat(struct proc *proc, uptr_t target, int newdirfd,
		       uptr_t linkpath);
long vfs_sys_readlinkat(struct proc *proc, int dirfd, uptr_t path,
			uptr_t buf, int bufsiz);
long vfs_sys_dup3(struct proc *proc, int oldfd, int newfd, int flags);
long vfs_sys_mknodat(struct proc *proc, int dirfd, uptr_t path,
		     unsigned int mode, unsigned int dev);
long vfs_sys_fchmodat(struct proc *proc, int dirfd, uptr_t path,
		      unsigned int mode, int flags);
long vfs_sys_fchownat(struct proc *proc, int dirfd, uptr_t path,
		      unsigned int uid, unsigned int gid, int flags);
long vfs_sys_faccessat(struct proc *proc, int dirfd, uptr_t path, int mode,
		       int flags);
struct linux_timespec;
/* utimensat after the times were copied in (NULL: both now). */
long vfs_sys_utimes(struct proc *proc, int dirfd, uptr_t path,
		    const struct linux_timespec *ts, int flags);

/* ---- exec (services/vfs/exec_file.c) -------------------------------- */

struct file;
struct vfs_cred;

/*
 * Opens the program path names for execve: relative to dirfd (AT_FDCWD:
 * p's cwd; p NULL: the root), following symlinks unless at_flags has
 * AT_SYMLINK_NOFOLLOW (then a link is -ELOOP), the file open at dirfd
 * itself for an empty path with AT_EMPTY_PATH. 0 with *out (one
 * reference: vfs_file_put under vfs_lock), or -ENOENT, -ENOTDIR, -ELOOP,
 * -ENAMETOOLONG, -EBADF, -EACCES (not a regular file, no execute or read
 * permission, no search permission on the way), -ETXTBSY (open for
 * writing). The file denies writes to itself (vfs_deny_write) until its
 * last vfs_file_put.
 */
int vfs_open_exec(struct proc *p, int dirfd, const char *path,
		  int at_flags, const struct vfs_cred *cred, struct file **out);

/* Reads the whole of f (at most max bytes, else -ENOMEM) into a new
 * buffer *data (kfree) of *size bytes. -EACCES for a file that cannot be
 * read into kernel memory, -ENOMEM. */
int vfs_read_whole(struct file *f, size_t max, void **data, size_t *size);

#endif
