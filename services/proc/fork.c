/*
 * Process and thread creation: clone(2), clone3(2), fork(2) and vfork(2)
 * (x86-64's, in services/arch/x86_64/fork.c) all come to do_clone(), as
 * Linux's kernel_clone. The flags are checked first as Linux's
 * copy_process does; then either a thread joins the caller's process
 * (CLONE_THREAD) or a new process gets its registered state from the
 * caller's through the PROC_STATE hooks, copied or shared as the flags
 * say (CLONE_VM, CLONE_FILES, CLONE_FS, CLONE_SIGHAND). The child starts
 * with the caller's registers, 0 in the return register, and the stack
 * and TLS it was given. RLIMIT_NPROC counts the tasks of the caller's
 * real user; root is exempt, as Linux.
 * CLONE_SYSVSEM, CLONE_IO, CLONE_PTRACE and CLONE_UNTRACED are accepted
 * and do nothing; namespaces, pidfds and cgroups are -EINVAL.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/syscall.h>
#include <uapi/sched.h>

#include <svc/clone.h>
#include "proc_internal.h"

/* What Keel does not do: namespaces, pidfds, cgroups. */
#define CLONE_UNSUPPORTED                                                 \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |    \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_PIDFD |      \
	 CLONE_INTO_CGROUP | CLONE_NEWTIME)

/* Linux's copy_process checks, in its order. */
static int check_flags(uint64_t flags)
{
	if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	if ((flags & (CLONE_NEWUSER | CLONE_FS)) ==
	    (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (flags & CLONE_UNSUPPORTED)
		return -EINVAL;
	return 0;
}

/* Has the caller's RLIMIT_NPROC been reached (proc_lock held)? The
 * count is the tasks of the caller's real user, as Linux's. Root is
 * exempt, as Linux exempts its init user (real uid 0) and
 * CAP_SYS_RESOURCE or CAP_SYS_ADMIN (Keel's model: effective uid 0);
 * tests/user/forkbomb bombs as uid 4242 for that. */
static bool nproc_reached_locked(const struct proc *p)
{
	if (p->cred.uid.real == 0 || cred_capable(&p->cred))
		return false;
	return (uint64_t)proc_count_tasks_locked(p->cred.uid.real) >=
	       p->rlim[RLIMIT_NPROC].rlim_cur;
}

/* RLIMIT_NPROC: -EAGAIN when the caller's limit is reached, before
 * anything is allocated. The count is taken again where the new task
 * joins the table (link_child_locked, new_thread), because two forks
 * on two CPUs could both pass this check with one task left. */
static int check_nproc(struct proc *p)
{
	bool reached;

	proc_lock();
	reached = nproc_reached_locked(p);
	proc_unlock();
	return reached ? -EAGAIN : 0;
}

/* The child thread's registers: the caller's, 0 returned, the new stack
 * and TLS if given. */
static void setup_regs(struct thread *child, struct user_ctx *uctx,
		       const struct clone_req *rq)
{
	struct user_ctx *c = task_user_ctx(child->task);

	uctx_copy(c, uctx);
	uctx_set(c, UREG_RET, 0);
	if (rq->stack)
		uctx_set(c, UREG_SP, rq->stack);
	if (rq->flags & CLONE_SETTLS)
		uctx_set(c, UREG_TLS, rq->tls);
}

/* The tid pointers a new thread t gets from rq. */
static void set_tid_pointers(struct thread *t, const struct clone_req *rq)
{
	if (rq->flags & CLONE_CHILD_SETTID)
		t->set_child_tid = uptr(rq->child_tid);
	if (rq->flags & CLONE_CHILD_CLEARTID)
		t->clear_child_tid = uptr(rq->child_tid);
}

/* CLONE_THREAD: a new thread of the caller's process. */
static long new_thread(struct thread *self, struct user_ctx *uctx,
		       const struct clone_req *rq)
{
	struct proc *p = self->proc;
	struct thread *t;
	int tid;

	t = thread_alloc(p, self, (rq->flags & CLONE_VFORK) != 0);
	if (!t)
		return -ENOMEM;
	setup_regs(t, uctx, rq);
	set_tid_pointers(t, rq);
	proc_lock();
	if (p->exiting)
		tid = -EINTR;
	else if (nproc_reached_locked(p))
		tid = -EAGAIN;
	else
		tid = pid_alloc_locked();
	if (tid > 0)
		thread_attach_locked(t, tid);
	proc_unlock();
	if (tid < 0) {
		thread_free_unstarted(t);
		return tid == -EINTR ? -ERESTARTNOINTR : tid;
	}
	if (rq->flags & CLONE_PARENT_SETTID)
		copy_u32_to_user(uptr(rq->parent_tid), (uint32_t)tid);
	thread_start(t);
	return tid;
}

/* Makes the process struct of a child of self, with its registered state
 * (copied or shared by rq's flags). */
static int new_proc(struct thread *self, const struct clone_req *rq,
		    struct proc **out)
{
	struct proc *parent = self->proc;
	struct proc *c = proc_alloc();
	int err;

	if (!c)
		return -ENOMEM;
	/* The child is named as the thread that forked it (Linux copies
	 * that task's comm). */
	memcpy(c->name, self->name, sizeof(c->name));
	c->personality = parent->personality;
	c->exit_signal = rq->exit_signal;
	err = proc_state_fork(parent, c, rq->flags);
	if (err) {
		kfree(c);
		return err;
	}
	if (rq->flags & CLONE_CLEAR_SIGHAND) {
		/* Caught signals back to SIG_DFL, ignored ones stay. */
		for (int i = 0; i < UAPI_NSIG; i++)
			if (c->sighand->action[i].sa_handler != SIG_IGN)
				memset(&c->sighand->action[i], 0,
				       sizeof(c->sighand->action[i]));
	}
	*out = c;
	return 0;
}

/* Links c into the table and under its parent (proc_lock held); its pid
 * is allocated here. Returns the pid, or -EAGAIN (no pid left, or
 * RLIMIT_NPROC reached), or -EINTR when the caller is being killed (the
 * fork must not outlive it, as Linux). */
static int link_child_locked(struct thread *self, struct proc *c,
			     struct thread *t, uint64_t flags)
{
	struct proc *me = self->proc;
	int pid;

	if (me->exiting)
		return -EINTR;
	if (nproc_reached_locked(me))
		return -EAGAIN;
	pid = pid_alloc_locked();
	if (pid < 0)
		return pid;
	c->pid = pid;
	c->pgid = me->pgid;
	c->sid = me->sid;
	c->no_new_privs = me->no_new_privs;
	c->dumpable = me->dumpable;
	c->parent_tid = self->tid;
	if (flags & CLONE_PARENT) {
		c->parent = me->parent;
		c->parent_tid = me->parent_tid;
		c->exit_signal = me->exit_signal;
		c->init_child = false;
	} else {
		c->parent = me;
	}
	if (c->parent)
		list_add_tail(&c->sibling, &c->parent->children);
	proc_table_add_locked(c);
	thread_attach_locked(t, pid);
	c->state = PROC_RUNNING;
	return pid;
}

/* Sleeps until the vfork child c has exec'd or exited (done completes);
 * a fatal signal to the caller ends the wait early, the child then no
 * longer reports to it. */
static void vfork_wait(struct thread *self, struct proc *c,
		       struct completion *done)
{
	for (;;) {
		task_notify_clear();
		if (!wait_for_completion_interruptible(done))
			return;
		if (self->proc->exiting || self->exiting)
			break;
	}
	proc_lock();
	if (c->vfork_done == done)
		c->vfork_done = NULL;
	proc_unlock();
	/* It may have completed meanwhile: nothing refers to done now. */
}

/* A new process, child of the caller. */
static long new_child(struct thread *self, struct user_ctx *uctx,
		      const struct clone_req *rq)
{
	struct completion done;
	struct thread *t;
	struct proc *c;
	int err, pid;

	err = new_proc(self, rq, &c);
	if (err)
		return err;
	t = thread_alloc(c, self, !(rq->flags & CLONE_VM) ||
				       (rq->flags & CLONE_VFORK));
	if (!t) {
		proc_state_exit(c);
		kfree(c);
		return -ENOMEM;
	}
	setup_regs(t, uctx, rq);
	set_tid_pointers(t, rq);
	if (rq->flags & CLONE_VFORK) {
		completion_init(&done);
		c->vfork_done = &done;
	}
	proc_lock();
	pid = link_child_locked(self, c, t, rq->flags);
	proc_unlock();
	if (pid < 0) {
		thread_free_unstarted(t);
		proc_state_exit(c);
		kfree(c);
		return pid == -EINTR ? -ERESTARTNOINTR : pid;
	}
	if (rq->flags & CLONE_PARENT_SETTID)
		copy_u32_to_user(uptr(rq->parent_tid), (uint32_t)pid);
	thread_start(t);
	if (rq->flags & CLONE_VFORK)
		vfork_wait(self, c, &done);
	return pid;
}

long do_clone(struct thread *self, struct user_ctx *uctx,
	      const struct clone_req *rq)
{
	int err = check_flags(rq->flags);

	if (!err)
		err = check_nproc(self->proc);
	if (err)
		return err;
	if (rq->flags & CLONE_THREAD)
		return new_thread(self, uctx, rq);
	return new_child(self, uctx, rq);
}

/* clone3(uargs, size): struct clone_args of a known version (VER0..VER2
 * sizes and larger ones whose extra bytes are 0). -EINVAL for a size
 * below VER0, bad flags or exit_signal, a stack without a size or a size
 * without a stack, set_tid (not supported); -E2BIG for a size over a
 * page or non-zero unknown bytes; -EFAULT.
 *
 * Partial: no set_tid, namespaces, CLONE_PIDFD or cgroups (EINVAL). */
SYSCALL_DEFINE2(clone3, uptr_t, uargs, size_t, size)
{
	struct linux_clone_args a;
	struct clone_req rq;
	uint8_t extra[64];
	int err;

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	memset(&a, 0, sizeof(a));
	if (copy_from_user(&a, uargs, size < sizeof(a) ? size : sizeof(a)))
		return -EFAULT;
	for (size_t off = sizeof(a); off < size; off += sizeof(extra)) {
		size_t n = size - off < sizeof(extra) ? size - off
						       : sizeof(extra);

		if (copy_from_user(extra, uptr_add(uargs, off), n))
			return -EFAULT;
		for (size_t i = 0; i < n; i++)
			if (extra[i])
				return -E2BIG;
	}
	err = clone3_request(&a, &rq);
	return err ? err : do_clone(thread, uctx, &rq);
}

int clone3_request(const struct linux_clone_args *a, struct clone_req *rq)
{
	if (a->exit_signal & ~(uint64_t)CSIGNAL || a->exit_signal > UAPI_NSIG)
		return -EINVAL;
	if (a->flags & ~(0xffffffffull | CLONE_CLEAR_SIGHAND |
			 CLONE_INTO_CGROUP))
		return -EINVAL;
	if (a->flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME)))
		return -EINVAL;
	if ((a->flags & (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND)) ==
	    (CLONE_SIGHAND | CLONE_CLEAR_SIGHAND))
		return -EINVAL;
	if ((a->flags & (CLONE_THREAD | CLONE_PARENT)) && a->exit_signal)
		return -EINVAL;
	if (a->set_tid || a->set_tid_size)
		return -EINVAL;
	if (!a->stack ? a->stack_size != 0
		      : !a->stack_size || a->stack + a->stack_size < a->stack)
		return -EINVAL;
	memset(rq, 0, sizeof(*rq));
	rq->flags = a->flags;
	rq->exit_signal = (int)a->exit_signal;
	rq->stack = a->stack ? a->stack + a->stack_size : 0;
	rq->tls = a->tls;
	rq->parent_tid = a->parent_tid;
	rq->child_tid = a->child_tid;
	return 0;
}

void clone_legacy_request(uint64_t flags, uint64_t newsp,
			  uint64_t parent_tid, uint64_t child_tid,
			  uint64_t tls, struct clone_req *rq)
{
	memset(rq, 0, sizeof(*rq));
	/* clone(2) ignores CLONE_DETACHED; the low byte is the exit signal
	 * (none for a thread). */
	rq->flags = flags & ~(uint64_t)(CSIGNAL | CLONE_DETACHED);
	rq->flags &= 0xffffffffull;
	rq->exit_signal = (flags & CLONE_THREAD) ? 0 : (int)(flags & CSIGNAL);
	rq->stack = newsp;
	rq->parent_tid = parent_tid;
	rq->child_tid = child_tid;
	rq->tls = tls;
}
