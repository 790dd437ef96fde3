/*
 * Memory system calls: brk. Linux semantics: the result is the new break,
 * or the unchanged current one when the request cannot be met (never an
 * errno).
 */
#include <svc/proc.h>
#include <svc/vmar.h>

#include "sys.h"

/* brk(addr): the new break, or the current one when addr is 0 or cannot
 * be granted (see vmar_brk). */
long sys_brk(struct proc *p, struct user_ctx *ctx, const uint64_t *args)
{
	return (long)vmar_brk(&p->vmar, (uintptr_t)args[0]);
}
