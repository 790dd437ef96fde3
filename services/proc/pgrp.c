/*
 * Process groups and sessions (setpgid(2), getpgid(2), getpgrp(2),
 * setsid(2), getsid(2)) with Linux's rules: a process may move itself or
 * a child that has not exec'd yet, within its session, into a group of
 * that session (or a new one named after the moved process); a session
 * leader stays where it is; setsid makes a new session unless the caller
 * already leads a process group. The ids live in struct proc under
 * proc_lock; the tty (services/tty/job.c) reads them from there.
 */
#include <keel/errno.h>
#include <svc/proc.h>
#include <svc/syscall.h>

/* Does any process of session sid have process group pgid? */
struct group_query {
	int pgid, sid;
};

static int in_group(struct proc *p, void *arg)
{
	const struct group_query *q = arg;

	return p->pgid == q->pgid && (q->sid < 0 || p->sid == q->sid);
}

static bool group_exists_locked(int pgid, int sid)
{
	struct group_query q = { pgid, sid };

	return proc_for_each(in_group, &q) != 0;
}

/* The process pid names for the get calls (0: the caller). */
static struct proc *target_locked(struct proc *self, int pid)
{
	return pid ? proc_find(pid) : self;
}

/* setpgid(pid, pgid): 0, -EINVAL (pgid < 0), -ESRCH (no such process, or
 * not the caller or its child), -EPERM (another session, a session
 * leader, no such group in the session), -EACCES (a child that exec'd). */
SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct proc *p;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	proc_lock();
	p = target_locked(proc, pid);
	if (!pid)
		pid = proc->pid;
	if (!pgid)
		pgid = pid;
	if (!p || (p != proc && p->parent != proc))
		err = -ESRCH;
	else if (p != proc && p->sid != proc->sid)
		err = -EPERM;
	else if (p != proc && p->exec_done)
		err = -EACCES;
	else if (p->sid == p->pid)
		err = -EPERM;
	else if (pgid != p->pid && !group_exists_locked(pgid, proc->sid))
		err = -EPERM;
	else
		p->pgid = pgid;
	proc_unlock();
	return err;
}

/* getpgid(pid): the process group of pid (0: the caller); -ESRCH. */
SYSCALL_DEFINE1(getpgid, int, pid)
{
	struct proc *p;
	long r;

	proc_lock();
	p = target_locked(proc, pid);
	r = p ? p->pgid : -ESRCH;
	proc_unlock();
	return r;
}

/* getsid(pid): the session of pid (0: the caller); -ESRCH. */
SYSCALL_DEFINE1(getsid, int, pid)
{
	struct proc *p;
	long r;

	proc_lock();
	p = target_locked(proc, pid);
	r = p ? p->sid : -ESRCH;
	proc_unlock();
	return r;
}

/* setsid(): a new session and group led by the caller, without a
 * controlling terminal; returns the new session id, or -EPERM when a
 * process group already has the caller's pid as its id. */
SYSCALL_DEFINE0(setsid)
{
	long r;

	proc_lock();
	if (group_exists_locked(proc->pid, -1)) {
		r = -EPERM;
	} else {
		proc->sid = proc->pgid = proc->pid;
		r = proc->pid;
	}
	proc_unlock();
	return r;
}
