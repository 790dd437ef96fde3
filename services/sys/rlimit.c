/*
 * Resource limits: prlimit64(2), getrlimit(2), setrlimit(2), kept per
 * process (p->rlim, registered as per-process state: a first process gets
 * Linux's defaults, a child its parent's copy). Enforced: RLIMIT_NOFILE
 * (services/vfs/fdtable.c), RLIMIT_AS and RLIMIT_STACK (services/mm/
 * limits.c), RLIMIT_NPROC (services/proc/fork.c); the others are kept
 * and reported (RLIMIT_CORE: Keel writes no core files). Raising a hard
 * limit is root's (CAP_SYS_RESOURCE), up to the ceilings Linux puts
 * above root too (RLIMIT_NOFILE at nr_open); prlimit64 on another process
 * follows Linux's permission rule.
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/syscall.h>
#include <uapi/resource.h>

#define NR_OPEN 1048576ul       /* Linux's fs.nr_open default */
#define STACK_DEFAULT (8ul << 20) /* _STK_LIM */
#define MEMLOCK_DEFAULT (8ul << 20)
#define MQ_BYTES_DEFAULT 819200ul
#define NPROC_DEFAULT 4096ul   /* max_threads / 2 on a small machine */
#define NOFILE_SOFT 1024ul     /* INR_OPEN_CUR */
#define NOFILE_HARD 4096ul     /* INR_OPEN_MAX */

/* Linux's INIT_RLIMITS, as a process started by init sees them. */
static const struct linux_rlimit default_rlim[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_FSIZE] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_DATA] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_STACK] = { STACK_DEFAULT, RLIM_INFINITY },
	[RLIMIT_CORE] = { 0, RLIM_INFINITY },
	[RLIMIT_RSS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_NPROC] = { NPROC_DEFAULT, NPROC_DEFAULT },
	[RLIMIT_NOFILE] = { NOFILE_SOFT, NOFILE_HARD },
	[RLIMIT_MEMLOCK] = { MEMLOCK_DEFAULT, MEMLOCK_DEFAULT },
	[RLIMIT_AS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_LOCKS] = { RLIM_INFINITY, RLIM_INFINITY },
	[RLIMIT_SIGPENDING] = { NPROC_DEFAULT, NPROC_DEFAULT },
	[RLIMIT_MSGQUEUE] = { MQ_BYTES_DEFAULT, MQ_BYTES_DEFAULT },
	[RLIMIT_NICE] = { 0, 0 },
	[RLIMIT_RTPRIO] = { 0, 0 },
	[RLIMIT_RTTIME] = { RLIM_INFINITY, RLIM_INFINITY },
};

static int rlimit_fork(struct proc *parent, struct proc *child,
		       unsigned long flags)
{
	const struct linux_rlimit *from = parent ? parent->rlim : default_rlim;

	for (unsigned i = 0; i < RLIM_NLIMITS; i++)
		child->rlim[i] = from[i];
	return 0;
}

PROC_STATE(rlimit, .fork = rlimit_fork);

/* Checks a new limit for resource as Linux's do_prlimit: -EINVAL for an
 * unknown resource or soft above hard, -EPERM for RLIMIT_NOFILE above
 * nr_open (root too). */
static int check_rlimit(unsigned resource, const struct linux_rlimit *r)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (r && r->rlim_cur > r->rlim_max)
		return -EINVAL;
	if (r && resource == RLIMIT_NOFILE && r->rlim_max > NR_OPEN)
		return -EPERM;
	return 0;
}

/* Linux's check_prlimit_permission: a process may change its own limits;
 * another's when its real ids are all of the target's user and group ids
 * (real, effective, saved), or it is root (CAP_SYS_RESOURCE). proc_lock
 * held. */
static bool may_prlimit(const struct proc *self, const struct proc *t)
{
	const struct proc_cred *c = &self->cred, *tc = &t->cred;

	return self == t || cred_capable(c) ||
	       (c->uid.real == tc->uid.real && c->uid.real == tc->uid.eff &&
		c->uid.real == tc->uid.saved && c->gid.real == tc->gid.real &&
		c->gid.real == tc->gid.eff && c->gid.real == tc->gid.saved);
}

/* The work of all three calls: t's old limit to *old (if old), then new
 * (if new, checked) becomes it; raising the hard limit needs self to be
 * root (CAP_SYS_RESOURCE). With pid (> 0) t is that process, looked up
 * with the permission check. 0, -EINVAL, -ESRCH, -EPERM. A new
 * RLIMIT_STACK or RLIMIT_AS applies from the next fault or mapping
 * (services/mm/limits.c reads the current limits). */
static long do_prlimit(struct proc *self, int pid, unsigned resource,
		       const struct linux_rlimit *new,
		       struct linux_rlimit *old)
{
	struct proc *t;
	int err;

	proc_lock();
	t = pid ? proc_find(pid) : self;
	if (!t)
		err = -ESRCH;
	else if (!may_prlimit(self, t))
		err = -EPERM;
	else
		err = check_rlimit(resource, new);
	if (!err && new && new->rlim_max > t->rlim[resource].rlim_max &&
	    !cred_capable(&self->cred))
		err = -EPERM;
	if (!err && old)
		*old = t->rlim[resource];
	if (!err && new) {
		/* Stores the soft limit last: limits.c reads it unlocked. */
		t->rlim[resource].rlim_max = new->rlim_max;
		__atomic_store_n(&t->rlim[resource].rlim_cur, new->rlim_cur,
				 __ATOMIC_RELAXED);
	}
	proc_unlock();
	return err;
}

/* prlimit64(pid, resource, new, old): pid 0 is the caller. As Linux,
 * the new limit is read first (-EFAULT), the old one written last (the
 * new one is set even when that write faults). */
SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource, uptr_t,
		new_rlim, uptr_t, old_rlim)
{
	struct linux_rlimit new_lim, old_lim;
	long err;

	if (new_rlim.addr &&
	    copy_from_user(&new_lim, new_rlim, sizeof(new_lim)))
		return -EFAULT;
	if (pid < 0)
		return -ESRCH;
	err = do_prlimit(proc, pid, resource, new_rlim.addr ? &new_lim : NULL,
			 old_rlim.addr ? &old_lim : NULL);
	if (!err && old_rlim.addr &&
	    copy_to_user(old_rlim, &old_lim, sizeof(old_lim)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, uptr_t, rlim)
{
	struct linux_rlimit old;
	long err = do_prlimit(proc, 0, resource, NULL, &old);

	if (!err && copy_to_user(rlim, &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, uptr_t, rlim)
{
	struct linux_rlimit new;

	if (copy_from_user(&new, rlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(proc, 0, resource, &new, NULL);
}
