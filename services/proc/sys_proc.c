/*
 * System calls about the calling thread and process themselves: exit
 * (the thread), exit_group (every thread), getpid (the thread group id),
 * gettid, getppid, set_tid_address, sched_yield.
 */
#include <keel/task.h>
#include <svc/proc.h>
#include <svc/syscall.h>

/* exit(status): ends the calling thread once this event is done; the
 * last thread's status (& 0xff) is the process's. Returns nothing. */
SYSCALL_DEFINE1(exit, int, status)
{
	thread_exit(thread, status);
	return 0;
}

/* exit_group(status): ends every thread of the process with status &
 * 0xff. */
SYSCALL_DEFINE1(exit_group, int, status)
{
	proc_exit(proc, status);
	return 0;
}

/* getpid(): the process (thread group) id; cannot fail. */
SYSCALL_DEFINE0(getpid)
{
	return proc->pid;
}

/* gettid(): the calling thread's id; cannot fail. */
SYSCALL_DEFINE0(gettid)
{
	return thread->tid;
}

/* getppid(): the parent's pid; 0 for a process init started or one whose
 * parent has exited (handed to init). Cannot fail. */
SYSCALL_DEFINE0(getppid)
{
	int ppid;

	proc_lock();
	ppid = proc->parent ? proc->parent->pid : 0;
	proc_unlock();
	return ppid;
}

/* set_tid_address(tidptr): at the thread's exit, 0 is written at tidptr
 * and a futex waiter there woken (CLONE_CHILD_CLEARTID's address).
 * Returns the caller's tid; cannot fail. */
SYSCALL_DEFINE1(set_tid_address, uptr_t, tidptr)
{
	thread->clear_child_tid = tidptr;
	return thread->tid;
}

/* sched_yield(): lets other tasks run; always 0. */
SYSCALL_DEFINE0(sched_yield)
{
	task_yield();
	return 0;
}
