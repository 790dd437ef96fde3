/*
 * The resource limits memory enforces, as Linux: RLIMIT_AS caps the
 * bytes of all regions together (mmap, brk and a growing mremap fail with
 * -ENOMEM past it: may_expand_vm), and RLIMIT_STACK caps how far the main
 * stack may grow down from its top (a fault further down is not resolved
 * and ends as SIGSEGV: acct_stack_growth). Both are the calling
 * process's soft limits at the time of the call or fault (Linux's
 * rlimit()), so a setrlimit applies at once, and a kernel task has none.
 * The main stack region is declared whole at exec (ELF_STACK_SIZE, 8 MiB)
 * and counts whole towards RLIMIT_AS; its pages come on demand.
 */
#include <keel/errno.h>
#include <keel/vm.h>
#include <svc/elf.h>
#include <svc/proc.h>
#include <svc/vmar.h>
#include <uapi/resource.h>

#include "vmar_internal.h"

/* The caller's soft limit of resource, RLIM_INFINITY without a process. */
static uint64_t limit_of(unsigned resource)
{
	struct proc *p = proc_current();

	if (!p)
		return RLIM_INFINITY;
	return __atomic_load_n(&p->rlim[resource].rlim_cur, __ATOMIC_RELAXED);
}

/* Bytes of v's regions inside [start, end). Needs v->lock. */
static uint64_t covered(struct vmar *v, uintptr_t start, uintptr_t end)
{
	struct list_head *pos;
	uint64_t n = 0;

	list_for_each(pos, &v->regions) {
		struct vmar_region *r =
			list_entry(pos, struct vmar_region, link);
		uintptr_t lo = MAX(r->start, start), hi = MIN(r->end, end);

		if (lo < hi)
			n += hi - lo;
	}
	return n;
}

int vmar_as_may_grow(struct vmar *v, uint64_t bytes)
{
	uint64_t limit = limit_of(RLIMIT_AS);

	if (limit == RLIM_INFINITY)
		return 0;
	return bytes > limit || covered(v, 0, UINTPTR_MAX) > limit - bytes
		       ? -ENOMEM
		       : 0;
}

int vmar_as_may_map(struct vmar *v, uintptr_t start, uintptr_t end)
{
	return vmar_as_may_grow(v, (end - start) - covered(v, start, end));
}

uintptr_t vmar_fault_floor(struct vmar *v, const struct vmar_region *r)
{
	uint64_t limit;

	(void)v;
	if (r->end != elf_stack_top())
		return r->start;
	limit = limit_of(RLIMIT_STACK);
	if (limit >= r->end - r->start)
		return r->start;
	return ALIGN_UP(r->end - limit, PAGE_SIZE);
}
