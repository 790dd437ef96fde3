/*
 * System-wide CPU and scheduler figures, for /proc/stat, /proc/loadavg,
 * /proc/uptime and /proc/vmstat: each CPU's time by mode and its
 * counters, the number of runnable and blocked tasks, and the load
 * average. Every figure is a racy snapshot (read without stopping the
 * CPUs); the counters and times only grow. Task context.
 */
#ifndef KEEL_STAT_H
#define KEEL_STAT_H

#include <keel/types.h>

/*
 * One CPU since boot. user_ns is time in user mode (hal_user_run),
 * idle_ns the time its idle task ran (waiting for interrupts included),
 * system_ns the rest: other tasks in the kernel. Interrupt time is not
 * told apart; it counts as the mode it interrupted.
 */
struct cpu_stat {
	uint64_t user_ns;
	uint64_t system_ns;
	uint64_t idle_ns;
	uint64_t switches;    /* context switches to another task */
	uint64_t interrupts;  /* interrupts taken, every line */
	uint64_t page_faults; /* user page faults taken (resolved or not) */
};

/* Fills *out for cpu; -EINVAL for a cpu >= cpu_count() (then *out is
 * untouched). */
int cpu_stat(unsigned cpu, struct cpu_stat *out);

/*
 * Tasks now: nr_tasks are started and not exited (kernel tasks
 * included, idle tasks not), nr_running of them runnable or running
 * (the caller included), nr_blocked user tasks in an uninterruptible sleep
 * (Linux's D state; kernel-only tasks are left out, as Linux's kernel
 * threads wait in TASK_IDLE, which does not count).
 */
struct sched_stat {
	unsigned nr_tasks;
	unsigned nr_running;
	unsigned nr_blocked;
};

void sched_stat(struct sched_stat *out);

/*
 * The 1-, 5- and 15-minute load averages in fixed point (LOAD_FIXED_1 is
 * 1.0), computed as Linux's calc_global_load: every LOAD_FREQ_NS the
 * number of running plus blocked tasks is folded in with weights
 * exp(-5 s / 1, 5, 15 min).
 */
#define LOAD_FSHIFT 11
#define LOAD_FIXED_1 (1ul << LOAD_FSHIFT)
#define LOAD_FREQ_NS (5ull * 1000000000ull)

void load_avg(unsigned long out[3]);

#endif
