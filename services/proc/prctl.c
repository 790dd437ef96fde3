/*
 * The process options of prctl(2) (the rest are in services/sys/
 * sys_thread.c): PR_SET/GET_PDEATHSIG (a signal to this process when the
 * parent thread that made it exits: proc.c sends it), PR_SET/GET_
 * CHILD_SUBREAPER (orphans below it come to it instead of init: proc.c's
 * new_reaper_locked), PR_SET/GET_DUMPABLE (0 or 1; Keel writes no core
 * files, so it changes only what is reported; an id change sets 0 and exec
 * 1 again, as Linux with suid_dumpable 0), PR_SET/GET_NO_NEW_PRIVS (set
 * once, kept over fork and exec; Keel has no set-id exec for it to stop).
 */
#include <keel/errno.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <uapi/signal.h>

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_CHILD_SUBREAPER 36
#define PR_GET_CHILD_SUBREAPER 37
#define PR_SET_NO_NEW_PRIVS 38
#define PR_GET_NO_NEW_PRIVS 39

/* Writes v as an int to user address arg (the PR_GET_* that do). */
static long put_int(unsigned long arg, int v)
{
	return copy_u32_to_user(uptr(arg), (uint32_t)v) ? -EFAULT : 0;
}

/* Sets *field to v under proc_lock. */
static void set_locked(int *field, int v)
{
	proc_lock();
	*field = v;
	proc_unlock();
}

long proc_prctl(struct proc *p, int option, unsigned long arg2,
		unsigned long arg3, unsigned long arg4, unsigned long arg5)
{
	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > UAPI_NSIG)
			return -EINVAL;
		set_locked(&p->pdeath_signal, (int)arg2);
		return 0;
	case PR_GET_PDEATHSIG:
		return put_int(arg2, __atomic_load_n(&p->pdeath_signal,
						     __ATOMIC_RELAXED));
	case PR_SET_CHILD_SUBREAPER:
		proc_lock();
		p->subreaper = arg2 != 0;
		proc_unlock();
		return 0;
	case PR_GET_CHILD_SUBREAPER:
		return put_int(arg2, __atomic_load_n(&p->subreaper,
						     __ATOMIC_RELAXED));
	case PR_GET_DUMPABLE:
		return __atomic_load_n(&p->dumpable, __ATOMIC_RELAXED);
	case PR_SET_DUMPABLE:
		if (arg2 > 1) /* SUID_DUMP_ROOT (2) is not settable */
			return -EINVAL;
		set_locked(&p->dumpable, (int)arg2);
		return 0;
	case PR_SET_NO_NEW_PRIVS:
		if (arg2 != 1 || arg3 || arg4 || arg5)
			return -EINVAL;
		__atomic_store_n(&p->no_new_privs, true, __ATOMIC_RELAXED);
		return 0;
	case PR_GET_NO_NEW_PRIVS:
		if (arg2 || arg3 || arg4 || arg5)
			return -EINVAL;
		return __atomic_load_n(&p->no_new_privs, __ATOMIC_RELAXED);
	default:
		return -EINVAL;
	}
}
