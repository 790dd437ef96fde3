/*
 * Processes and threads, as Linux splits them: a process (struct proc, a
 * thread group) owns what its threads share — pid, parent and children,
 * process group and session, credentials, memory, files, fs context,
 * signal handlers, process-directed pending signals, resource limits —
 * and each thread (struct thread) owns one task and what is its own: tid,
 * blocked mask, thread-directed pending signals, alternate signal stack,
 * clear_child_tid and robust list. docs/abi.md ("Processes and threads")
 * draws the structure.
 *
 * The process service keeps the process table (services/proc/pid.c:
 * allocation with Linux's pid_max wrap, lookup by pid, tid, group and
 * session), creates processes (the first ones from init, the others by
 * fork/clone), runs each thread's loop around user_run() (loop.c: system
 * calls go to the table, unresolved faults raise the signal Linux
 * sends), and ends them: a thread exits; the last one makes the process
 * a zombie that its parent reaps with wait4/waitid, or, for a process
 * init started (parent NULL), init with proc_wait/proc_free.
 *
 * Locking: one lock, proc_lock() (Linux's tasklist_lock), guards the
 * table, the parent/child links, every thread list, process state and
 * group/session ids. Signal state has its own lock (<svc/signal.h>).
 */
#ifndef SVC_PROC_H
#define SVC_PROC_H

#include <keel/list.h>
#include <keel/sync.h>
#include <keel/types.h>
#include <svc/cred.h>
#include <svc/signal.h>
#include <svc/vmar.h>
#include <uapi/resource.h>

struct task;
struct time_state;
struct vm_space;
struct fdtable;
struct file;
struct fs_state;
struct user_ctx;

#define PROC_NAME_MAX 16 /* as Linux TASK_COMM_LEN, NUL included */

enum proc_state {
	PROC_NEW,     /* created, not started */
	PROC_RUNNING, /* has live threads */
	PROC_ZOMBIE,  /* every thread exited; exit status final, not reaped */
	PROC_EXITED = PROC_ZOMBIE, /* the name init's callers use */
	PROC_REAPED,  /* waited for: only the struct is left */
};

/* The job-control state a parent's wait can report (WUNTRACED,
 * WCONTINUED), set by stop and continue signals. */
enum proc_jobctl {
	PROC_JOB_NONE,
	PROC_JOB_STOPPED,   /* stopped by stop_signal, not yet reported */
	PROC_JOB_CONTINUED, /* continued, not yet reported */
};

struct thread {
	int tid;
	struct proc *proc;
	struct task *task;
	struct list_head link; /* in proc->threads (proc_lock) */
	bool exiting;          /* this thread's loop stops after the event */
	int exit_code;         /* of exit(2): the process's if it is last */
	struct thread_signals sig; /* <svc/signal.h> */
	/* set_tid_address / CLONE_CHILD_CLEARTID: at exit, 0 is written
	 * there and a futex waiter woken. */
	uptr_t clear_child_tid;
	/* CLONE_CHILD_SETTID: the tid is written there when it starts. */
	uptr_t set_child_tid;
	/* The robust futex list head set_robust_list recorded (0: none). */
	uptr_t robust_list;
	size_t robust_list_len;
	struct thread_cred cred; /* the VFS's copy: <svc/cred.h> */
	int nice; /* -20..19, setpriority(2): services/sys/sys_priority.c */
	/* The thread's comm (Linux's task->comm): PR_SET_NAME, the
	 * task/<tid>/comm file; copied from the creating thread, set by
	 * exec. Written under proc_lock; the leader's is proc->name too. */
	char name[PROC_NAME_MAX];
	/* sched_setscheduler(2) (services/sys/sys_sched_policy.c): the
	 * policy (SCHED_NORMAL, ...), its static priority (1..99 for FIFO
	 * and RR, else 0) and SCHED_RESET_ON_FORK; ioprio_set(2)'s value
	 * (services/sys/sys_ioprio.c, 0: none set). Recorded and reported,
	 * as nice: Keel's scheduler gives every thread the same slice. */
	int sched_policy;
	int rt_priority;
	bool sched_reset_on_fork;
	uint16_t ioprio;
};

/* personality(2)'s ADDR_NO_RANDOMIZE (an enum in Linux's
 * <linux/personality.h>, so not in uapi/, which is checked macro by
 * macro against the host's). */
#define PERSONA_ADDR_NO_RANDOMIZE 0x0040000u

struct proc {
	int pid; /* the thread group id: the first thread's tid */
	char name[PROC_NAME_MAX]; /* the leader thread's comm */
	struct proc *parent;       /* NULL for the programs init starts */
	int parent_tid;            /* the thread of parent that made it */
	int pdeath_signal;         /* PR_SET_PDEATHSIG: sent to it when the
				    * parent_tid thread exits (proc_lock) */
	bool subreaper;            /* PR_SET_CHILD_SUBREAPER */
	bool no_new_privs;         /* PR_SET_NO_NEW_PRIVS: inherited, kept */
	int dumpable;              /* PR_SET_DUMPABLE: 1; 0 after an id
				    * change (Linux's suid_dumpable) */
	struct list_head children; /* struct proc.sibling (proc_lock) */
	struct list_head sibling;
	struct list_head all;      /* in the table's list of processes */
	int pgid, sid;
	struct proc_cred cred; /* <svc/cred.h> (proc_lock) */
	unsigned cred_gen;     /* bumped when cred changes (atomic) */
	int state;             /* enum proc_state (proc_lock; read atomically) */
	bool exiting;          /* the whole group ends (exit_group, a fatal
				* signal, exec from another thread) */
	int exit_code;         /* 0..255, when it exited by itself */
	int term_signal;       /* the signal that killed it, else 0 */
	bool core_dumped;      /* with term_signal: the wait status's 0x80 */
	int exit_signal;       /* sent to the parent at exit (SIGCHLD) */
	int jobctl;            /* enum proc_jobctl, for the parent's wait */
	int stop_signal;       /* the signal that stopped it */
	bool stopped;          /* its threads sleep until SIGCONT */
	bool exec_done;        /* ran execve since its fork (setpgid) */
	unsigned int personality; /* personality(2), kept across fork and
				   * exec (PERSONA_ADDR_NO_RANDOMIZE: fixed
				   * exec bases) */
	bool init_child;       /* started by init, which proc_waits for it;
				* an orphan (parent NULL, !init_child) is
				* reaped as it exits */
	struct list_head threads; /* struct thread.link (proc_lock) */
	int nr_threads;           /* live threads */
	struct thread *leader;    /* NULL once the leader thread exited */
	struct vm_space *vs;
	struct vmar *vmar;        /* shared with CLONE_VM processes */
	/* Resource limits (services/sys/rlimit.c), inherited at fork. */
	struct linux_rlimit rlim[RLIM_NLIMITS];
	struct sighand *sighand;   /* handlers: <svc/signal.h> */
	struct sigpending shared_pending; /* process-directed signals */
	uintptr_t sig_trampoline;  /* riscv64: the sigreturn page, or 0 */
	struct fdtable *files; /* services/vfs/fdtable.c */
	struct file *exe_file; /* the program it runs, denying writes to it
				* (ETXTBSY) until exec or exit: exe_hold.c */
	struct fs_state *fs;   /* cwd and umask: services/vfs/fs_state.c */
	struct time_state *timers; /* itimers, POSIX timers: services/time */
	/* CPU time of threads that exited, and of reaped children. */
	uint64_t dead_user_ns, dead_sys_ns;
	uint64_t child_user_ns, child_sys_ns;
	uint64_t start_ns;     /* time_now_ns() at creation (stat's starttime) */
	struct waitq exit_wq;  /* woken when this process becomes a zombie */
	struct waitq child_wq; /* woken when one of its children changes
				* state (wait4, waitid) */
	struct waitq thread_wq;   /* woken when one of its threads exits */
	struct waitq stop_wq;     /* woken when it is continued or killed */
	struct completion *vfork_done; /* a vfork parent waits on it */
};

/*
 * Loads the program at path (through the VFS) into a new process with
 * arguments argv (argv[0] included, NULL-terminated) and a small default
 * environment. The process does not run until proc_start. Returns 0 with
 * *out set, or -ENOENT (no such file), -EACCES (not executable),
 * -ENOEXEC (not a valid executable for this machine), -E2BIG, -ENOMEM.
 * Nothing is left behind on failure.
 */
int proc_create(const char *path, const char *const *argv,
		struct proc **out);

void proc_start(struct proc *p);

/* Sleeps until p (a process init started) has exited; returns the status
 * a shell would report: the exit code, or 128 + the signal that killed
 * it. */
int proc_wait(struct proc *p);

/* Frees p after proc_wait (or without start, after proc_create). */
void proc_free(struct proc *p);

/* The thread of the calling task and its process (NULL for a kernel
 * task). */
struct thread *thread_current(void);
struct proc *proc_current(void);

/* Sets t's comm to name (cut to PROC_NAME_MAX - 1 bytes), and the
 * process's name too when t leads it (Linux's /proc/<pid>/comm is the
 * leader's). Takes proc_lock; the _locked form with it held. */
void thread_set_name(struct thread *t, const char *name);
void thread_set_name_locked(struct thread *t, const char *name);

/* Makes p exit with code (0..255 kept) once the current event is done:
 * every thread of p ends (exit_group). */
void proc_exit(struct proc *p, int code);

/* Ends p, every thread, as killed by sig (core: the wait status's core
 * dump bit). The first cause of a group exit wins. The _locked form with
 * proc_lock held. */
void proc_kill_group(struct proc *p, int sig, bool core);
void proc_kill_group_locked(struct proc *p, int sig, bool core);

/* Job control (services/proc/jobctl.c): a stop signal's default action
 * stops p (every thread sleeps) and tells its parent; SIGCONT resumes it
 * (proc_lock held) and tells the parent. */
void proc_stop(struct proc *p, int sig);
void proc_continue_locked(struct proc *p);

/* Ends thread t alone with code (exit); the last thread to go ends the
 * process with code. */
void thread_exit(struct thread *t, int code);

/* The CPU time of every thread of p, live and exited. */
void proc_cpu_times(struct proc *p, uint64_t *user_ns, uint64_t *sys_ns);

/* Linux's name of a signal ("SIGSEGV"), "SIG?" when unknown. */
const char *proc_signal_name(int sig);

/* The process table lock (see the top of this file). */
void proc_lock(void);
void proc_unlock(void);

/* Looks up, with proc_lock held: the live (not reaped) process with that
 * pid, the live thread with that tid; NULL when there is none. */
struct proc *proc_find(int pid);
struct thread *thread_find(int tid);

/*
 * Machine-wide counts (/proc/stat, /proc/loadavg): pids and tids given
 * since boot (Linux's total_forks, which counts threads too), the last
 * one given, and the tasks of the table (a zombie counts as its leader).
 * Takes proc_lock.
 */
struct proc_counts {
	unsigned long forks;
	int last_pid;
	unsigned threads;
};

void proc_counts(struct proc_counts *out);

/* Calls fn(p, arg) for every live process (proc_lock held) until fn
 * returns non-zero, which is returned; 0 when it never did. */
int proc_for_each(int (*fn)(struct proc *p, void *arg), void *arg);

/* May sender signal target? The one place for Linux's kill permission
 * rule (the sender's real or effective uid is the target's real or saved
 * one, or the sender has CAP_KILL: effective uid 0), proc_lock held. */
bool proc_may_signal(const struct proc *sender, const struct proc *target);

/* prctl(2)'s process options (services/proc/prctl.c): PDEATHSIG,
 * CHILD_SUBREAPER, DUMPABLE, NO_NEW_PRIVS; -EINVAL for any other. */
long proc_prctl(struct proc *p, int option, unsigned long arg2,
		unsigned long arg3, unsigned long arg4, unsigned long arg5);

/* The thread of p that should take a process-directed signal: the first
 * live one that does not block sig, else the first live one; NULL when p
 * has none (proc_lock held). */
struct thread *proc_signal_target(struct proc *p, int sig);

#endif
