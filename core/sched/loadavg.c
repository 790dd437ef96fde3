/*
 * The load average: a kernel timer samples the number of running plus
 * blocked tasks (sched_stat) every LOAD_FREQ_NS and folds it into three
 * exponentially decaying averages, as Linux's calc_global_load. Periods
 * the timer missed (a host that did not run the machine) are folded in
 * with the count it finds when it does fire, as Linux's NO_HZ catch-up
 * does. The averages are single words written by the timer alone and
 * read without a lock; the three may come from neighbouring periods.
 */
#include <keel/stat.h>
#include <keel/time.h>

#include "sched/loadavg.h"
#include "sched/sched.h"

/* More periods than this (an hour and a half) leave nothing of the old
 * averages to compute; fold no more. */
#define LOADAVG_MAX_FOLD 1000

static const unsigned long load_exp[3] = { LOAD_EXP_1, LOAD_EXP_5,
					   LOAD_EXP_15 };
static unsigned long avenrun[3]; /* atomic */
static struct ktimer load_timer;
static uint64_t next_sample_ns;  /* the timer's alone */

unsigned long loadavg_calc(unsigned long load, unsigned long exp,
			   unsigned long active)
{
	unsigned long newload = load * exp + active * (LOAD_FIXED_1 - exp);

	if (active >= load)
		newload += LOAD_FIXED_1 - 1;
	return newload / LOAD_FIXED_1;
}

void loadavg_fold(unsigned long avg[3], unsigned long active,
		  uint64_t periods)
{
	unsigned long fixed = active * LOAD_FIXED_1;

	if (periods > LOADAVG_MAX_FOLD)
		periods = LOADAVG_MAX_FOLD;
	for (uint64_t p = 0; p < periods; p++)
		for (unsigned i = 0; i < 3; i++)
			avg[i] = loadavg_calc(avg[i], load_exp[i], fixed);
}

void load_avg(unsigned long out[3])
{
	for (unsigned i = 0; i < 3; i++)
		out[i] = __atomic_load_n(&avenrun[i], __ATOMIC_RELAXED);
}

/* The timer: folds in every period that ended by now, re-arms for the
 * next. Interrupt context. */
static void load_sample(struct ktimer *kt, void *arg)
{
	uint64_t now = time_now_ns(), periods = 1;
	unsigned long avg[3];
	struct sched_stat st;

	(void)arg;
	if (now > next_sample_ns)
		periods += (now - next_sample_ns) / LOAD_FREQ_NS;
	next_sample_ns += periods * LOAD_FREQ_NS;
	sched_stat(&st);
	load_avg(avg);
	loadavg_fold(avg, (unsigned long)st.nr_running + st.nr_blocked,
		     periods);
	for (unsigned i = 0; i < 3; i++)
		__atomic_store_n(&avenrun[i], avg[i], __ATOMIC_RELAXED);
	ktimer_arm(kt, next_sample_ns);
}

void loadavg_start(void)
{
	ktimer_init(&load_timer, load_sample, NULL);
	next_sample_ns = time_now_ns() + LOAD_FREQ_NS;
	ktimer_arm(&load_timer, next_sample_ns);
}
