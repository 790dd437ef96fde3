/*
 * Process and thread lifetime (see <svc/proc.h>): the structs, the first
 * processes init creates, starting, and the end: a thread exits
 * (clear_child_tid written and woken); the last thread of a process
 * releases its registered state (memory, files, fs, handlers: the
 * PROC_STATE hooks), hands its children to the nearest child subreaper
 * above it or to init (pid 1; PR_SET_PDEATHSIG sent) and becomes a zombie its
 * parent is told of (SIGCHLD, a wake-up of wait4), or is reaped at once
 * (an orphan, or a parent that ignores SIGCHLD). Process images are
 * built by exec.c; fork and clone are in fork.c; the thread loop in
 * loop.c.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <keel/vm.h>
#include <svc/futex.h>
#include <svc/proc.h>
#include <svc/proc_state.h>
#include <svc/procfs.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/sched.h>
#include <uapi/siginfo.h>
#include <uapi/wait.h>

#include "exec.h"
#include "proc_internal.h"

struct proc *proc_alloc(void)
{
	struct proc *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->state = PROC_NEW;
	p->start_ns = time_now_ns();
	p->exit_signal = SIGCHLD;
	p->dumpable = 1;
	list_init(&p->children);
	list_init(&p->sibling);
	list_init(&p->all);
	list_init(&p->threads);
	waitq_init(&p->exit_wq, "proc exit");
	waitq_init(&p->child_wq, "proc child");
	waitq_init(&p->thread_wq, "proc thread");
	waitq_init(&p->stop_wq, "proc stop");
	return p;
}

/* What a new thread takes from the one that made it, as Linux's
 * sched_fork and copy_io: nice, policy and I/O priority; with
 * SCHED_RESET_ON_FORK the new thread instead gets SCHED_NORMAL if from
 * had a real-time policy, nice 0 if from's nice was negative, and not
 * the flag itself. */
static void thread_inherit_sched(struct thread *t, const struct thread *from)
{
	t->nice = from->nice;
	t->sched_policy = from->sched_policy;
	t->rt_priority = from->rt_priority;
	t->ioprio = from->ioprio;
	if (!from->sched_reset_on_fork)
		return;
	if (t->sched_policy == SCHED_FIFO || t->sched_policy == SCHED_RR) {
		t->sched_policy = SCHED_NORMAL;
		t->rt_priority = 0;
		t->nice = 0;
	} else if (t->nice < 0) {
		t->nice = 0;
	}
}

struct thread *thread_alloc(struct proc *p, const struct thread *from,
			    bool keep_altstack)
{
	struct thread *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->proc = p;
	if (from)
		thread_inherit_sched(t, from);
	kstrlcpy(t->name, from ? from->name : p->name, sizeof(t->name));
	list_init(&t->link);
	signal_thread_init(t, from, keep_altstack);
	t->task = task_create(p->name, proc_task_main, t);
	if (!t->task) {
		kfree(t);
		return NULL;
	}
	task_set_vm(t->task, p->vs);
	task_set_owner(t->task, t);
	return t;
}

void thread_free_unstarted(struct thread *t)
{
	task_put(t->task); /* never started: it just goes away */
	cred_thread_release(t);
	kfree(t);
}

void thread_attach_locked(struct thread *t, int tid)
{
	struct proc *p = t->proc;

	t->tid = tid;
	list_add_tail(&t->link, &p->threads);
	p->nr_threads++;
	if (!p->leader && tid == p->pid)
		p->leader = t;
}

void thread_start(struct thread *t)
{
	struct task *task = t->task;

	/* The scheduler's reference keeps the task until it has exited;
	 * senders reach it only while t is on its process's list, which it
	 * leaves before its task ends. */
	task_start(task);
	task_put(task);
}

struct proc *syscall_proc_of(struct thread *t)
{
	return t->proc;
}

struct thread *thread_current(void)
{
	struct task *t = task_current();

	return t ? task_owner(t) : NULL;
}

struct proc *proc_current(void)
{
	struct thread *t = thread_current();

	return t ? t->proc : NULL;
}

void thread_set_name_locked(struct thread *t, const char *name)
{
	kstrlcpy(t->name, name, sizeof(t->name));
	if (t->proc->leader == t)
		kstrlcpy(t->proc->name, name, sizeof(t->proc->name));
}

void thread_set_name(struct thread *t, const char *name)
{
	proc_lock();
	thread_set_name_locked(t, name);
	proc_unlock();
}

/* Frees a process that was never started, its registered state set up
 * and its pid in the table. */
static void destroy(struct proc *p, struct thread *t)
{
	if (t)
		thread_free_unstarted(t);
	proc_lock();
	proc_table_del_locked(p);
	proc_unlock();
	proc_state_exit(p);
	kfree(p);
}

int proc_create(const char *path, const char *const *argv,
		struct proc **out)
{
	struct thread *t = NULL;
	struct exec_image *img = NULL;
	struct proc *p;
	int err, pid;

	p = proc_alloc();
	if (!p)
		return -ENOMEM;
	p->init_child = true;
	proc_lock();
	pid = pid_alloc_locked();
	if (pid > 0) {
		p->pid = p->pgid = p->sid = pid;
		proc_table_add_locked(p);
	}
	proc_unlock();
	if (pid < 0) {
		kfree(p);
		return pid;
	}
	err = proc_state_fork(NULL, p, 0);
	if (err) {
		proc_lock();
		proc_table_del_locked(p);
		proc_unlock();
		kfree(p);
		return err;
	}
	err = exec_image_open(&img, path, argv, NULL, &VFS_ROOT_CRED);
	if (!err) {
		t = thread_alloc(p, NULL, false);
		if (!t)
			err = -ENOMEM;
	}
	if (!err)
		err = exec_image_load(img, p);
	if (!err)
		exec_image_commit(img, p, t);
	exec_image_free(img);
	if (err) {
		destroy(p, t);
		return err;
	}
	proc_lock();
	thread_attach_locked(t, p->pid);
	proc_unlock();
	pr_debug("proc: pid %d (%s) created from %s\n", p->pid, p->name,
		 path);
	*out = p;
	return 0;
}

void proc_start(struct proc *p)
{
	proc_lock();
	__atomic_store_n(&p->state, PROC_RUNNING, __ATOMIC_RELEASE);
	proc_unlock();
	thread_start(p->leader);
}

static bool has_exited(struct proc *p)
{
	return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) >= PROC_ZOMBIE;
}

int proc_wait(struct proc *p)
{
	WAITQ_WAIT_EVENT(&p->exit_wq, has_exited(p));
	return p->term_signal ? 128 + p->term_signal : p->exit_code;
}

void proc_release(struct proc *p)
{
	procfs_forget(p); /* its zombie's /proc/<pid> goes */
	kfree(p);
}

void proc_free(struct proc *p)
{
	if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PROC_NEW) {
		destroy(p, p->leader);
		return;
	}
	proc_lock();
	proc_table_del_locked(p);
	p->state = PROC_REAPED;
	proc_unlock();
	proc_release(p);
}

/* Notifies every thread of p but skip (proc_lock held). */
static void notify_threads_locked(struct proc *p, struct thread *skip)
{
	struct list_head *pos;

	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		if (t != skip && t->task)
			task_notify(t->task);
	}
	waitq_wake_all(&p->stop_wq);
}

void proc_exit(struct proc *p, int code)
{
	proc_lock();
	if (!p->exiting) {
		p->exiting = true;
		p->exit_code = code & 0xff;
	}
	notify_threads_locked(p, thread_current());
	proc_unlock();
}

void proc_kill_group_locked(struct proc *p, int sig, bool core)
{
	if (!p->exiting && p->nr_threads) {
		p->exiting = true;
		p->term_signal = sig;
		p->core_dumped = core;
	}
	notify_threads_locked(p, NULL);
}

void proc_kill_group(struct proc *p, int sig, bool core)
{
	proc_lock();
	proc_kill_group_locked(p, sig, core);
	proc_unlock();
}

void thread_exit(struct thread *t, int code)
{
	t->exit_code = code & 0xff;
	t->exiting = true;
}

/* CLONE_CHILD_CLEARTID / set_tid_address: 0 at the address, and a
 * FUTEX_WAKE of one waiter there (pthread_join), as Linux's mm_release.
 * A bad address is ignored. */
static void clear_child_tid(struct thread *t)
{
	if (!t->clear_child_tid.addr)
		return;
	futex_clear_child_tid(t->clear_child_tid);
	t->clear_child_tid = uptr(0);
}

/* The code SIGCHLD carries for zombie p. */
static int exit_code_of(const struct proc *p)
{
	if (!p->term_signal)
		return CLD_EXITED;
	return p->core_dumped ? CLD_DUMPED : CLD_KILLED;
}

void proc_notify_parent_locked(struct proc *p, int code, int status)
{
	struct proc *parent = p->parent;
	struct linux_siginfo info;
	int sig = code == CLD_EXITED || code == CLD_KILLED ||
			  code == CLD_DUMPED
		  ? p->exit_signal
		  : SIGCHLD;

	if (!parent)
		return;
	if (sig > 0 && sig <= UAPI_NSIG && parent->nr_threads &&
	    !(sig == SIGCHLD && code != CLD_EXITED && code != CLD_KILLED &&
	      code != CLD_DUMPED && signal_nocldstop(parent))) {
		memset(&info, 0, sizeof(info));
		info.si_code = code;
		info.fields.sigchld.si_pid = p->pid;
		info.fields.sigchld.si_uid = p->cred.uid.real;
		info.fields.sigchld.si_status = status;
		info.fields.sigchld.si_utime =
			(int64_t)(p->dead_user_ns / (NSEC_PER_SEC / 100));
		info.fields.sigchld.si_stime =
			(int64_t)(p->dead_sys_ns / (NSEC_PER_SEC / 100));
		signal_send_locked(parent, sig, &info);
	}
	waitq_wake_all(&parent->child_wq);
}

/* Can q adopt orphans (it has a thread that is not on its way out)? */
static bool can_adopt(const struct proc *q)
{
	return q->nr_threads > 0 && !q->exiting && q->state == PROC_RUNNING;
}

/* Linux's find_new_reaper: the nearest ancestor of p that is a child
 * subreaper, else init (pid 1) when it runs and is not p, else NULL
 * (the kernel: orphans are reaped as they exit). proc_lock held. */
static struct proc *new_reaper_locked(struct proc *p)
{
	struct proc *q, *init;

	for (q = p->parent; q && q->pid != 1; q = q->parent)
		if (q->subreaper && can_adopt(q))
			return q;
	init = proc_find(1);
	return init && init != p && can_adopt(init) ? init : NULL;
}

/* Sends c its PR_SET_PDEATHSIG signal, from the parent p. proc_lock. */
static void send_pdeath_locked(struct proc *p, struct proc *c)
{
	struct linux_siginfo info;

	if (!c->pdeath_signal || c->state != PROC_RUNNING)
		return;
	memset(&info, 0, sizeof(info));
	info.si_code = SI_USER;
	info.fields.kill.si_pid = p->pid;
	info.fields.kill.si_uid = p->cred.uid.real;
	signal_send_locked(c, c->pdeath_signal, &info);
}

/* Gives p's children (their PR_SET_PDEATHSIG sent) to their new reaper,
 * which a zombie among them notifies as its parent now; with no reaper,
 * or one that does not wait (SIGCHLD ignored), zombies are reaped.
 * Returns the list of those to free after the lock is dropped, linked
 * through .all. proc_lock held. */
static void reparent_children_locked(struct proc *p, struct list_head *dead)
{
	struct proc *reaper = new_reaper_locked(p);
	struct list_head *pos, *next;

	list_for_each_safe(pos, next, &p->children) {
		struct proc *c = list_entry(pos, struct proc, sibling);

		list_del(&c->sibling);
		list_init(&c->sibling);
		send_pdeath_locked(p, c);
		c->parent = reaper;
		if (reaper) {
			c->parent_tid = reaper->leader ? reaper->leader->tid
						       : reaper->pid;
			c->exit_signal = SIGCHLD; /* as Linux's reparent */
			list_add_tail(&c->sibling, &reaper->children);
		}
		if (c->state != PROC_ZOMBIE)
			continue;
		if (reaper && !signal_autoreaps(reaper)) {
			proc_notify_parent_locked(c, exit_code_of(c),
						  c->term_signal
							  ? c->term_signal
							  : c->exit_code);
			continue;
		}
		if (reaper)
			list_del(&c->sibling);
		proc_table_del_locked(c);
		c->state = PROC_REAPED;
		list_add(&c->all, dead);
	}
	if (reaper)
		waitq_wake_all(&reaper->child_wq);
}

/* Thread t of p exits, others stay: the children it made get their
 * PR_SET_PDEATHSIG (Linux sends it when the creating thread exits) and
 * another thread as their creator (t is off p's list). proc_lock held. */
static void children_lose_thread_locked(struct proc *p, struct thread *t)
{
	struct thread *heir = list_empty(&p->threads)
				      ? NULL
				      : list_entry(p->threads.next,
						   struct thread, link);
	struct list_head *pos;

	list_for_each(pos, &p->children) {
		struct proc *c = list_entry(pos, struct proc, sibling);

		if (c->parent_tid != t->tid)
			continue;
		send_pdeath_locked(p, c);
		if (heir)
			c->parent_tid = heir->tid;
	}
}

/* Makes p, whose last thread is gone and whose state is released, a
 * zombie and tells whoever waits for it; reaps it at once when nobody
 * will. Returns true when p was reaped (the caller frees it). proc_lock
 * held. */
static bool become_zombie_locked(struct proc *p)
{
	struct proc *parent = p->parent;
	bool reap;

	__atomic_store_n(&p->state, PROC_ZOMBIE, __ATOMIC_RELEASE);
	waitq_wake_all(&p->exit_wq);
	if (p->init_child)
		return false; /* init's proc_wait / proc_free */
	/* A parent without threads is finishing too, and its handlers may
	 * be gone already: it reaps p when it hands its children on. */
	reap = !parent || (p->exit_signal == SIGCHLD && parent->nr_threads &&
			   signal_autoreaps(parent));
	proc_notify_parent_locked(p, exit_code_of(p),
				  p->term_signal ? p->term_signal
						 : p->exit_code);
	if (reap) {
		if (parent)
			list_del(&p->sibling);
		proc_table_del_locked(p);
		p->state = PROC_REAPED;
	}
	return reap;
}

/* The end of p once its last thread has gone: its state released, its
 * children handed on, a zombie or reaped. */
static void proc_finish(struct proc *p)
{
	struct list_head dead, *pos, *next;
	bool reaped;

	list_init(&dead);
	proc_vfork_release(p);
	proc_state_exit(p);
	proc_lock();
	reparent_children_locked(p, &dead);
	reaped = become_zombie_locked(p);
	proc_unlock();
	list_for_each_safe(pos, next, &dead)
		proc_release(list_entry(pos, struct proc, all));
	if (reaped)
		proc_release(p);
}

void thread_finish(struct thread *t)
{
	struct proc *p = t->proc;
	uint64_t user, sys;
	bool last;

	/* While its memory is still there (Linux's futex_exit_release):
	 * robust futexes it holds are marked dead, then the tid cleared. */
	futex_exit_robust_list(t->robust_list, (uint32_t)t->tid);
	clear_child_tid(t);
	/* The task's share of the address space goes now, not when the
	 * dead task is reaped after its last switch (Linux's exit_mm before
	 * exit_notify): the last thread's process state releases the rest,
	 * so the frames are free before the parent can see the zombie. */
	task_set_vm(t->task, NULL);
	task_cpu_times(t->task, &user, &sys);
	proc_lock();
	p->dead_user_ns += user;
	p->dead_sys_ns += sys;
	list_del(&t->link);
	last = --p->nr_threads == 0;
	if (p->leader == t)
		p->leader = NULL;
	if (last && !p->exiting)
		p->exit_code = t->exit_code;
	if (!last)
		children_lose_thread_locked(p, t);
	waitq_wake_all(&p->thread_wq);
	proc_unlock();
	cred_thread_release(t);
	kfree(t);
	if (last)
		proc_finish(p);
}

void proc_vfork_release(struct proc *p)
{
	struct completion *done;

	proc_lock();
	done = p->vfork_done;
	p->vfork_done = NULL;
	if (done)
		complete_all(done);
	proc_unlock();
}

bool proc_may_signal(const struct proc *sender, const struct proc *target)
{
	/* Linux's kill_ok_by_cred: the sender's real or effective uid is
	 * the target's real or saved uid, or it has CAP_KILL (root). */
	const struct cred_ids *s = &sender->cred.uid, *t = &target->cred.uid;

	return cred_capable(&sender->cred) || s->eff == t->saved ||
	       s->eff == t->real || s->real == t->saved || s->real == t->real;
}

struct thread *proc_signal_target(struct proc *p, int sig)
{
	struct list_head *pos;

	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		if (!(t->sig.blocked & SIG_BIT(sig)) && !t->exiting)
			return t;
	}
	if (list_empty(&p->threads))
		return NULL;
	return list_first_entry(&p->threads, struct thread, link);
}

void proc_cpu_times(struct proc *p, uint64_t *user_ns, uint64_t *sys_ns)
{
	struct list_head *pos;
	uint64_t user, sys;

	proc_lock();
	*user_ns = p->dead_user_ns;
	*sys_ns = p->dead_sys_ns;
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, link);

		if (!t->task)
			continue;
		task_cpu_times(t->task, &user, &sys);
		*user_ns += user;
		*sys_ns += sys;
	}
	proc_unlock();
}
