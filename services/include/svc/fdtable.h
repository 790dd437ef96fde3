/*
 * A process's file descriptors and its file system context (cwd, umask),
 * both registered per-process state (PROC_STATE): a first process gets
 * fds 0, 1 and 2 on /dev/console, the root as cwd and umask 022; exec
 * closes the O_CLOEXEC descriptors; exit closes everything. (A fork with
 * a parent will copy the table, or share it for CLONE_FILES, once fork
 * exists: the table is reference counted for that.)
 *
 * All of these take vfs_lock themselves.
 */
#ifndef SVC_FDTABLE_H
#define SVC_FDTABLE_H

#include <keel/types.h>
#include <svc/vfs.h>

#define FD_INLINE 64  /* a table's slots before it grows (NR_OPEN_DEFAULT) */
#define FD_MAX 1048576 /* no table grows past it (fs.nr_open) */

struct proc;

/* The slots are inline_fd/inline_cloexec until an fd past them is
 * wanted; then arrays of Linux's next size (fdtable.c). vfs_lock. */
struct fdtable {
	unsigned refs;
	unsigned size;    /* slots in fd and cloexec (Linux's max_fds) */
	unsigned next_fd; /* no fd below it is free */
	struct file **fd;
	bool *cloexec;
	struct file *inline_fd[FD_INLINE];
	bool inline_cloexec[FD_INLINE];
};

struct fs_state {
	unsigned refs; /* processes sharing it (CLONE_FS), vfs_lock */
	struct path cwd;
	struct path root; /* chroot(2)'s; the namespace root at first */
	uint32_t umask;
};

/* The open file of fd with a reference taken, or NULL (-EBADF). */
struct file *fd_get(struct proc *p, int fd);
/* The table's size (Linux's max_fds: 64, then powers of two from 128 on
 * as it grew; it never shrinks). select looks no further. */
unsigned fd_table_size(struct proc *p);
/* Drops a reference from fd_get (takes vfs_lock). */
void fd_put(struct file *f);
/* How many fds p may have open: its soft RLIMIT_NOFILE, at most FD_MAX.
 * Fds from there on are EMFILE to allocate, EBADF to dup2 onto, EINVAL
 * for F_DUPFD, as Linux; below it the table grows as needed. */
unsigned fd_limit(struct proc *p);
/* Puts f (the caller's reference is taken over) at the lowest free fd >=
 * min. Returns it, or -EMFILE, -ENOMEM (the table could not grow),
 * -EINVAL for min out of range (f released then). */
int fd_install(struct proc *p, struct file *f, int min, bool cloexec);
/* Puts f at fd (closing what was there; a reference taken). -EBADF past
 * the limit, -ENOMEM. */
int fd_install_at(struct proc *p, int fd, struct file *f, bool cloexec);
int fd_close(struct proc *p, int fd);
/* Gives p a table of its own (a copy) when it shares one with another
 * process (CLONE_FILES), as Linux's unshare_files: 0 or -ENOMEM. The
 * threads of one process always share its table. */
int fd_unshare(struct proc *p);
/* close_range: closes the open fds in [first, last] (last capped at
 * the table's end), or with cloexec only marks them close-on-exec. */
void fd_close_range(struct proc *p, unsigned first, unsigned last,
		    bool cloexec);
/* F_GETFD / F_SETFD: FD_CLOEXEC of fd, -EBADF. */
int fd_get_cloexec(struct proc *p, int fd);
int fd_set_cloexec(struct proc *p, int fd, bool on);

/* The caller's cwd (a reference taken) and umask. */
struct path fs_cwd(struct proc *p);
void fs_set_cwd(struct proc *p, const struct path *cwd);
uint32_t fs_umask(struct proc *p, uint32_t *set);
/* chroot(2)'s work: p's root becomes root (vfs_lock held by the caller). */
void fs_set_root(struct proc *p, const struct path *root);

#endif
