/*
 * The scheduling policy calls of sched(7): sched_setscheduler(2),
 * sched_getscheduler(2), sched_setparam(2), sched_getparam(2),
 * sched_get_priority_max/min(2) and sched_rr_get_interval(2), per thread
 * (a pid names a thread by its tid, 0 the caller), with Linux's checks
 * (kernel/sched/syscalls.c): SCHED_NORMAL, SCHED_BATCH and SCHED_IDLE
 * take priority 0, SCHED_FIFO and SCHED_RR 1..99, SCHED_DEADLINE only
 * through sched_setattr (so -EINVAL here); SCHED_RESET_ON_FORK may be
 * or'ed into the policy. Without root a thread may not take a real-time
 * policy or raise its priority beyond RLIMIT_RTPRIO, leave SCHED_IDLE
 * unless RLIMIT_NICE allows its nice value, change another user's
 * thread, or clear SCHED_RESET_ON_FORK (all -EPERM).
 *
 * The values are recorded, inherited (services/proc/proc.c) and shown in
 * /proc/<pid>/stat; Keel's scheduler does not weigh them: every thread
 * gets the same slice, which sched_rr_get_interval reports (0 for
 * SCHED_FIFO, whose slice is unbounded).
 */
#include <keel/errno.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/resource.h>
#include <uapi/sched.h>
#include <uapi/time.h>

#define RT_PRIO_MAX 99
#define KEEP_POLICY (-1) /* sched_setparam: Linux's SETPARAM_POLICY */

struct sched_param_abi {
	int sched_priority;
};

static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool valid_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE || rt_policy(policy);
}

/* A change the caller asked for, checked and applied under proc_lock. */
struct policy_change {
	int policy;         /* KEEP_POLICY: the thread's own */
	bool reset_on_fork; /* meaningful unless KEEP_POLICY */
	unsigned int prio;
	struct proc_cred caller;
};

/* Linux's user_check_sched_setscheduler: may a caller without root make
 * change c to thread t? */
static bool unprivileged_may(const struct thread *t,
			     const struct policy_change *c, int policy,
			     bool reset_on_fork)
{
	const struct proc *p = t->proc;
	uint64_t rtprio = p->rlim[RLIMIT_RTPRIO].rlim_cur;
	uint64_t nice_rlim = (uint64_t)(20 - t->nice);

	if (rt_policy(policy)) {
		if (policy != t->sched_policy && !rtprio)
			return false;
		if (c->prio > (unsigned int)t->rt_priority && c->prio > rtprio)
			return false;
	}
	if (t->sched_policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    nice_rlim > p->rlim[RLIMIT_NICE].rlim_cur)
		return false;
	if (c->caller.uid.eff != p->cred.uid.eff &&
	    c->caller.uid.eff != p->cred.uid.real)
		return false;
	return !t->sched_reset_on_fork || reset_on_fork;
}

/* Linux's __sched_setscheduler for thread t (proc_lock held). */
static long apply_change(struct thread *t, const struct policy_change *c)
{
	int policy = c->policy;
	bool reset_on_fork = c->reset_on_fork;

	if (policy == KEEP_POLICY) {
		policy = t->sched_policy;
		reset_on_fork = t->sched_reset_on_fork;
	} else if (!valid_policy(policy)) {
		return -EINVAL;
	}
	if (c->prio > RT_PRIO_MAX || rt_policy(policy) != (c->prio != 0))
		return -EINVAL;
	if (!cred_capable(&c->caller) &&
	    !unprivileged_may(t, c, policy, reset_on_fork))
		return -EPERM;
	t->sched_policy = policy;
	t->rt_priority = (int)c->prio;
	t->sched_reset_on_fork = reset_on_fork;
	return 0;
}

/* sched_setscheduler and sched_setparam: Linux's do_sched_setscheduler
 * (the order of its checks: arguments, the copy, the thread). */
static long set_policy(struct thread *self, struct proc *proc, int pid,
		       struct policy_change *c, uptr_t param)
{
	struct sched_param_abi sp;
	struct thread *t;
	long err;

	if (!param.addr || pid < 0)
		return -EINVAL;
	if (copy_from_user(&sp, param, sizeof(sp)))
		return -EFAULT;
	c->prio = (unsigned int)sp.sched_priority;
	c->caller = cred_of(proc); /* before proc_lock: it takes it */
	proc_lock();
	t = pid ? thread_find(pid) : self;
	err = t ? apply_change(t, c) : -ESRCH;
	proc_unlock();
	return err;
}

SYSCALL_DEFINE3(sched_setscheduler, int, pid, int, policy, uptr_t, param)
{
	struct policy_change c = {
		.policy = policy & ~SCHED_RESET_ON_FORK,
		.reset_on_fork = (policy & SCHED_RESET_ON_FORK) != 0,
	};

	if (policy < 0)
		return -EINVAL;
	return set_policy(thread, proc, pid, &c, param);
}

SYSCALL_DEFINE2(sched_setparam, int, pid, uptr_t, param)
{
	struct policy_change c = { .policy = KEEP_POLICY };

	return set_policy(thread, proc, pid, &c, param);
}

/* What the get calls report of a thread. */
struct sched_view {
	int policy;
	int rt_priority;
	bool reset_on_fork;
};

/* Thread pid's scheduling fields (0: the caller); -EINVAL for a negative
 * pid, -ESRCH when there is none. */
static long read_thread(struct thread *self, int pid, struct sched_view *out)
{
	struct thread *t;

	if (pid < 0)
		return -EINVAL;
	proc_lock();
	t = pid ? thread_find(pid) : self;
	if (t) {
		out->policy = t->sched_policy;
		out->rt_priority = t->rt_priority;
		out->reset_on_fork = t->sched_reset_on_fork;
	}
	proc_unlock();
	return t ? 0 : -ESRCH;
}

SYSCALL_DEFINE1(sched_getscheduler, int, pid)
{
	struct sched_view t;
	long err = read_thread(thread, pid, &t);

	if (err)
		return err;
	return t.policy | (t.reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

SYSCALL_DEFINE2(sched_getparam, int, pid, uptr_t, param)
{
	struct sched_param_abi sp = { 0 };
	struct sched_view t;
	long err;

	if (!param.addr)
		return -EINVAL;
	err = read_thread(thread, pid, &t);
	if (err)
		return err;
	sp.sched_priority = t.rt_priority;
	return copy_to_user(param, &sp, sizeof(sp));
}

SYSCALL_DEFINE1(sched_get_priority_max, int, policy)
{
	if (rt_policy(policy))
		return RT_PRIO_MAX;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

SYSCALL_DEFINE1(sched_get_priority_min, int, policy)
{
	if (rt_policy(policy))
		return 1;
	return valid_policy(policy) || policy == SCHED_DEADLINE ? 0 : -EINVAL;
}

SYSCALL_DEFINE2(sched_rr_get_interval, int, pid, uptr_t, interval)
{
	struct linux_timespec ts = { 0 };
	struct sched_view t;
	long err = read_thread(thread, pid, &t);

	if (err)
		return err;
	if (t.policy != SCHED_FIFO)
		ts.tv_nsec = SCHED_SLICE_NS;
	return copy_to_user(interval, &ts, sizeof(ts));
}
