/*
 * Controlling terminals as the tty needs them for job control, kept as
 * registered per-process state (PROC_STATE); the process group and
 * session are the process service's (struct proc's pgid, sid: setpgid,
 * setsid). A process init starts leads its own session and group with
 * the console as its controlling terminal and in its foreground; a
 * forked child inherits its parent's terminal, as fork(2) keeps it; a
 * process that left the session its terminal belongs to (setsid) has
 * none. The records live in one list under an
 * interrupt-safe lock, because the console's interrupt handler signals
 * groups (^C) through job_signal_pgrp.
 *
 * The exit hook takes a process off the list before its signal state is
 * freed: hooks exit in reverse link order and services/signal links
 * before services/tty, so a ^C never reaches a freed signal state.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/list.h>
#include <keel/string.h>
#include <keel/sync.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/signal.h>

#include "tty_core.h"
#include "tty_internal.h"

struct job {
	struct list_head link;
	struct proc *proc;
	struct job_info info;
};

static struct spinlock job_lock = SPINLOCK_INIT("tty jobs");
static struct list_head jobs = LIST_HEAD_INIT(jobs);

/* p's record; caller holds job_lock. */
static struct job *find(struct proc *p)
{
	struct list_head *pos;

	list_for_each(pos, &jobs) {
		struct job *j = list_entry(pos, struct job, link);

		if (j->proc == p)
			return j;
	}
	return NULL;
}

/* The child's record copies the parent's in one step under job_lock, so
 * a terminal that hangs up meanwhile (job_tty_hangup) is never left in
 * it. */
static int job_fork(struct proc *parent, struct proc *child,
		    unsigned long flags)
{
	struct job *j = kzalloc(sizeof(*j));
	struct job *pj = NULL;

	if (!j)
		return -ENOMEM;
	j->proc = child;
	j->info = (struct job_info){ child->pid, child->pid, NULL };
	if (!parent)
		j->info.ctty = tty_console_acquire(child->pid, child->pid);
	spin_lock(&job_lock);
	if (parent) {
		pj = find(parent);
		if (pj) {
			j->info = pj->info;
			/* as job_get: the terminal of the session it is in */
			if (parent->sid != pj->info.sid)
				j->info.ctty = NULL;
			j->info.pgid = parent->pgid;
			j->info.sid = parent->sid;
		}
	}
	if (!parent || pj)
		list_add_tail(&j->link, &jobs);
	spin_unlock(&job_lock);
	if (parent && !pj) {
		kfree(j);
		return -ESRCH;
	}
	return 0;
}

int job_add(struct proc *p, const struct job_info *info)
{
	struct job *j = kzalloc(sizeof(*j));

	if (!j)
		return -ENOMEM;
	j->proc = p;
	j->info = *info;
	spin_lock(&job_lock);
	list_add_tail(&j->link, &jobs);
	spin_unlock(&job_lock);
	return 0;
}

/* The exit hook. A session leader leaving with a pty as its terminal
 * frees it for another session (tty_leader_exit). */
void job_forget(struct proc *p)
{
	struct tty *ctty = NULL;
	struct job *j;

	spin_lock(&job_lock);
	j = find(p);
	if (j) {
		list_del(&j->link);
		if (j->info.ctty && p->pid == p->sid &&
		    j->info.sid == p->sid &&
		    j->info.ctty->drv->leader_exit_frees) {
			ctty = j->info.ctty;
			tty_get(ctty);
		}
	}
	spin_unlock(&job_lock);
	kfree(j);
	if (ctty) {
		tty_leader_exit(ctty, p->sid);
		tty_put(ctty);
	}
}

PROC_STATE(tty_job, .fork = job_fork, .exit = job_forget);

bool job_get(struct proc *p, struct job_info *out)
{
	struct job *j;

	if (!p)
		return false;
	spin_lock(&job_lock);
	j = find(p);
	if (j) {
		*out = j->info;
		/* info.sid is the session the terminal was had in. */
		if (p->sid != j->info.sid)
			out->ctty = NULL;
		out->pgid = p->pgid;
		out->sid = p->sid;
	}
	spin_unlock(&job_lock);
	return j != NULL;
}

void job_set_ctty(struct proc *p, struct tty *t)
{
	struct job *j;

	spin_lock(&job_lock);
	j = find(p);
	if (j) {
		j->info.ctty = t;
		j->info.sid = p->sid; /* the session it has t in */
	}
	spin_unlock(&job_lock);
}

void job_drop_session_ctty(int sid, struct tty *t)
{
	struct list_head *pos;

	spin_lock(&job_lock);
	list_for_each(pos, &jobs) {
		struct job *j = list_entry(pos, struct job, link);

		if (j->info.sid == sid && j->info.ctty == t)
			j->info.ctty = NULL;
	}
	spin_unlock(&job_lock);
}

int job_signal_pgrp(int pgrp, int sig)
{
	struct linux_siginfo info;
	struct list_head *pos;
	int n = 0;

	memset(&info, 0, sizeof(info));
	info.si_code = SI_KERNEL;
	spin_lock(&job_lock);
	list_for_each(pos, &jobs) {
		struct job *j = list_entry(pos, struct job, link);

		if (pgrp > 0 && j->proc->pgid == pgrp) {
			signal_send(j->proc, sig, &info);
			n++;
		}
	}
	spin_unlock(&job_lock);
	return n;
}

bool job_pgrp_in_session(int pgrp, int sid)
{
	struct list_head *pos;
	bool found = false;

	spin_lock(&job_lock);
	list_for_each(pos, &jobs) {
		struct job *j = list_entry(pos, struct job, link);

		if (j->proc->pgid == pgrp && j->proc->sid == sid)
			found = true;
	}
	spin_unlock(&job_lock);
	return found;
}

struct tty *job_ctty_get(struct proc *p)
{
	struct tty *t = NULL;
	struct job *j;

	spin_lock(&job_lock);
	j = find(p);
	if (j && j->info.ctty && p->sid == j->info.sid) {
		t = j->info.ctty;
		tty_get(t);
	}
	spin_unlock(&job_lock);
	return t;
}

void job_tty_hangup(struct tty *t, int sid)
{
	struct linux_siginfo info;
	struct list_head *pos;

	memset(&info, 0, sizeof(info));
	info.si_code = SI_KERNEL;
	spin_lock(&job_lock);
	list_for_each(pos, &jobs) {
		struct job *j = list_entry(pos, struct job, link);

		if (j->info.ctty == t)
			j->info.ctty = NULL;
		if (sid && j->proc->pid == sid && j->proc->sid == sid) {
			signal_send(j->proc, SIGHUP, &info);
			signal_send(j->proc, SIGCONT, &info);
		}
	}
	spin_unlock(&job_lock);
}
