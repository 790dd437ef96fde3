/*
 * getpriority(2) and setpriority(2): each thread's nice value (-20..19;
 * 0 for the first process, inherited by a fork and a new thread, kept
 * across exec), as Linux. PRIO_PROCESS names one thread by its tid (0:
 * the caller), PRIO_PGRP every thread of a process group (0: the
 * caller's), PRIO_USER every thread of the processes whose real uid is
 * who (0: the caller's). getpriority returns 20 - nice of the
 * highest-priority match (1..40: the libc turns it back into a nice
 * value); setpriority clamps the value to -20..19 and, per thread, needs
 * the caller's effective uid to be the target's real or effective uid
 * (else -EPERM) and, to lower the value, the target's RLIMIT_NICE to
 * allow 20 - value or root (else -EACCES). No match: -ESRCH; an unknown
 * which: -EINVAL. The value is recorded and reported (also in the pid
 * directory's stat); Keel's scheduler does not weigh it yet.
 */
#include <keel/errno.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/resource.h>

#define NICE_MIN (-20)
#define NICE_MAX 19

/* One getpriority or setpriority over the matching threads. */
struct prio_op {
	int which;
	int who;           /* resolved: a tid, a pgid or a uid */
	bool set;
	int nice;          /* the value to set */
	struct proc_cred caller;
	long result;       /* -ESRCH until a thread matches */
};

/* Linux's set_one_prio for thread t (proc_lock held): the running error
 * becomes 0 on success, or -EPERM / -EACCES. */
static void set_one(struct thread *t, struct prio_op *op)
{
	const struct proc *p = t->proc;
	bool root = cred_capable(&op->caller);
	uint64_t rlim = p->rlim[RLIMIT_NICE].rlim_cur;

	if (!root && p->cred.uid.real != op->caller.uid.eff &&
	    p->cred.uid.eff != op->caller.uid.eff) {
		op->result = -EPERM;
		return;
	}
	if (op->nice < t->nice && !root &&
	    (uint64_t)(20 - op->nice) > rlim) {
		op->result = -EACCES;
		return;
	}
	if (op->result == -ESRCH)
		op->result = 0;
	t->nice = op->nice;
}

static void one_thread(struct thread *t, struct prio_op *op)
{
	if (op->set) {
		set_one(t, op);
		return;
	}
	if (20 - t->nice > op->result)
		op->result = 20 - t->nice;
}

/* Every thread of p when p matches a PRIO_PGRP or PRIO_USER op. */
static int one_proc(struct proc *p, void *arg)
{
	struct prio_op *op = arg;
	struct list_head *pos;

	if (op->which == PRIO_PGRP ? p->pgid != op->who
				   : p->cred.uid.real != (uint32_t)op->who)
		return 0;
	list_for_each(pos, &p->threads)
		one_thread(list_entry(pos, struct thread, link), op);
	return 0;
}

static long prio_do(struct thread *self, struct proc *proc,
		    struct prio_op *op)
{
	if (op->which < PRIO_PROCESS || op->which > PRIO_USER)
		return -EINVAL;
	op->caller = cred_of(proc); /* before proc_lock: it takes it */
	op->result = -ESRCH;
	proc_lock();
	if (op->which == PRIO_PROCESS) {
		struct thread *t = op->who ? thread_find(op->who) : self;

		if (t)
			one_thread(t, op);
	} else {
		if (!op->who)
			op->who = op->which == PRIO_PGRP
					  ? proc->pgid
					  : (int)op->caller.uid.real;
		if (op->which == PRIO_USER || op->who > 0)
			proc_for_each(one_proc, op);
	}
	proc_unlock();
	return op->result;
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	struct prio_op op = { .which = which, .who = who };

	return prio_do(thread, proc, &op);
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	struct prio_op op = { .which = which, .who = who, .set = true };

	op.nice = niceval < NICE_MIN ? NICE_MIN
				     : niceval > NICE_MAX ? NICE_MAX : niceval;
	return prio_do(thread, proc, &op);
}
