/*
 * Scheduler internals shared by the core: the task structure, the per-CPU
 * state and the hooks the sync, time, IRQ and user-mode code use. Nothing
 * outside core/ may include this; services see <keel/task.h>.
 *
 * Locking: every CPU has a run queue with its own lock (sched.c). A
 * task's state, on_cpu, queued and affinity fields are protected by the
 * lock of the run queue of t->cpu; t->cpu itself changes only with the
 * locks of both the old and the new CPU's queue held (two queue locks are
 * taken in CPU order, or with a trylock). Queue locks are taken inside
 * wait-queue locks (order: waitq lock, then run-queue locks) and never the
 * other way round.
 */
#ifndef CORE_SCHED_SCHED_H
#define CORE_SCHED_SCHED_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <hal/hal.h>
#include <keel/list.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/user.h>

#include "time/cputime.h"

/* Each task's kernel stack: frames mapped by the HAL with a guard below
 * (hal_kstack_map). */
#define TASK_STACK_SIZE HAL_KSTACK_SIZE

enum task_state {
	TASK_NEW,      /* task_create'd, not started yet */
	TASK_RUNNABLE, /* on the run queue (or current, about to sleep) */
	TASK_RUNNING,  /* current on some CPU */
	TASK_SLEEPING, /* waiting for a wake-up */
	TASK_DEAD,     /* exited; freed when the last reference goes */
};

/* The user register file behind the opaque <keel/user.h> type. */
struct user_ctx {
	struct hal_uctx hw;
};

struct task {
	unsigned id;
	char name[TASK_NAME_MAX];
	enum task_state state;     /* run-queue lock */
	bool on_cpu;               /* some CPU's current; run-queue lock */
	bool queued;               /* on cpu's run queue; run-queue lock */
	unsigned cpu;              /* atomic: the CPU it runs, is queued
				    * on or last ran on (see Locking) */
	uint64_t affinity;         /* atomic: CPUs it may run on; written
				    * under the run-queue lock */
	unsigned refcount;         /* atomic */

	void *stack;               /* TASK_STACK_SIZE bytes; NULL: boot stack */
	hal_paddr_t stack_pa;      /* its frames */
	struct hal_kctx kctx;      /* saved kernel context while switched out */
	task_fn fn;
	void *arg;

	struct user_ctx uctx;      /* meaningful once the task has a vm */
	struct vm_space *vm;       /* referenced; NULL for kernel-only tasks */
	void *owner;               /* services' per-thread state */

	struct task_cputime cputime; /* user/system time, CPU timers */
	struct list_head run_link; /* run queue; run-queue lock */
	bool sleep_interruptible;  /* the sleep ends on task_notify; rq lock */
	bool blocked;              /* counted as blocked (stat.c); rq lock */
	unsigned notified;         /* atomic: task_notify work pending */
	bool exited;               /* atomic; task_join waits for it */
	struct waitq exit_wq;      /* joiners */
	unsigned fail_nth;         /* fault injection: mm/failalloc.c */
	bool fail_fired;
};

/* A CPU's runnable tasks, round-robin. */
struct runq {
	struct spinlock lock;
	struct list_head tasks;
	unsigned nr;            /* atomic copy of the length, for peeking */
};

/* Per-CPU scheduler state, indexed by hal_cpu_id(). */
struct cpu {
	unsigned id;
	struct runq rq;
	struct task *current;   /* atomic (peeked at by other CPUs) */
	struct task *idle;
	bool need_resched;      /* atomic: yield at the next chance */
	bool in_user;           /* atomic: current is inside hal_user_run */
	unsigned long user_entries; /* hal_user_run calls (tests count them) */
	uint64_t slice_end_ns;  /* when current's slice ends */
	struct task *reap;      /* dead task to release after the switch */
	struct task *push;      /* task no longer allowed here, to be
				 * queued on another CPU after the switch */
};

/* Every CPU's state (runq.c). */
extern struct cpu sched_cpus[HAL_MAX_CPUS];

/* This CPU's state. Kernel code is not preempted, so in task context the
 * answer holds until the task sleeps or yields (it may then migrate). */
struct cpu *this_cpu(void);

/* ---- Run queues (runq.c) ------------------------------------------- */

/* Sets up every CPU's queue (boot, before any task exists). */
void runq_init_cpus(void);
/* From now on tasks may be placed on cpu. */
void runq_set_online(unsigned cpu);

/* Queue operations; the queue's lock held. runq_pop: NULL if empty. */
void runq_add(struct cpu *c, struct task *t);
void runq_del(struct cpu *c, struct task *t);
struct task *runq_pop(struct cpu *c);
unsigned runq_len(const struct cpu *c); /* racy peek, no lock */

/* Locks the queue of t->cpu (rechecking that t did not move meanwhile)
 * and returns that CPU. */
struct cpu *task_rq_lock(struct task *t);
/* Two queue locks in CPU order (a == b: one); unlock in reverse. */
void double_rq_lock(struct cpu *a, struct cpu *b);
void double_rq_unlock(struct cpu *a, struct cpu *b);

/* Whether t's affinity lets it run on cpu (and cpu is online). */
bool task_allowed_on(const struct task *t, unsigned cpu);
/* Where t should be queued now (a racy snapshot; see runq.c). */
unsigned select_cpu(const struct task *t);
/* Where t should be queued when the current task wakes it and is about
 * to wait for its answer (WAKE_SYNC): this CPU if the waker is all that
 * runs here and t may run here, else select_cpu(t). */
unsigned select_cpu_sync(const struct task *t);

enum place_why {
	PLACE_NEW,          /* task_start */
	PLACE_PUSH,         /* off a CPU its affinity no longer allows */
	WAKE_ANY,           /* sched_wake */
	WAKE_SYNC,          /* sched_wake_sync: the waker will block */
	WAKE_INTERRUPTIBLE, /* task_notify */
};
/* Queues t on the CPU select_cpu picks (see runq.c); false when a wake
 * found t not sleeping (interruptibly). No queue lock held. */
bool place_task(struct task *t, enum place_why why);

/* Moves a task another CPU has queued onto c's queue, if one may run on
 * c: runq_pull_trylock when c's queue is empty or two shorter than the
 * busiest (c's lock held; never spins on another), runq_pull from the
 * idle loop (no lock held). Return whether a task moved. */
bool runq_pull_trylock(struct cpu *c);
bool runq_pull(struct cpu *c);

/* Kicks one idle CPU on which a task queued on c may run, so that its
 * idle loop pulls it (runq_pull). For a slice that ends with tasks
 * waiting on c while another CPU idles: what a wrong WAKE_SYNC hint
 * leaves behind. Any context. */
void runq_kick_idle_for(struct cpu *c);

/* Makes the boot context CPU 0's first task and creates its idle task.
 * Needs the heap (mm_init) first. */
void sched_init(void);

/* Makes the calling secondary CPU's boot context its idle task, puts the
 * CPU online (other CPUs queue tasks on it from now on) and runs the idle
 * loop. Never returns. */
__attribute__((__noreturn__)) void sched_secondary_enter(unsigned cpu);

/* The IPI handler: another CPU kicked this one (a task queued here, a
 * notification, a timer armed for the running task); re-arms the timer.
 * Interrupts disabled. */
void sched_ipi(void);

/* Kicks the CPU t is running on, if it is another one, so that it
 * re-arms its timer for t (a CPU-time timer was armed on t). */
void sched_kick_task_cpu(struct task *t);

/*
 * Makes a sleeping task runnable. Returns false if it was not sleeping.
 * Callable from interrupt handlers; takes the scheduler lock (so hold no
 * lock ordered after it).
 */
bool sched_wake(struct task *t);

/*
 * sched_wake for a waker that is about to block until t answers (a pipe
 * write whose writer reads the reply next): t is queued on this CPU
 * rather than on another idle one, so it runs when the waker sleeps,
 * without a cross-CPU kick (select_cpu_sync; docs/architecture.md,
 * "Wake-affine"). Task context.
 */
bool sched_wake_sync(struct task *t);

/* Marks the current task as about to sleep: the next schedule() switches
 * away from it unless sched_wake() runs in between (no lost wake-ups).
 * flags: WAIT_INTERRUPTIBLE lets task_notify wake it too. */
void sched_prepare_sleep(unsigned flags);

/*
 * Switches away from the current task if it is still marked sleeping;
 * returns at once if a wake-up came first. Returns -EINTR if the sleep
 * was interruptible and a notification is pending (then it does not
 * switch at all), else 0. Task context, no spinlock.
 */
int sched_sleep(void);

/* Undoes sched_prepare_sleep when the task decides not to sleep. */
void sched_cancel_sleep(void);

/*
 * Picks the next task and switches to it; returns when the current task
 * runs again. A running current task goes to the back of the run queue, a
 * sleeping one stays off it. Call from task context, never with a
 * spinlock held.
 */
void schedule(void);

/* The timer tick: sets need_resched when the current slice is over. */
void sched_tick(uint64_t now_ns);

/* When the timer must fire for the current slice, or HAL_TIMER_OFF when
 * no other task could use the CPU and no user code runs. With a
 * reschedule pending: off in the kernel (which acts on it), soon again
 * in user mode (until an interrupt from user code brings the task back). */
uint64_t sched_slice_deadline(void);

/* Requests a reschedule on this CPU (the IPI handler). */
void sched_set_need_resched(void);

/* The current task if addr lies in the guard below its kernel stack (a
 * kernel stack overflow), else NULL. Any context. */
struct task *sched_stack_guard_owner(uintptr_t addr);

/* Runs on the next task after every switch (and first in a new task):
 * releases the scheduler lock and the task that died before the switch. */
void sched_finish_switch(void);

/* ---- Statistics (stat.c) ------------------------------------------ */

/* prev is switched away from (its queue's lock held): a user task that
 * sleeps uninterruptibly is counted as blocked until it is woken. */
void stat_note_sleep(struct task *prev);
/* t is woken off its CPU (its queue's lock held): no longer blocked. */
void stat_note_wake(struct task *t);
/* A task started (+1) or exited (-1). */
void stat_note_task(int delta);
/* A user page fault was taken on this CPU. */
void stat_note_fault(void);
/* Starts the load average's 5-second sampling (boot, after time_init). */
void loadavg_start(void);

/* Frames held by the cache of dead tasks' stacks (mem_usage). */
size_t sched_cached_stack_frames(void);

#endif
