/*
 * The load average's arithmetic (core/sched/loadavg.c), apart from its
 * timer so that tests can drive it with chosen counts and periods.
 */
#ifndef CORE_SCHED_LOADAVG_H
#define CORE_SCHED_LOADAVG_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

#include <keel/stat.h>

/* exp(-5 s / 1, 5, 15 min) in fixed point (Linux's EXP_1, EXP_5, EXP_15). */
#define LOAD_EXP_1 1884
#define LOAD_EXP_5 2014
#define LOAD_EXP_15 2037

/*
 * One period of Linux's calc_load: load decays by exp and moves towards
 * active (fixed point); it rounds up while rising, so a steady count is
 * reached exactly, and down while falling, so an idle system reaches 0.
 */
unsigned long loadavg_calc(unsigned long load, unsigned long exp,
			   unsigned long active);

/* periods periods of a constant count of active tasks (not fixed
 * point) folded into the three averages avg[0..2]. */
void loadavg_fold(unsigned long avg[3], unsigned long active,
		  uint64_t periods);

#endif
