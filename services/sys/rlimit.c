/*
 * Resource limits: prlimit64(2), getrlimit(2), setrlimit(2), kept per
 * process (p->rlim, registered as per-process state: a first process gets
 * Linux's defaults, a child its parent's copy). Keel enforces none of them
 * yet; they are recorded and reported so that libcs and programs that read
 * them (glibc's stack and fd-table sizing, `ulimit`) see Linux's values.
 * Every process is root, so raising a hard limit is allowed, up to the
 * ceilings Linux puts above root too (RLIMIT_NOFILE at nr_open).
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
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

/* Checks a new limit for resource as Linux's do_prlimit: -EINVAL when
 * soft exceeds hard, -EPERM for RLIMIT_NOFILE above nr_open. */
static int check_rlimit(unsigned resource, const struct linux_rlimit *r)
{
	if (r->rlim_cur > r->rlim_max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && r->rlim_max > NR_OPEN)
		return -EPERM;
	return 0;
}

/* The work of all three calls on the caller's limits: reads the new one
 * (if any) and checks it before anything changes, then stores the old one
 * (if asked) and the new. 0, -EINVAL (resource), -EFAULT, -EPERM. */
static long do_prlimit(struct proc *p, unsigned resource, uptr_t new_uptr,
		       uptr_t old_uptr)
{
	struct linux_rlimit new_lim, old_lim;
	int err;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new_uptr.addr) {
		if (copy_from_user(&new_lim, new_uptr, sizeof(new_lim)))
			return -EFAULT;
		err = check_rlimit(resource, &new_lim);
		if (err)
			return err;
	}
	old_lim = p->rlim[resource];
	if (old_uptr.addr &&
	    copy_to_user(old_uptr, &old_lim, sizeof(old_lim)))
		return -EFAULT;
	if (new_uptr.addr)
		p->rlim[resource] = new_lim;
	return 0;
}

/* prlimit64(pid, resource, new, old): pid 0 or the caller's own; other
 * processes cannot be looked up yet, so they are -ESRCH. */
SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource, uptr_t,
		new_rlim, uptr_t, old_rlim)
{
	if (pid < 0)
		return -EINVAL;
	if (pid != 0 && pid != proc->pid)
		return -ESRCH;
	return do_prlimit(proc, resource, new_rlim, old_rlim);
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, uptr_t, rlim)
{
	return do_prlimit(proc, resource, uptr(0), rlim);
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, uptr_t, rlim)
{
	return do_prlimit(proc, resource, rlim, uptr(0));
}
