/*
 * Tasks: threads of control with their own kernel stack, scheduled
 * round-robin. Kernel code is not preempted (as Linux PREEMPT_NONE): a task
 * runs until it sleeps, yields, exits or returns to user mode; user code is
 * preempted by the timer every SCHED_SLICE_NS.
 *
 * A task may own a user context and an address space; services run it in
 * user mode with user_run() (see <keel/user.h>) and keep their own process
 * and thread state through task_set_owner(). task_notify() gets a task's
 * attention wherever it is (sleeping or in user mode).
 */
#ifndef KEEL_TASK_H
#define KEEL_TASK_H

#include <keel/types.h>

struct task;
struct vm_space;

typedef void (*task_fn)(void *arg);

#define TASK_NAME_MAX 32

/*
 * Creates a runnable task that calls fn(arg); returning from fn exits the
 * task. The caller holds one reference (drop it with task_put) besides the
 * scheduler's own. Returns NULL when memory runs out.
 */
struct task *task_spawn(const char *name, task_fn fn, void *arg);

/* Same, but the task starts stopped: task_start() makes it runnable. Lets
 * the creator attach an address space and owner first. */
struct task *task_create(const char *name, task_fn fn, void *arg);
void task_start(struct task *t);

void task_get(struct task *t);
void task_put(struct task *t); /* frees the task once dead and unreferenced */

struct task *task_current(void);
const char *task_name(const struct task *t);
unsigned task_id(const struct task *t); /* unique, never reused */

void task_set_owner(struct task *t, void *owner);
void *task_owner(const struct task *t);

/* Gives the CPU to another runnable task, if any. */
void task_yield(void);

/* Ends the calling task. */
noreturn void task_exit(void);

/* Sleeps until t has exited. */
void task_join(struct task *t);

/* Binds an address space to t (takes a reference; drops the old one).
 * Only tasks with an address space may enter user mode. */
void task_set_vm(struct task *t, struct vm_space *vs);
struct vm_space *task_vm(const struct task *t);

/* True when the scheduler wants the CPU back (the slice ran out). */
bool task_should_yield(void);

/*
 * Notification: how services tell a task that work waits for it (a
 * signal, say), as Linux's signal_wake_up. task_notify(t) marks work
 * pending, ends t's interruptible sleep (it returns -EINTR; see
 * WAIT_INTERRUPTIBLE in <keel/sync.h>; uninterruptible sleeps go on) and,
 * if t is running user code, brings it back at once: user_run returns
 * USER_EVENT_INTERRUPT. Any context, including interrupt handlers.
 *
 * The flag stays set, and every interruptible sleep of t fails at once,
 * until t clears it. Clear first, then look for the work (the pending
 * signals): a notification racing with the look sets the flag again.
 */
void task_notify(struct task *t);
bool task_notify_pending(const struct task *t);
/* Clears the current task's flag; returns whether it was set. */
bool task_notify_clear(void);

/*
 * CPUs and affinity. CPUs are numbered 0 .. cpu_count() - 1 in the
 * order they came online; masks hold one bit per CPU (bit i: CPU i).
 * Tasks start with their creator's mask (the boot task's is every CPU).
 */
#define CPU_MASK_ALL UINT64_MAX

unsigned cpu_count(void);       /* CPUs that schedule, >= 1 */
uint64_t cpu_online_mask(void); /* their bits */
/* The calling CPU. It stays the caller's until it sleeps or yields. */
unsigned cpu_id(void);

/*
 * Restricts t to the CPUs in mask (bits of CPUs that are not online are
 * kept but ignored). Returns -EINVAL, changing nothing, if mask holds no
 * online CPU. A task that may no longer run where it is moves: the
 * caller itself before this returns, another task at its next switch (a
 * task in user mode is kicked out of it to move).
 */
int task_set_affinity(struct task *t, uint64_t mask);
/* t's mask as set, restricted to the online CPUs. */
uint64_t task_get_affinity(const struct task *t);
/* The CPU t runs on, is queued on or last ran on. */
unsigned task_cpu(const struct task *t);

#endif
