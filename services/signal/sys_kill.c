/*
 * Sending signals to processes and threads (kill(2), tkill(2),
 * tgkill(2), rt_sigqueueinfo(2)), with Linux's routing: kill to one
 * process (a process-directed signal, taken by a thread that does not
 * block it), to a process group (pid 0: the caller's, < -1: -pid's), or
 * to every process but init (pid 1) and the caller (-1); tkill and
 * tgkill to one thread. Permission is proc_may_signal()'s (credentials),
 * with Linux's exception for SIGCONT within a session. A zombie can be signalled (nothing happens), as in Linux.
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/signal.h>
#include <svc/syscall.h>

#define INT_MIN_PID (-2147483647 - 1)

static bool sig_ok(int sig)
{
	return sig >= 0 && sig <= UAPI_NSIG;
}

/* The siginfo of a signal proc sends with code. */
static struct linux_siginfo sender_info(struct proc *proc, int code)
{
	struct linux_siginfo info;

	memset(&info, 0, sizeof(info));
	info.si_code = code;
	info.fields.kill.si_pid = proc->pid;
	info.fields.kill.si_uid = cred_of(proc).uid.real;
	return info;
}

/* Linux's check_kill_permission with proc_lock held: the credentials
 * rule, except that SIGCONT may go to any process of the sender's
 * session. */
static bool may_send(const struct proc *from, const struct proc *to,
		     int sig)
{
	return proc_may_signal(from, to) ||
	       (sig == SIGCONT && to->sid == from->sid);
}

/* Sends to one process with proc_lock held: -EPERM, or 0 (sig 0 only
 * checks). */
static int send_one_locked(struct proc *from, struct proc *to, int sig,
			   const struct linux_siginfo *info)
{
	if (!may_send(from, to, sig))
		return -EPERM;
	return sig ? signal_send_locked(to, sig, info) : 0;
}

/* What a kill to many processes is doing. */
struct kill_many {
	struct proc *from;
	int sig;
	int pgid;   /* > 0: that group; 0: everyone but init and from */
	const struct linux_siginfo *info;
	int matched, sent, err;
};

static int kill_each(struct proc *p, void *arg)
{
	struct kill_many *k = arg;
	int err;

	if (p->state != PROC_RUNNING && p->state != PROC_ZOMBIE)
		return 0;
	if (k->pgid ? p->pgid != k->pgid : (p->pid == 1 || p == k->from))
		return 0;
	k->matched++;
	err = send_one_locked(k->from, p, k->sig, k->info);
	if (err == -EPERM && !k->pgid)
		return 0; /* kill(-1) skips those it may not signal */
	if (err)
		k->err = err;
	else
		k->sent++;
	return 0;
}

/* Linux's __kill_pgrp_info / kill(-1): 0 when one was sent, else the
 * last error, -ESRCH when none matched. kill(-1) ignores -EPERM (0 when
 * it could signal none of those that matched, as Linux). */
static long kill_many(struct proc *from, int pgid, int sig)
{
	struct linux_siginfo info = sender_info(from, SI_USER);
	struct kill_many k = { from, sig, pgid, &info, 0, 0, 0 };

	proc_lock();
	proc_for_each(kill_each, &k);
	proc_unlock();
	if (!k.matched)
		return -ESRCH;
	return k.sent ? 0 : k.err;
}

/* kill(pid, sig): pid > 0 one process, 0 the caller's group, -1 all it
 * may signal but init and itself, < -1 group -pid. -EINVAL for a bad
 * sig, -ESRCH when no process matched, -EPERM. */
SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	struct linux_siginfo info = sender_info(proc, SI_USER);
	struct proc *p;
	long err;

	if (!sig_ok(sig))
		return -EINVAL;
	if (pid == INT_MIN_PID)
		return -ESRCH;
	if (pid == -1)
		return kill_many(proc, 0, sig);
	if (pid <= 0) {
		int pgid;

		proc_lock();
		pgid = pid ? -pid : proc->pgid;
		proc_unlock();
		return kill_many(proc, pgid, sig);
	}
	proc_lock();
	p = proc_find(pid);
	err = p ? send_one_locked(proc, p, sig, &info) : -ESRCH;
	proc_unlock();
	return err;
}

/* Sends sig to thread tid (of group tgid, when tgid > 0) with code. */
static long send_thread(struct proc *proc, int tgid, int tid, int sig,
			const struct linux_siginfo *info)
{
	struct thread *t;
	long err;

	proc_lock();
	t = thread_find(tid);
	if (!t || (tgid > 0 && t->proc->pid != tgid))
		err = -ESRCH;
	else if (!may_send(proc, t->proc, sig))
		err = -EPERM;
	else
		err = sig ? signal_send_thread_locked(t, sig, info) : 0;
	proc_unlock();
	return err;
}

/* tkill(tid, sig): -EINVAL for tid <= 0 or a bad sig, -ESRCH, -EPERM. */
SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	struct linux_siginfo info = sender_info(proc, SI_TKILL);

	if (tid <= 0 || !sig_ok(sig))
		return -EINVAL;
	return send_thread(proc, 0, tid, sig, &info);
}

/* tgkill(tgid, tid, sig): tkill checking that tid is in group tgid. */
SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	struct linux_siginfo info = sender_info(proc, SI_TKILL);

	if (tgid <= 0 || tid <= 0 || !sig_ok(sig))
		return -EINVAL;
	return send_thread(proc, tgid, tid, sig, &info);
}

/* rt_sigqueueinfo(pid, sig, uinfo): sends sig to process pid with the
 * caller's siginfo. -EFAULT, -EINVAL (bad sig), -EPERM for a code that
 * only the kernel or kill may send (>= 0, SI_TKILL) to another process,
 * -ESRCH. */
SYSCALL_DEFINE3(rt_sigqueueinfo, int, pid, int, sig, uptr_t, uinfo)
{
	struct linux_siginfo info;
	struct proc *p;
	long err;

	if (copy_from_user(&info, uinfo, sizeof(info)))
		return -EFAULT;
	if (!sig_ok(sig))
		return -EINVAL;
	if (pid != proc->pid && (info.si_code >= 0 || info.si_code == SI_TKILL))
		return -EPERM;
	proc_lock();
	p = proc_find(pid);
	err = p ? send_one_locked(proc, p, sig, &info) : -ESRCH;
	proc_unlock();
	return err;
}
