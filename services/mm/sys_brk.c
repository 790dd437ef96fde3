/*
 * brk(2). Linux semantics: the result is the new break, or the unchanged
 * current one when the request cannot be met (never an errno); the work is
 * vmar_brk's (brk.c).
 */
#include <svc/proc.h>
#include <svc/syscall.h>
#include <svc/vmar.h>

/* brk(addr): the new break, or the current one when addr is 0 or cannot
 * be granted. addr is a plain number here: it is never dereferenced. */
SYSCALL_DEFINE1(brk, unsigned long, addr)
{
	return (long)vmar_brk(proc->vmar, (uintptr_t)addr);
}
