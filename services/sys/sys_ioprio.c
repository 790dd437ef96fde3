/*
 * ioprio_set(2) and ioprio_get(2): each thread's I/O priority, a class
 * (bits 13-15: none, real-time, best-effort, idle) and a level (bits
 * 0-2; bits 3-12 are hints), as Linux's block/ioprio.c. A new thread
 * inherits it (services/proc/proc.c); Keel has no block I/O to weigh it
 * by, so it is recorded and reported only.
 *
 * IOPRIO_WHO_PROCESS names one thread by its tid (0: the caller),
 * IOPRIO_WHO_PGRP the threads of a process group (0: the caller's),
 * IOPRIO_WHO_USER those of the processes whose real uid is who (0 is
 * root, not the caller). Setting checks the value first (real-time needs
 * root: -EPERM; an unknown class, or a level for "none": -EINVAL), then
 * per thread that the caller's real or effective uid is the target's
 * real uid, or root (-EPERM, which stops a group's walk there). Getting
 * a thread returns its value as set (0 when none was); over a group or a
 * user it returns the best (numerically least) of the priorities the
 * threads' I/O would get, where a thread with none set gets its nice
 * value's level (nice + 20) / 5 in the best-effort class (real-time for
 * a real-time policy, idle for SCHED_IDLE). No thread: -ESRCH; an unknown
 * which: -EINVAL.
 */
#include <keel/errno.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/sched.h>

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3

#define IOPRIO_CLASS_NONE 0
#define IOPRIO_CLASS_RT 1
#define IOPRIO_CLASS_BE 2
#define IOPRIO_CLASS_IDLE 3

#define IOPRIO_CLASS(v) (((v) >> 13) & 7)
#define IOPRIO_LEVEL(v) ((v) & 7)
#define IOPRIO_VALUE(class, level) (((class) << 13) | (level))

/* Linux's ioprio_check_cap. */
static long check_value(int value, const struct proc_cred *caller)
{
	switch (IOPRIO_CLASS(value)) {
	case IOPRIO_CLASS_RT:
		return cred_capable(caller) ? 0 : -EPERM;
	case IOPRIO_CLASS_BE:
	case IOPRIO_CLASS_IDLE:
		return 0;
	case IOPRIO_CLASS_NONE:
		return IOPRIO_LEVEL(value) ? -EINVAL : 0;
	default:
		return -EINVAL;
	}
}

/* The priority t's I/O gets: its own, else one from its nice value and
 * policy (Linux's __get_task_ioprio). */
static int effective(const struct thread *t)
{
	int class = IOPRIO_CLASS_BE;

	if (IOPRIO_CLASS(t->ioprio) != IOPRIO_CLASS_NONE)
		return t->ioprio;
	if (t->sched_policy == SCHED_IDLE)
		class = IOPRIO_CLASS_IDLE;
	else if (t->sched_policy == SCHED_FIFO || t->sched_policy == SCHED_RR)
		class = IOPRIO_CLASS_RT;
	return IOPRIO_VALUE(class, (t->nice + 20) / 5);
}

/* One ioprio_set or ioprio_get over the matching threads. */
struct ioprio_op {
	int which;
	int who;
	bool set;
	int value;
	struct proc_cred caller;
	long result; /* -ESRCH until a thread matches */
};

/* Linux's set_task_ioprio, then the walk's bookkeeping; false stops a
 * group's walk (a refused thread). */
static bool one_thread(struct thread *t, struct ioprio_op *op)
{
	uint32_t owner = t->proc->cred.uid.real;

	if (!op->set) {
		int v = op->which == IOPRIO_WHO_PROCESS ? t->ioprio
							: effective(t);

		if (op->result < 0 || v < op->result)
			op->result = v;
		return true;
	}
	if (owner != op->caller.uid.eff && owner != op->caller.uid.real &&
	    !cred_capable(&op->caller)) {
		op->result = -EPERM;
		return false;
	}
	t->ioprio = (uint16_t)op->value;
	op->result = 0;
	return true;
}

static int one_proc(struct proc *p, void *arg)
{
	struct ioprio_op *op = arg;
	struct list_head *pos;

	if (op->which == IOPRIO_WHO_PGRP ? p->pgid != op->who
					 : p->cred.uid.real != (uint32_t)op->who)
		return 0;
	list_for_each(pos, &p->threads)
		if (!one_thread(list_entry(pos, struct thread, link), op))
			return 1; /* stops proc_for_each */
	return 0;
}

static long ioprio_do(struct thread *self, struct proc *proc,
		      struct ioprio_op *op)
{
	op->caller = cred_of(proc); /* before proc_lock: it takes it */
	if (op->set) {
		long err = check_value(op->value, &op->caller);

		if (err)
			return err;
	}
	if (op->which < IOPRIO_WHO_PROCESS || op->which > IOPRIO_WHO_USER)
		return -EINVAL;
	op->result = -ESRCH;
	proc_lock();
	if (op->which == IOPRIO_WHO_PROCESS) {
		struct thread *t = op->who ? thread_find(op->who) : self;

		if (t)
			one_thread(t, op);
	} else {
		if (op->which == IOPRIO_WHO_PGRP && !op->who)
			op->who = proc->pgid;
		if (op->which == IOPRIO_WHO_USER || op->who > 0)
			proc_for_each(one_proc, op);
	}
	proc_unlock();
	return op->result;
}

SYSCALL_DEFINE3(ioprio_set, int, which, int, who, int, ioprio)
{
	struct ioprio_op op = {
		.which = which, .who = who, .set = true, .value = ioprio,
	};

	return ioprio_do(thread, proc, &op);
}

SYSCALL_DEFINE2(ioprio_get, int, which, int, who)
{
	struct ioprio_op op = { .which = which, .who = who };

	return ioprio_do(thread, proc, &op);
}
