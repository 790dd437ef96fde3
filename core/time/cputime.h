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
	struct list_head timers; /* armed cputimers, unordered */
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

/* ---- Hooks (take the cputime lock themselves) ---------------------- */

/* A context switch at now: prev leaves the CPU, next comes on. */
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

#endif
