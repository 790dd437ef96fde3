/*
 * getpgrp(2), which only x86-64 has as a call (the generic ABI's libcs
 * use getpgid(0)): the caller's process group.
 */
#include <svc/proc.h>
#include <svc/syscall.h>

SYSCALL_DEFINE0(getpgrp)
{
	int pgid;

	proc_lock();
	pgid = proc->pgid;
	proc_unlock();
	return pgid;
}
