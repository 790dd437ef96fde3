/*
 * The process table: every process that has not been reaped (running or
 * zombie) on one list, its threads on its own; lookups by pid and tid,
 * and pid allocation as Linux's alloc_pid: the next free number after
 * the last one given, wrapping at pid_max to RESERVED_PIDS (300), so
 * that numbers are not reused soon. A number is free when no live thread
 * has it as tid and no process has it as pid, process group or session
 * (Linux keeps a struct pid while any of them uses it). The scan itself
 * is pid_next() (pid_alloc.c), which the unit tests drive directly.
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <svc/proc.h>

#include "proc_internal.h"

static struct spinlock table_lock = SPINLOCK_INIT("proc table");
static struct list_head all_procs = LIST_HEAD_INIT(all_procs);
static struct pid_cursor cursor = { .next = 1, .max = PID_MAX_DEFAULT };

void proc_lock(void)
{
	spin_lock(&table_lock);
}

void proc_unlock(void)
{
	spin_unlock(&table_lock);
}

bool proc_locked(void)
{
	return spin_held(&table_lock);
}

struct proc *proc_find(int pid)
{
	struct list_head *pos;

	if (pid <= 0)
		return NULL;
	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);

		if (p->pid == pid)
			return p;
	}
	return NULL;
}

struct thread *thread_find(int tid)
{
	struct list_head *pos, *tpos;

	if (tid <= 0)
		return NULL;
	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);

		list_for_each(tpos, &p->threads) {
			struct thread *t =
				list_entry(tpos, struct thread, link);

			if (t->tid == tid)
				return t;
		}
	}
	return NULL;
}

int proc_for_each(int (*fn)(struct proc *p, void *arg), void *arg)
{
	struct list_head *pos, *next;

	list_for_each_safe(pos, next, &all_procs) {
		int r = fn(list_entry(pos, struct proc, all), arg);

		if (r)
			return r;
	}
	return 0;
}

/* Is nr in use as a tid, pid, process group or session? */
static bool pid_busy(int nr, void *arg)
{
	struct list_head *pos;

	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);

		if (p->pid == nr || p->pgid == nr || p->sid == nr)
			return true;
	}
	return thread_find(nr) != NULL;
}

/* Forks since boot (threads included) and the last pid given; proc_lock. */
static unsigned long forks_total;
static int last_pid;

int pid_alloc_locked(void)
{
	int nr = pid_next(&cursor, pid_busy, NULL);

	if (nr > 0) {
		forks_total++;
		last_pid = nr;
	}
	return nr;
}

void proc_counts(struct proc_counts *out)
{
	struct list_head *pos;

	*out = (struct proc_counts){ .threads = 0 };
	proc_lock();
	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);

		out->threads += p->nr_threads ? p->nr_threads : 1;
	}
	out->forks = forks_total;
	out->last_pid = last_pid;
	proc_unlock();
}

int proc_count_tasks_locked(uint32_t uid)
{
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &all_procs) {
		struct proc *p = list_entry(pos, struct proc, all);

		if (p->cred.uid.real != uid)
			continue;
		/* A zombie's leader is still a task until it is reaped. */
		n += p->nr_threads ? p->nr_threads : 1;
	}
	return n;
}

void proc_table_add_locked(struct proc *p)
{
	list_add_tail(&p->all, &all_procs);
}

void proc_table_del_locked(struct proc *p)
{
	list_del(&p->all);
	list_init(&p->all);
}
