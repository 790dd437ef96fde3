/*
 * A process's memory as registered per-process state (<svc/proc_state.h>):
 * its address space (p->vs) and the map of its regions (p->vmar), made
 * for a new process and released when it exits.
 */
#include <keel/errno.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/vmar.h>

/* A first process gets an empty address space; copying a parent's is not
 * written yet, so a fork with a parent is refused. Returns 0, -ENOSYS or
 * -ENOMEM; child is untouched on failure. */
static int mm_fork(struct proc *parent, struct proc *child)
{
	struct vm_space *vs;

	if (parent)
		return -ENOSYS;
	vs = vm_space_create();
	if (!vs)
		return -ENOMEM;
	child->vs = vs;
	vmar_init(&child->vmar, vs);
	return 0;
}

/* Unmaps everything and drops the process's reference to its space. */
static void mm_exit(struct proc *p)
{
	if (!p->vs)
		return;
	vmar_destroy(&p->vmar);
	vm_space_put(p->vs);
	p->vs = NULL;
}

PROC_STATE(mm, .fork = mm_fork, .exit = mm_exit);
