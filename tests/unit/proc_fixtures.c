/*
 * A process of the unit tests' own (see proc_fixtures.h).
 */
#include "proc_fixtures.h"

#include <string.h>

#include <svc/proc_state.h>
#include <svc/procfs.h>

#include "../../services/proc/proc_internal.h"

void fixture_proc(struct proc *p, struct thread *t, int pid)
{
	memset(p, 0, sizeof(*p));
	memset(t, 0, sizeof(*t));
	p->pid = p->pgid = p->sid = pid;
	strcpy(p->name, "test");
	p->state = PROC_RUNNING;
	p->exit_signal = SIGCHLD;
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->threads);
	waitq_init(&p->exit_wq, "test exit");
	waitq_init(&p->child_wq, "test child");
	waitq_init(&p->thread_wq, "test thread");
	waitq_init(&p->stop_wq, "test stop");
	ck_assert_int_eq(proc_state_fork(NULL, p, 0), 0);
	t->proc = p;
	strcpy(t->name, p->name);
	signal_thread_init(t, NULL, false);
	proc_lock();
	thread_attach_locked(t, pid);
	proc_table_add_locked(p);
	proc_unlock();
}

void fixture_thread(struct proc *p, struct thread *t, int tid)
{
	memset(t, 0, sizeof(*t));
	t->proc = p;
	strcpy(t->name, p->name);
	signal_thread_init(t, NULL, false);
	proc_lock();
	thread_attach_locked(t, tid);
	proc_unlock();
}

void fixture_thread_leave(struct thread *t)
{
	proc_lock();
	list_del(&t->link);
	t->proc->nr_threads--;
	proc_unlock();
}

void fixture_proc_zombie(struct proc *p)
{
	proc_lock();
	list_init(&p->threads);
	p->nr_threads = 0;
	p->state = PROC_ZOMBIE;
	proc_unlock();
	proc_state_exit(p);
}

void fixture_proc_reap(struct proc *p)
{
	proc_lock();
	proc_table_del_locked(p);
	p->state = PROC_REAPED;
	proc_unlock();
	procfs_forget(p); /* as proc_release: procfs keeps nothing of it */
}

void fixture_proc_done(struct proc *p)
{
	fixture_proc_zombie(p);
	fixture_proc_reap(p);
}
