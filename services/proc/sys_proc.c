/*
 * System calls about the calling process itself: exit, exit_group,
 * getpid, set_tid_address, sched_yield. Processes have one thread, so its
 * thread id is the pid and exit ends the process.
 */
#include <keel/task.h>
#include <svc/proc.h>
#include <svc/syscall.h>

/* exit(status): ends the thread, here the process, with status & 0xff
 * once this event is done. Nothing is returned to user code. */
SYSCALL_DEFINE1(exit, int, status)
{
	proc_exit(proc, status);
	return 0;
}

/* exit_group(status): ends the process with status & 0xff. */
SYSCALL_DEFINE1(exit_group, int, status)
{
	proc_exit(proc, status);
	return 0;
}

/* getpid(): the process id; cannot fail. */
SYSCALL_DEFINE0(getpid)
{
	return proc->pid;
}

/* set_tid_address(tidptr): returns the caller's thread id (the pid); the
 * clear-child-tid pointer matters for threads only, so it is not kept.
 * Cannot fail. */
SYSCALL_DEFINE1(set_tid_address, uptr_t, tidptr)
{
	return proc->pid;
}

/* sched_yield(): lets other tasks run; always 0. */
SYSCALL_DEFINE0(sched_yield)
{
	task_yield();
	return 0;
}
