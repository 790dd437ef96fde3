/*
 * fcntl(2) record locks, POSIX (per process) and OFD (per open file):
 * services/vfs/posix_lock.c.
 */
#ifndef SVC_POSIX_LOCK_H
#define SVC_POSIX_LOCK_H

#include <keel/types.h>

struct proc;
struct file;

/* F_GETLK, F_SETLK, F_SETLKW and the F_OFD_ ones on f for proc, with the
 * user's struct flock at arg. 0 or -EFAULT, -EINVAL, -EBADF (a lock the
 * access mode does not allow), -EAGAIN (F_SETLK: in the way), -EDEADLK,
 * -ERESTARTSYS (a signal during F_SETLKW), -ENOMEM, -EOVERFLOW. */
long posix_lock_fcntl(struct proc *proc, struct file *f, unsigned int cmd,
		      uptr_t arg);
/* p closed a descriptor of f: its POSIX locks on f's file go. */
void posix_locks_close(struct proc *p, struct file *f);
/* p exits: all its POSIX locks go. */
void posix_locks_exit(struct proc *p);
/* The last reference to f went: its OFD locks go (vfs_lock held). */
void ofd_locks_closed(struct file *f);

#endif
