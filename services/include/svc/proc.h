/*
 * Processes: a program loaded into its own address space and run by one
 * task. The process owns the task (task_create/task_set_vm/task_set_owner)
 * and the per-thread loop around user_run(): system calls go to the table
 * (<svc/syscall.h>), unresolved faults and exceptions kill the process with
 * the Linux signal it would get, and a line on the console says why.
 *
 * Lifetime: proc_create() builds a stopped process, proc_start() runs it,
 * proc_wait() sleeps until it has exited and returns its status as a shell
 * reports it, proc_free() releases what is left. The creator does all four.
 */
#ifndef SVC_PROC_H
#define SVC_PROC_H

#include <keel/sync.h>
#include <keel/types.h>
#include <svc/vmar.h>
#include <uapi/resource.h>
#include <uapi/signal.h>

struct signal_state;
struct time_state;

struct task;
struct vm_space;
struct fdtable;
struct fs_state;

#define PROC_NAME_MAX 16 /* as Linux TASK_COMM_LEN, NUL included */

enum proc_state {
	PROC_NEW,     /* created, not started */
	PROC_RUNNING, /* its task runs (or will) */
	PROC_EXITED,  /* finished; exit_code / term_signal are final */
};

struct proc {
	int pid;
	char name[PROC_NAME_MAX];
	struct proc *parent; /* NULL for the programs init starts */
	int state;     /* enum proc_state, read and written atomically */
	bool exiting;          /* the loop stops after this event */
	int exit_code;         /* 0..255, when it exited by itself */
	int term_signal;       /* the signal that killed it, else 0 */
	bool core_dumped;      /* with term_signal: the wait status's 0x80 */
	struct task *task;
	struct vm_space *vs;
	struct vmar vmar;
	/* Resource limits (services/sys/rlimit.c), inherited at fork. */
	struct linux_rlimit rlim[RLIM_NLIMITS];
	/* The robust futex list head set_robust_list recorded (0: none). */
	uptr_t robust_list;
	size_t robust_list_len;
	struct signal_state *sig; /* <svc/signal.h> */
	struct time_state *timers; /* itimers, POSIX timers: services/time */
	struct fdtable *files; /* services/vfs/fdtable.c */
	struct fs_state *fs;   /* cwd and umask: services/vfs/fs_state.c */
	struct waitq exit_wq; /* woken when state becomes PROC_EXITED */
};

/*
 * Loads the program at path (from the initrd) into a new process with
 * arguments argv (argv[0] included, NULL-terminated) and a small default
 * environment. The process does not run until proc_start. Returns 0 with
 * *out set, or -ENOENT (no such file), -EACCES (not a regular file),
 * -ENOEXEC (not a valid executable for this machine), -E2BIG, -EINVAL
 * (malformed initrd), -ENOMEM. Nothing is left behind on failure.
 */
int proc_create(const char *path, const char *const *argv,
		struct proc **out);

void proc_start(struct proc *p);

/* Sleeps until p has exited; returns the status a shell would report:
 * the exit code, or 128 + the signal that killed it. */
int proc_wait(struct proc *p);

/* Frees p after proc_wait (or without start, after proc_create). */
void proc_free(struct proc *p);

/* The process of the calling task (NULL for a kernel task). */
struct proc *proc_current(void);

/* Makes p exit with code (0..255 kept) once the current event is done. */
void proc_exit(struct proc *p, int code);

/* Linux's name of a signal ("SIGSEGV"), "SIG?" when unknown. */
const char *proc_signal_name(int sig);

#endif
