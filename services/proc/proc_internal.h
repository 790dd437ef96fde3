/*
 * Shared between the files of the process service.
 */
#ifndef SERVICES_PROC_INTERNAL_H
#define SERVICES_PROC_INTERNAL_H

#include <svc/proc.h>

#define PID_MAX_DEFAULT 32768 /* Linux's pid_max default: pids < this */
#define PID_RESERVED 300      /* Linux's RESERVED_PIDS: where a wrap
			       * starts again */

/* Where the next pid search starts, and the limit (exclusive). */
struct pid_cursor {
	int next;
	int max;
};

/*
 * The next free number for c (pid_alloc.c): the first nr in [next, max)
 * for which busy(nr, arg) is false, else the first in [min, next) with
 * min RESERVED_PIDS once the cursor passed it (1 before). Moves the
 * cursor past it. -EAGAIN when every number is busy.
 */
int pid_next(struct pid_cursor *c, bool (*busy)(int nr, void *arg),
	     void *arg);

/* With proc_lock held (pid.c): a free pid/tid, or -EAGAIN. */
int pid_alloc_locked(void);
/* Tasks of the processes of real uid uid in the table (RLIMIT_NPROC's
 * count, per user as Linux's: a zombie counts as its leader). */
int proc_count_tasks_locked(uint32_t uid);
void proc_table_add_locked(struct proc *p);
void proc_table_del_locked(struct proc *p);
bool proc_locked(void);

/* A process struct with its lists and queues initialised, state
 * PROC_NEW, nothing registered (proc.c). NULL when memory runs out. */
struct proc *proc_alloc(void);

/* A thread of p with a stopped task (not on p's list yet). Its signal
 * state is a copy of from's (NULL: initial). NULL on -ENOMEM. */
struct thread *thread_alloc(struct proc *p, const struct thread *from,
			    bool keep_altstack);

/* Frees a thread that never started (its task included). */
void thread_free_unstarted(struct thread *t);

/* Puts t on p's list with tid (proc_lock held). */
void thread_attach_locked(struct thread *t, int tid);

/* Starts t's task; t must be attached. */
void thread_start(struct thread *t);

/* The body of every thread's task: runs it in user mode until it exits
 * or its process ends, then thread_finish()es it. arg is the thread. */
void proc_task_main(void *arg);

/* Ends t from its own task (proc.c): clear_child_tid, off its process's
 * list; the last thread makes the process a zombie (or frees it). t is
 * freed: the caller must not touch it afterwards. */
void thread_finish(struct thread *t);

/* Frees a reaped process's struct (its registered state is gone). */
void proc_release(struct proc *p);

/* Job control (jobctl.c): stops p with sig (a stop signal's default
 * action) and tells its parent; sleeps the calling thread while p stays
 * stopped. */
void proc_stop_wait(struct thread *t);

/* Tells p's parent that p changed state: SIGCHLD (or p's exit_signal)
 * with si_code code and si_status status, and a wake-up of its wait
 * (proc_lock held). */
void proc_notify_parent_locked(struct proc *p, int code, int status);

/* A user page fault of t found no memory (oom.c): kills the process with
 * the most resident user memory with SIGKILL, logging it, unless one is
 * exiting already; then waits a little, so that t retries its access once
 * memory came back (t's own process may be the one killed). */
void oom_user_fault(struct thread *t);

/* Completes a vfork parent's wait, if p has one (exec or exit). */
void proc_vfork_release(struct proc *p);

#endif
