/*
 * Credentials (see <svc/cred.h>): Linux's rules for changing the user and
 * group ids (kernel/sys.c), the counted group lists, the per-process
 * state (a first process is root with no supplementary groups, a child
 * gets its parent's credentials, exec makes the saved and fs ids the
 * effective ones), and each thread's copy for the VFS.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <svc/cred.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/vfs.h>

/* ---- The rules ------------------------------------------------------ */

static bool is_one_of(uint32_t id, const struct cred_ids *ids)
{
	return id == ids->real || id == ids->eff || id == ids->saved;
}

int cred_ids_set(struct cred_ids *ids, uint32_t id, bool capable)
{
	if (id == CRED_ID_NONE)
		return -EINVAL;
	if (capable)
		ids->real = ids->saved = id;
	else if (id != ids->real && id != ids->saved)
		return -EPERM;
	ids->eff = ids->fs = id;
	return 0;
}

int cred_ids_set_re(struct cred_ids *ids, uint32_t real, uint32_t eff,
		    bool capable)
{
	struct cred_ids n = *ids;

	if (real != CRED_ID_NONE) {
		if (!capable && real != ids->real && real != ids->eff)
			return -EPERM;
		n.real = real;
	}
	if (eff != CRED_ID_NONE) {
		if (!capable && !is_one_of(eff, ids))
			return -EPERM;
		n.eff = eff;
	}
	if (real != CRED_ID_NONE || (eff != CRED_ID_NONE && eff != ids->real))
		n.saved = n.eff;
	n.fs = n.eff;
	*ids = n;
	return 0;
}

/* Is id "unchanged" or one the caller already has? */
static bool allowed_res(uint32_t id, const struct cred_ids *ids)
{
	return id == CRED_ID_NONE || is_one_of(id, ids);
}

int cred_ids_set_res(struct cred_ids *ids, uint32_t real, uint32_t eff,
		     uint32_t saved, bool capable)
{
	if (!capable && !(allowed_res(real, ids) && allowed_res(eff, ids) &&
			  allowed_res(saved, ids)))
		return -EPERM;
	if (real != CRED_ID_NONE)
		ids->real = real;
	if (eff != CRED_ID_NONE)
		ids->eff = eff;
	if (saved != CRED_ID_NONE)
		ids->saved = saved;
	ids->fs = ids->eff;
	return 0;
}

uint32_t cred_ids_set_fs(struct cred_ids *ids, uint32_t id, bool capable)
{
	uint32_t old = ids->fs;

	if (id != CRED_ID_NONE && (capable || is_one_of(id, ids) || id == old))
		ids->fs = id;
	return old;
}

void cred_ids_exec(struct cred_ids *ids)
{
	ids->saved = ids->fs = ids->eff;
}

bool cred_secure_exec(const struct proc_cred *c)
{
	return c->uid.eff != c->uid.real || c->gid.eff != c->gid.real;
}

void cred_exec_set_effective(struct proc *p, uint32_t euid, uint32_t egid)
{
	proc_lock();
	p->cred.uid.eff = euid;
	p->cred.gid.eff = egid;
	proc_unlock();
}

/* ---- Group lists ---------------------------------------------------- */

/* Insertion sort: lists are short (a handful of groups), and this keeps
 * the order Linux's groups_sort gives (ascending, duplicates kept). */
static void sort_ids(uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = v[i], j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

struct cred_groups *cred_groups_new(const uint32_t *gid, uint32_t n)
{
	struct cred_groups *g;

	if (n > CRED_NGROUPS_MAX)
		return NULL;
	g = kmalloc(sizeof(*g) + (size_t)n * sizeof(uint32_t));
	if (!g)
		return NULL;
	g->refs = 1;
	g->n = n;
	if (n)
		memcpy(g->gid, gid, (size_t)n * sizeof(uint32_t));
	sort_ids(g->gid, n);
	return g;
}

void cred_groups_get(struct cred_groups *g)
{
	if (g)
		__atomic_add_fetch(&g->refs, 1, __ATOMIC_RELAXED);
}

void cred_groups_put(struct cred_groups *g)
{
	if (g && __atomic_sub_fetch(&g->refs, 1, __ATOMIC_ACQ_REL) == 0)
		kfree(g);
}

bool vfs_cred_in_group(const struct vfs_cred *c, uint32_t gid)
{
	uint32_t lo = 0, hi;

	if (c->gid == gid)
		return true;
	if (!c->groups)
		return false;
	hi = c->groups->n;
	while (lo < hi) { /* binary search of the sorted list */
		uint32_t mid = lo + (hi - lo) / 2;

		if (c->groups->gid[mid] == gid)
			return true;
		if (c->groups->gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* ---- Per-process state ---------------------------------------------- */

static int cred_fork(struct proc *parent, struct proc *child,
		     unsigned long flags)
{
	(void)flags;
	if (!parent) {
		memset(&child->cred, 0, sizeof(child->cred)); /* root */
	} else {
		proc_lock();
		child->cred = parent->cred;
		cred_groups_get(child->cred.groups);
		proc_unlock();
	}
	child->cred_gen = 1;
	return 0;
}

static int cred_exec(struct proc *p)
{
	proc_lock();
	cred_ids_exec(&p->cred.uid);
	cred_ids_exec(&p->cred.gid);
	/* Linux's begin_new_exec: dumpable again unless the ids differ. */
	p->dumpable = !cred_secure_exec(&p->cred);
	p->cred_gen++;
	proc_unlock();
	return 0;
}

static void cred_exit(struct proc *p)
{
	struct cred_groups *g;

	proc_lock();
	g = p->cred.groups;
	p->cred.groups = NULL;
	proc_unlock();
	cred_groups_put(g);
}

PROC_STATE(cred, .fork = cred_fork, .exec = cred_exec, .exit = cred_exit);

struct proc_cred cred_of(struct proc *p)
{
	struct proc_cred c;

	proc_lock();
	c = p->cred;
	proc_unlock();
	c.groups = NULL;
	return c;
}

bool cred_proc_capable(struct proc *p)
{
	struct proc_cred c = cred_of(p);

	return cred_capable(&c);
}

/* ---- Each thread's copy --------------------------------------------- */

void cred_thread_refresh(struct thread *t)
{
	struct proc *p = t->proc;
	struct cred_groups *old;

	if (__atomic_load_n(&p->cred_gen, __ATOMIC_ACQUIRE) == t->cred.gen)
		return;
	old = t->cred.fs.groups;
	proc_lock();
	t->cred.fs.uid = p->cred.uid.fs;
	t->cred.fs.gid = p->cred.gid.fs;
	t->cred.fs.groups = p->cred.groups;
	cred_groups_get(t->cred.fs.groups);
	t->cred.gen = p->cred_gen;
	proc_unlock();
	cred_groups_put(old);
}

void cred_thread_release(struct thread *t)
{
	cred_groups_put(t->cred.fs.groups);
	t->cred.fs.groups = NULL;
	t->cred.gen = 0;
}

const struct vfs_cred *cred_current_fs(void)
{
	struct thread *t = thread_current();

	if (!t)
		return &VFS_ROOT_CRED;
	if (!t->cred.gen) /* the first use: nothing to release */
		cred_thread_refresh(t);
	return t->cred.override ? t->cred.override : &t->cred.fs;
}

struct vfs_cred cred_current_real(void)
{
	struct thread *t = thread_current();
	struct vfs_cred c = VFS_ROOT_CRED;
	struct proc_cred ids;

	if (!t)
		return c;
	ids = cred_of(t->proc);
	c.uid = ids.uid.real;
	c.gid = ids.gid.real;
	c.groups = cred_current_fs()->groups;
	return c;
}

void cred_override_begin(const struct vfs_cred *c)
{
	struct thread *t = thread_current();

	if (t)
		t->cred.override = c;
}

void cred_override_end(void)
{
	struct thread *t = thread_current();

	if (t)
		t->cred.override = NULL;
}
