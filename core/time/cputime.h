/*
 * CPU-time accounting internals: the per-task counters the scheduler and
 * user mode feed (core/time/cputime.c), and the pure arithmetic on them,
 * kept apart so that unit tests can drive it with a chosen "now".
 */
#ifndef CORE_TIME_CPUTIME_H
#define CORE_TIME_CPUTIME_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <keel/list.h>
#include <keel/time.h>

/* Embedded in struct task; all fields under the cputime lock. */
struct task_cputime {
	uint64_t total_ns;     /* on-CPU time up to on_cpu_since */
	uint64_t user_ns;      /* user time up to user_since */
	uint64_t on_cpu_since; /* when it last went on a CPU (if on_cpu) */
	uint64_t user_since;   /* when it last entered user mode (if in_user) */
	bool on_cpu;
	bool in_user;
	bool exited;           /* no more timers */
	bool idle;             /* a CPU's idle task: its time is idle time */
	struct list_head timers; /* armed cputimers, unordered */
};

/*
 * One CPU's time by what it ran: the idle task, another task in the
 * kernel, or user mode. The interval since `since` belongs to `mode`;
 * nothing is counted before the CPU's first stamp. Interrupts are not
 * told apart: their time goes to the mode they interrupted. All fields
 * under the cputime lock.
 */
enum cpu_mode {
	CPU_MODE_IDLE,
	CPU_MODE_SYSTEM,
	CPU_MODE_USER,
	CPU_MODES,
};

struct cpu_times {
	uint64_t ns[CPU_MODES]; /* closed intervals, per mode */
	uint64_t since;         /* start of the open interval */
	enum cpu_mode mode;     /* what the open interval counts as */
	bool started;           /* the CPU has been stamped once */
	uint64_t switches;      /* context switches (prev != next) */
};

/* ---- Pure arithmetic (no locks, no clock) -------------------------- */

void cputime_clear(struct task_cputime *c);

/* User and system time of c as of now. */
void cputime_read(const struct task_cputime *c, uint64_t now,
		  uint64_t *user_ns, uint64_t *system_ns);

/* Value of clock for c as of now. */
uint64_t cputime_clock_value(const struct task_cputime *c,
			     enum cputimer_clock clock, uint64_t now);

/* State changes at now: on or off a CPU, into or out of user mode. */
void cputime_set_on_cpu(struct task_cputime *c, bool on, uint64_t now);
void cputime_set_in_user(struct task_cputime *c, bool in, uint64_t now);

/*
 * The monotonic time at which c's earliest armed timer expires if the
 * task keeps running as it does now (now itself if one is already due);
 * HAL_TIMER_OFF if none can: not on a CPU, no timer, or only user-time
 * timers while in the kernel.
 */
uint64_t cputime_next_expiry(const struct task_cputime *c, uint64_t now);

/* Closes the CPU's open interval at now (an earlier now adds nothing)
 * and opens one of mode. The first call only opens. */
void cpu_times_enter(struct cpu_times *ct, enum cpu_mode mode, uint64_t now);

/* ct's time per mode as of now, the open interval included. */
void cpu_times_read(const struct cpu_times *ct, uint64_t now,
		    uint64_t out[CPU_MODES]);

/* ---- Hooks (take the cputime lock themselves) ---------------------- */

/* A context switch at now on this CPU: prev leaves it, next comes on
 * (prev == next: the CPU's first stamp, not a switch). The CPU's time
 * goes on as next's: idle for an idle task, else system (or user). */
void cputime_switch(struct task_cputime *prev, struct task_cputime *next,
		    uint64_t now);

/* The current task enters / leaves hal_user_run. */
void cputime_user_enter(struct task_cputime *c);
void cputime_user_exit(struct task_cputime *c);

/* When the hardware timer must fire for the current task's CPU timers
 * (HAL_TIMER_OFF: never). */
uint64_t cputime_deadline(struct task_cputime *cur);

/* Timer interrupt: runs the current task's timers that are due. */
void cputime_tick(struct task_cputime *cur);

/* The task exits: its timers are disarmed and can no longer be armed. */
void cputime_exit(struct task_cputime *c);

/* cpu's times as of now and its context switches (cpu < HAL_MAX_CPUS). */
void cputime_cpu_read(unsigned cpu, uint64_t out[CPU_MODES],
		      uint64_t *switches);

#endif
