/*
 * System calls about the calling process itself: exit, exit_group,
 * getpid, set_tid_address, sched_yield. Processes have one thread, so its
 * thread id is the pid and exit ends the process.
 */
#include <keel/task.h>
#include <svc/proc.h>

#include "sys.h"

long sys_exit(struct proc *p, const uint64_t *args)
{
	proc_exit(p, (int)args[0]);
	return 0;
}

long sys_exit_group(struct proc *p, const uint64_t *args)
{
	proc_exit(p, (int)args[0]);
	return 0;
}

long sys_getpid(struct proc *p, const uint64_t *args)
{
	(void)args;
	return p->pid;
}

/* The clear-child-tid pointer matters for threads only; returns the tid. */
long sys_set_tid_address(struct proc *p, const uint64_t *args)
{
	(void)args;
	return p->pid;
}

long sys_sched_yield(struct proc *p, const uint64_t *args)
{
	(void)p;
	(void)args;
	task_yield();
	return 0;
}
