/*
 * A process's memory as registered per-process state (<svc/proc_state.h>):
 * its address space (p->vs) and the map of its regions (p->vmar), held
 * together in a struct proc_mm that CLONE_VM processes share (counted);
 * a fork gets a copy-on-write copy of both (vm_space_fork: MAP_SHARED
 * memory stays shared), a first process an empty pair, and exec a new
 * pair (mm_new, mm_install: <svc/vmar.h>).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/vm.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/vmar.h>
#include <uapi/sched.h>

/* The space and regions of one or more processes (CLONE_VM). */
struct proc_mm {
	struct vmar vmar; /* first: p->vmar points here */
	int refs;         /* processes using it (proc_lock) */
};

static struct proc_mm *mm_of(struct vmar *v)
{
	return container_of(v, struct proc_mm, vmar);
}

/* A proc_mm around vs, whose reference it takes over; NULL on -ENOMEM. */
static struct proc_mm *mm_wrap(struct vm_space *vs)
{
	struct proc_mm *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->refs = 1;
	vmar_init(&mm->vmar, vs);
	return mm;
}

int mm_new(struct vm_space **vs, struct vmar **v)
{
	struct vm_space *space = vm_space_create();
	struct proc_mm *mm;

	if (!space)
		return -ENOMEM;
	mm = mm_wrap(space);
	if (!mm) {
		vm_space_put(space);
		return -ENOMEM;
	}
	*vs = space;
	*v = &mm->vmar;
	return 0;
}

/* Drops one user of v (and its space); the last one frees both. */
static void mm_put(struct vm_space *vs, struct vmar *v)
{
	struct proc_mm *mm = mm_of(v);
	bool last;

	proc_lock();
	last = --mm->refs == 0;
	proc_unlock();
	if (!last)
		return;
	vmar_destroy(v);
	kfree(mm);
	vm_space_put(vs);
}

void mm_discard(struct vm_space *vs, struct vmar *v)
{
	mm_put(vs, v);
}

void mm_install(struct proc *p, struct vm_space *vs, struct vmar *v)
{
	struct vm_space *old_vs;
	struct vmar *old_v;

	/* Under proc_lock: the out-of-memory killer reads every process's
	 * space there (services/proc/oom.c). */
	proc_lock();
	old_vs = p->vs;
	old_v = p->vmar;
	p->vs = vs;
	p->vmar = v;
	proc_unlock();
	if (old_v)
		mm_put(old_vs, old_v);
}

/* A copy of parent's regions and space for a fork. 0 or -ENOMEM. */
static int mm_copy(struct proc *parent, struct proc *child)
{
	struct vm_space *vs;
	struct proc_mm *mm;
	int err = vm_space_fork(parent->vs, &vs);

	if (err)
		return err;
	mm = mm_wrap(vs);
	if (!mm) {
		vm_space_put(vs);
		return -ENOMEM;
	}
	err = vmar_copy(&mm->vmar, parent->vmar);
	if (err) {
		mm_put(vs, &mm->vmar);
		return err;
	}
	child->vs = vs;
	child->vmar = &mm->vmar;
	return 0;
}

/* A first process gets an empty address space, a CLONE_VM child its
 * parent's, a fork a copy. 0 or -ENOMEM; child is untouched on failure. */
static int mm_fork(struct proc *parent, struct proc *child,
		   unsigned long flags)
{
	if (!parent)
		return mm_new(&child->vs, &child->vmar);
	if (!(flags & CLONE_VM))
		return mm_copy(parent, child);
	proc_lock();
	mm_of(parent->vmar)->refs++; /* it holds the space's reference */
	proc_unlock();
	child->vs = parent->vs;
	child->vmar = parent->vmar;
	return 0;
}

/* Drops the process's share of its space and regions. */
static void mm_exit(struct proc *p)
{
	if (!p->vs)
		return;
	mm_put(p->vs, p->vmar);
	p->vs = NULL;
	p->vmar = NULL;
}

PROC_STATE(mm, .fork = mm_fork, .exit = mm_exit);
