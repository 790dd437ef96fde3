/*
 * Waiting for children: wait4(2) and waitid(2), as Linux's do_wait. A
 * process waits for the children of its process (any thread's): one pid,
 * a process group, or any; for exits (reaping the zombie unless WNOWAIT),
 * stops (WUNTRACED/WSTOPPED) and continues (WCONTINUED), each reported
 * once. A child whose exit signal is not SIGCHLD (a "clone" child) is
 * waited for only with __WCLONE or __WALL, as in Linux. With no child
 * that could ever match, -ECHILD; a signal interrupts the sleep
 * (-ERESTARTSYS). Reaping adds the child's CPU time (and its own reaped
 * children's) to the parent's children's time (getrusage, times).
 */
#include <keel/errno.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/proc.h>
#include <svc/syscall.h>
#include <uapi/resource.h>
#include <uapi/siginfo.h>
#include <uapi/wait.h>

#include "proc_internal.h"

#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |  \
		       __WCLONE | __WALL)
#define WAITID_OPTIONS (WNOHANG | WNOWAIT | WEXITED | WSTOPPED |         \
			WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)

/* Which children and which events. */
struct wait_req {
	int type;         /* P_PID, P_PGID, P_ALL */
	int id;
	unsigned options; /* WEXITED etc., WNOHANG, WNOWAIT, __W* */
};

/* What was found. */
struct wait_result {
	int pid;
	int status;  /* wait4's status word */
	int code;    /* CLD_* for waitid */
	int si_status;
	uint32_t uid;
	uint64_t user_ns, sys_ns; /* the child's and its children's */
};

static bool matches(const struct proc *c, const struct wait_req *w)
{
	bool clone_child = c->exit_signal != SIGCHLD;

	if (w->type == P_PID && c->pid != w->id)
		return false;
	if (w->type == P_PGID && c->pgid != w->id)
		return false;
	if (w->options & __WALL)
		return true;
	return clone_child == !!(w->options & __WCLONE);
}

static void fill_exit(const struct proc *c, struct wait_result *r)
{
	r->pid = c->pid;
	r->uid = c->cred.uid.real;
	r->user_ns = c->dead_user_ns + c->child_user_ns;
	r->sys_ns = c->dead_sys_ns + c->child_sys_ns;
	if (!c->term_signal) {
		r->code = CLD_EXITED;
		r->si_status = c->exit_code;
		r->status = UAPI_W_EXITCODE(c->exit_code, 0);
	} else {
		r->code = c->core_dumped ? CLD_DUMPED : CLD_KILLED;
		r->si_status = c->term_signal;
		r->status = c->term_signal |
			    (c->core_dumped ? UAPI_W_COREFLAG : 0);
	}
}

/* Reaps zombie c of parent (proc_lock held): off the lists, its time
 * counted in the parent's. The caller frees it after the lock. */
static void reap_locked(struct proc *parent, struct proc *c)
{
	parent->child_user_ns += c->dead_user_ns + c->child_user_ns;
	parent->child_sys_ns += c->dead_sys_ns + c->child_sys_ns;
	list_del(&c->sibling);
	list_init(&c->sibling);
	proc_table_del_locked(c);
	c->state = PROC_REAPED;
}

/*
 * Looks at c for an event w wants (proc_lock held). Returns 1 with *r
 * filled (and *reaped set when c must be freed), 0 when c has none.
 */
static int check_child(struct proc *parent, struct proc *c,
		       const struct wait_req *w, struct wait_result *r,
		       struct proc **reaped)
{
	bool consume = !(w->options & WNOWAIT);

	if (c->state == PROC_ZOMBIE) {
		if (!(w->options & WEXITED))
			return 0;
		fill_exit(c, r);
		if (consume) {
			reap_locked(parent, c);
			*reaped = c;
		}
		return 1;
	}
	if ((w->options & WSTOPPED) && c->jobctl == PROC_JOB_STOPPED &&
	    c->stopped) {
		r->pid = c->pid;
		r->uid = c->cred.uid.real;
		r->code = CLD_STOPPED;
		r->si_status = c->stop_signal;
		r->status = UAPI_W_STOPCODE(c->stop_signal);
		if (consume)
			c->jobctl = PROC_JOB_NONE;
		return 1;
	}
	if ((w->options & WCONTINUED) && c->jobctl == PROC_JOB_CONTINUED) {
		r->pid = c->pid;
		r->uid = c->cred.uid.real;
		r->code = CLD_CONTINUED;
		r->si_status = SIGCONT;
		r->status = UAPI_W_CONTINUED;
		if (consume)
			c->jobctl = PROC_JOB_NONE;
		return 1;
	}
	return 0;
}

/* One look at parent's children: 1 found (r), 0 none yet, -ECHILD none
 * can ever match. proc_lock held. */
static int scan_locked(struct proc *parent, const struct wait_req *w,
		       struct wait_result *r, struct proc **reaped)
{
	struct list_head *pos, *next;
	bool any = false;

	list_for_each_safe(pos, next, &parent->children) {
		struct proc *c = list_entry(pos, struct proc, sibling);

		if (!matches(c, w))
			continue;
		any = true;
		if (check_child(parent, c, w, r, reaped))
			return 1;
	}
	return any ? 0 : -ECHILD;
}

/* The work of both calls: 1 with *r, 0 for WNOHANG and nothing yet,
 * -ECHILD, -ERESTARTSYS. */
static int do_wait(struct proc *parent, const struct wait_req *w,
		   struct wait_result *r)
{
	struct proc *reaped = NULL;
	struct waiter wt;
	int found;

	for (;;) {
		waitq_prepare_flags(&parent->child_wq, &wt,
				    WAIT_INTERRUPTIBLE);
		proc_lock();
		found = scan_locked(parent, w, r, &reaped);
		proc_unlock();
		if (found || (w->options & WNOHANG))
			break;
		if (waitq_sleep(&wt) == -EINTR) {
			found = -ERESTARTSYS;
			break;
		}
	}
	waitq_finish(&parent->child_wq, &wt);
	if (reaped)
		proc_release(reaped);
	return found;
}

static struct linux_timeval ns_to_timeval(uint64_t ns)
{
	struct linux_timeval tv = {
		.tv_sec = (int64_t)(ns / NSEC_PER_SEC),
		.tv_usec = (int64_t)(ns % NSEC_PER_SEC / NSEC_PER_USEC),
	};

	return tv;
}

static int put_rusage(uptr_t ru, const struct wait_result *r)
{
	struct linux_rusage u;

	memset(&u, 0, sizeof(u));
	u.ru_utime = ns_to_timeval(r->user_ns);
	u.ru_stime = ns_to_timeval(r->sys_ns);
	return copy_to_user(ru, &u, sizeof(u)) ? -EFAULT : 0;
}

/* wait4(pid, wstatus, options, rusage): pid > 0 that child, 0 any in the
 * caller's group, -1 any, < -1 any in group -pid. Returns the child's
 * pid (0 with WNOHANG when none is ready), -EINVAL (options), -ECHILD,
 * -EFAULT (the child is reaped all the same, as Linux), -ERESTARTSYS. */
SYSCALL_DEFINE4(wait4, int, pid, uptr_t, wstatus, int, options, uptr_t,
		rusage)
{
	struct wait_req w = { P_ALL, 0, (unsigned)options | WEXITED };
	struct wait_result r;
	int found;

	if ((unsigned)options & ~WAIT4_OPTIONS)
		return -EINVAL;
	if (pid == -2147483647 - 1)
		return -ESRCH;
	if (pid > 0) {
		w.type = P_PID;
		w.id = pid;
	} else if (pid != -1) {
		w.type = P_PGID;
		proc_lock();
		w.id = pid ? -pid : proc->pgid;
		proc_unlock();
	}
	memset(&r, 0, sizeof(r));
	found = do_wait(proc, &w, &r);
	if (found <= 0)
		return found;
	if (wstatus.addr && copy_u32_to_user(wstatus, (uint32_t)r.status))
		return -EFAULT;
	if (rusage.addr && put_rusage(rusage, &r))
		return -EFAULT;
	return r.pid;
}

/* waitid(idtype, id, infop, options, rusage): P_PID (id > 0), P_PGID
 * (id 0: the caller's group), P_ALL; at least one of WEXITED, WSTOPPED,
 * WCONTINUED. Fills infop (zeroed when WNOHANG finds nothing) and
 * returns 0; -EINVAL, -ECHILD, -EFAULT, -ERESTARTSYS.
 *
 * Partial: P_PIDFD is -EINVAL (no pidfds). */
/* waitid's checks and wait: what do_wait found (1, 0) or -errno. */
static int waitid_wait(struct proc *proc, int idtype, int id, int options,
		       struct wait_result *r)
{
	struct wait_req w = { idtype, id, (unsigned)options };

	if ((unsigned)options & ~WAITID_OPTIONS)
		return -EINVAL;
	if (!(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	switch (idtype) {
	case P_ALL:
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		if (!id) {
			proc_lock();
			w.id = proc->pgid;
			proc_unlock();
		}
		break;
	default:
		return -EINVAL;
	}
	memset(r, 0, sizeof(*r));
	return do_wait(proc, &w, r);
}

SYSCALL_DEFINE5(waitid, int, idtype, int, id, uptr_t, infop, int, options,
		uptr_t, rusage)
{
	struct linux_siginfo info;
	struct wait_result r;
	int found = waitid_wait(proc, idtype, id, options, &r);

	memset(&info, 0, sizeof(info));
	if (found > 0) {
		info.si_signo = SIGCHLD;
		info.si_code = r.code;
		info.fields.sigchld.si_pid = r.pid;
		info.fields.sigchld.si_uid = r.uid;
		info.fields.sigchld.si_status = r.si_status;
	}
	/* As Linux, infop is written (zeroed) even when the call failed,
	 * so a bad infop is -EFAULT whatever the wait said. */
	if (infop.addr && copy_to_user(infop, &info, sizeof(info)))
		return -EFAULT;
	if (found < 0)
		return found;
	if (rusage.addr && put_rusage(rusage, &r))
		return -EFAULT;
	return 0;
}
