/*
 * System-wide figures of <keel/stat.h>: each CPU's times and counters
 * (times and switches from the cputime stamps, interrupts from the
 * dispatcher, page faults from user mode) and the number of running and
 * blocked tasks.
 *
 * Blocked tasks are counted as Linux's nr_uninterruptible: a user task
 * that switches away in an uninterruptible sleep adds one to the count
 * of the CPU it leaves, its wake-up takes one from the count of the CPU
 * that wakes it; only the sum over the CPUs means anything. Both happen
 * under the lock of the task's queue (t->blocked says whether it is
 * counted), the counters themselves are atomics of their CPU's, so no
 * lock is shared by every switch.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/stat.h>

#include "irq/irq.h"
#include "sched/sched.h"

static long nr_blocked[HAL_MAX_CPUS];           /* atomic; may be < 0 */
static unsigned long nr_faults[HAL_MAX_CPUS];   /* atomic */
static long nr_tasks;                           /* atomic */

void stat_note_task(int delta)
{
	__atomic_add_fetch(&nr_tasks, delta, __ATOMIC_RELAXED);
}

void stat_note_sleep(struct task *prev)
{
	if (prev->state != TASK_SLEEPING || prev->sleep_interruptible ||
	    !prev->vm)
		return;
	prev->blocked = true;
	__atomic_add_fetch(&nr_blocked[hal_cpu_id()], 1, __ATOMIC_RELAXED);
}

void stat_note_wake(struct task *t)
{
	if (!t->blocked)
		return;
	t->blocked = false;
	__atomic_sub_fetch(&nr_blocked[hal_cpu_id()], 1, __ATOMIC_RELAXED);
}

void stat_note_fault(void)
{
	__atomic_add_fetch(&nr_faults[hal_cpu_id()], 1, __ATOMIC_RELAXED);
}

int cpu_stat(unsigned cpu, struct cpu_stat *out)
{
	uint64_t ns[CPU_MODES], switches;

	if (cpu >= cpu_count())
		return -EINVAL;
	cputime_cpu_read(cpu, ns, &switches);
	*out = (struct cpu_stat){
		.user_ns = ns[CPU_MODE_USER],
		.system_ns = ns[CPU_MODE_SYSTEM],
		.idle_ns = ns[CPU_MODE_IDLE],
		.switches = switches,
		.interrupts = irq_count(cpu),
		.page_faults = __atomic_load_n(&nr_faults[cpu],
					       __ATOMIC_RELAXED),
	};
	return 0;
}

void sched_stat(struct sched_stat *out)
{
	long blocked = 0, tasks;
	unsigned running = 0;

	for (unsigned i = 0; i < HAL_MAX_CPUS; i++) {
		const struct cpu *c = &sched_cpus[i];
		const struct task *cur =
			__atomic_load_n(&c->current, __ATOMIC_RELAXED);

		running += runq_len(c);
		if (cur && cur != c->idle)
			running++;
		blocked += __atomic_load_n(&nr_blocked[i], __ATOMIC_RELAXED);
	}
	tasks = __atomic_load_n(&nr_tasks, __ATOMIC_RELAXED);
	out->nr_tasks = tasks > 0 ? (unsigned)tasks : 0;
	/* Counted at different moments: keep the snapshot consistent. */
	out->nr_running = MIN(running, out->nr_tasks);
	out->nr_blocked = blocked > 0 ? (unsigned)blocked : 0;
}
