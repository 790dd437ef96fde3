/*
 * The processes procfs shows, as registered per-process state
 * (PROC_STATE): each process is on one list, with a copy of what it
 * executed (procfs_note_exec), from its fork until it is freed
 * (procfs_forget: a zombie stays listed until it is reaped, as Linux's;
 * its exec record goes at exit, as Linux's mm), under one mutex. A
 * generator holds the mutex while it reads a process, and procfs_forget
 * takes it, so the struct proc a generator uses cannot go away
 * meanwhile. The parts other services own (files, memory) may be released
 * before the exit hook runs, so generators read them only for the
 * calling process (procfs_proc_self).
 *
 * Lock order: vfs_lock, then this mutex (reads and lookups come with
 * vfs_lock held; the exit hook takes only this one).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/list.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/procfs.h>

#include "procfs_internal.h"

struct entry {
	struct list_head link;
	struct proc *proc;
	struct procfs_exec exec;
};

static struct mutex reg_lock;
static bool reg_ready;
static struct list_head reg = LIST_HEAD_INIT(reg);

/* Like vfs_lock: no task (early boot, unit tests), nothing to exclude. */
static void lock(void)
{
	if (!task_current())
		return;
	if (!reg_ready) {
		mutex_init(&reg_lock, "procfs");
		reg_ready = true;
	}
	mutex_lock(&reg_lock);
}

static void unlock(void)
{
	if (task_current())
		mutex_unlock(&reg_lock);
}

static struct entry *find(const struct proc *p)
{
	struct list_head *pos;

	list_for_each(pos, &reg) {
		struct entry *e = list_entry(pos, struct entry, link);

		if (e->proc == p)
			return e;
	}
	return NULL;
}

static void exec_free(struct procfs_exec *x)
{
	kfree(x->exe);
	kfree(x->args);
	kfree(x->env);
	memset(x, 0, sizeof(*x));
}

/* A copy of the strings back to back, each with its NUL. */
static char *join(const char *const *v, size_t *len)
{
	size_t n = 0;
	char *out, *at;

	for (size_t i = 0; v && v[i]; i++)
		n += kstrlen(v[i]) + 1;
	out = kmalloc(n ? n : 1);
	if (!out)
		return NULL;
	at = out;
	for (size_t i = 0; v && v[i]; i++) {
		size_t l = kstrlen(v[i]) + 1;

		memcpy(at, v[i], l);
		at += l;
	}
	*len = n;
	return out;
}

static int copy_exec(struct procfs_exec *to, const struct procfs_exec *from)
{
	to->exe = kstrdup(from->exe ? from->exe : "");
	to->args = kmalloc(from->args_len + 1);
	to->env = kmalloc(from->env_len + 1);
	if (!to->exe || !to->args || !to->env) {
		exec_free(to);
		return -ENOMEM;
	}
	if (from->args)
		memcpy(to->args, from->args, from->args_len);
	if (from->env)
		memcpy(to->env, from->env, from->env_len);
	to->args_len = from->args_len;
	to->env_len = from->env_len;
	return 0;
}

/* A child runs what its parent ran until it executes something else. */
static int reg_fork(struct proc *parent, struct proc *child,
		       unsigned long flags)
{
	struct entry *e = kzalloc(sizeof(*e)), *pe;
	struct procfs_exec none = { 0 };
	int err;

	if (!e)
		return -ENOMEM;
	e->proc = child;
	lock();
	pe = parent ? find(parent) : NULL;
	err = copy_exec(&e->exec, pe ? &pe->exec : &none);
	if (!err)
		list_add_tail(&e->link, &reg);
	unlock();
	if (err)
		kfree(e);
	return err;
}

/* Removes p's entry (registry locked); the entry to free, or NULL. */
static struct entry *unlink_locked(struct proc *p)
{
	struct entry *e = find(p);

	if (e)
		list_del(&e->link);
	return e;
}

static void entry_free(struct entry *e)
{
	if (e)
		exec_free(&e->exec);
	kfree(e);
}

/* At exit the process becomes a zombie and keeps its entry without an
 * exec record (an empty cmdline, no exe); the undo of a fork that never
 * ran (PROC_NEW) removes it. */
static void reg_exit(struct proc *p)
{
	struct procfs_exec gone = { 0 };
	struct entry *e;

	lock();
	if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PROC_NEW) {
		e = unlink_locked(p);
		unlock();
		entry_free(e);
		return;
	}
	e = find(p);
	if (e) {
		gone = e->exec;
		memset(&e->exec, 0, sizeof(e->exec));
	}
	unlock();
	exec_free(&gone);
}

void procfs_forget(struct proc *p)
{
	struct entry *e;

	lock();
	e = unlink_locked(p);
	unlock();
	entry_free(e);
}

PROC_STATE(procfs, .fork = reg_fork, .exit = reg_exit);

void procfs_note_exec(struct proc *p, const char *path,
		      const char *const *argv, const char *const *envp)
{
	struct procfs_exec x = { 0 };
	struct entry *e;

	x.exe = kstrdup(path);
	x.args = join(argv, &x.args_len);
	x.env = join(envp, &x.env_len);
	if (!x.exe || !x.args || !x.env) {
		exec_free(&x);
		return;
	}
	lock();
	e = find(p);
	if (e) {
		struct procfs_exec old = e->exec;

		e->exec = x;
		x = old;
	}
	unlock();
	exec_free(&x);
}

struct proc *procfs_proc_get(int pid)
{
	struct list_head *pos;

	lock();
	list_for_each(pos, &reg) {
		struct entry *e = list_entry(pos, struct entry, link);

		if (e->proc->pid == pid)
			return e->proc;
	}
	unlock();
	return NULL;
}

void procfs_proc_put(void)
{
	unlock();
}

bool procfs_proc_self(const struct proc *p)
{
	return p && p == proc_current();
}

const struct procfs_exec *procfs_exec_of(const struct proc *p)
{
	struct entry *e = find(p);

	return e ? &e->exec : NULL;
}

size_t procfs_pids(int *pids, size_t max)
{
	struct list_head *pos;
	size_t n = 0;

	lock();
	list_for_each(pos, &reg) {
		struct entry *e = list_entry(pos, struct entry, link);
		size_t k = n;

		if (n == max)
			break;
		/* insertion sort: a handful of processes */
		while (k > 0 && pids[k - 1] > e->proc->pid) {
			pids[k] = pids[k - 1];
			k--;
		}
		pids[k] = e->proc->pid;
		n++;
	}
	unlock();
	return n;
}
