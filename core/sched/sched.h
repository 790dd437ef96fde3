/*
 * Scheduler internals shared by the core: the task structure, the per-CPU
 * state and the hooks the sync, time, IRQ and user-mode code use. Nothing
 * outside core/ may include this; services see <keel/task.h>.
 *
 * Locking: one scheduler lock (sched.c) protects the run queue and every
 * task's state and on_cpu fields. It is taken inside wait-queue locks
 * (order: waitq lock, then scheduler lock) and never the other way round.
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
	enum task_state state;     /* scheduler lock */
	bool on_cpu;               /* some CPU's current; scheduler lock */
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
	struct list_head run_link; /* run queue; scheduler lock */
	bool sleep_interruptible;  /* the sleep ends on task_notify; sched lock */
	unsigned notified;         /* atomic: task_notify work pending */
	bool exited;               /* atomic; task_join waits for it */
	struct waitq exit_wq;      /* joiners */
	unsigned fail_nth;         /* fault injection: mm/failalloc.c */
	bool fail_fired;
};

/* Per-CPU scheduler state, indexed by hal_cpu_id(). */
struct cpu {
	struct task *current;
	struct task *idle;
	bool need_resched;      /* atomic: yield at the next chance */
	bool in_user;           /* atomic: current is inside hal_user_run */
	unsigned long user_entries; /* hal_user_run calls (tests count them) */
	uint64_t slice_end_ns;  /* when current's slice ends */
	struct task *reap;      /* dead task to release after the switch */
};

/* This CPU's state. Call with interrupts disabled or in a task that does
 * not migrate (only CPU 0 schedules for now, see sched.c). */
struct cpu *this_cpu(void);

/* Makes the boot context CPU 0's first task and creates its idle task.
 * Needs the heap (mm_init) first. */
void sched_init(void);

/*
 * Makes a sleeping task runnable. Returns false if it was not sleeping.
 * Callable from interrupt handlers; takes the scheduler lock (so hold no
 * lock ordered after it).
 */
bool sched_wake(struct task *t);

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

#endif
