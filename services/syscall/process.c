/*
 * System calls about the calling process itself: exit, exit_group,
 * getpid, set_tid_address, sched_yield. Processes have one thread, so its
 * thread id is the pid and exit ends the process.
 */
#include <keel/task.h>
#include <svc/proc.h>

#include "sys.h"

/* exit(status): ends the thread, here the process, with status & 0xff
 * once this event is done. Nothing is returned to user code. */
long sys_exit(struct proc *p, struct user_ctx *ctx, const uint64_t *args)
{
	proc_exit(p, (int)args[0]);
	return 0;
}

/* exit_group(status): ends the process with status & 0xff. */
long sys_exit_group(struct proc *p, struct user_ctx *ctx,
		    const uint64_t *args)
{
	proc_exit(p, (int)args[0]);
	return 0;
}

/* getpid(): the process id; cannot fail. */
long sys_getpid(struct proc *p, struct user_ctx *ctx, const uint64_t *args)
{
	return p->pid;
}

/* set_tid_address(tidptr): returns the caller's thread id (the pid); the
 * clear-child-tid pointer matters for threads only, so it is not kept.
 * Cannot fail. */
long sys_set_tid_address(struct proc *p, struct user_ctx *ctx,
			 const uint64_t *args)
{
	return p->pid;
}

/* sched_yield(): lets other tasks run; always 0. */
long sys_sched_yield(struct proc *p, struct user_ctx *ctx,
		     const uint64_t *args)
{
	task_yield();
	return 0;
}
