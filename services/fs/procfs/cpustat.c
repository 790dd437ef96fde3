/*
 * The machine-wide CPU and load files of /proc: stat, uptime, loadavg
 * and vmstat, in the formats proc(5) gives (what procps' top, vmstat,
 * uptime, sysstat's mpstat and psutil parse), from the core's figures
 * (<keel/stat.h>) and the process table's counts.
 *
 * Keel tells user, system and idle time apart and nothing else: nice
 * time is in user (the core does not know priorities), interrupt time in
 * whichever mode was interrupted, so nice, iowait, irq, softirq, steal
 * and the guest columns are 0. Without swap, a block device or a page
 * cache of its own, vmstat's paging and swap events are 0, as on a
 * machine where they never happen.
 */
#include <keel/stat.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/vm.h>
#include <svc/proc.h>

#include "procfs_internal.h"

#define USER_HZ 100
#define NS_PER_TICK (NSEC_PER_SEC / USER_HZ)

/* Every online CPU's figures summed into *sum. */
static void cpu_stat_sum(struct cpu_stat *sum)
{
	struct cpu_stat c;

	*sum = (struct cpu_stat){ .user_ns = 0 };
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu_stat(cpu, &c))
			continue;
		sum->user_ns += c.user_ns;
		sum->system_ns += c.system_ns;
		sum->idle_ns += c.idle_ns;
		sum->switches += c.switches;
		sum->interrupts += c.interrupts;
		sum->page_faults += c.page_faults;
	}
}

/* One cpu line: the label, then Linux's ten columns in USER_HZ ticks
 * (user nice system idle iowait irq softirq steal guest guest_nice). */
static void cpu_line(struct seq *s, const char *label, const struct cpu_stat *c)
{
	seq_printf(s, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", label,
		   (unsigned long)(c->user_ns / NS_PER_TICK),
		   (unsigned long)(c->system_ns / NS_PER_TICK),
		   (unsigned long)(c->idle_ns / NS_PER_TICK));
}

static uint64_t boot_time_s(void)
{
	return (time_realtime_ns() - time_now_ns()) / NSEC_PER_SEC;
}

int procfs_stat_file(struct seq *s, const struct pnode *n)
{
	struct cpu_stat sum, c;
	struct sched_stat st;
	struct proc_counts pc;
	char label[16];

	cpu_stat_sum(&sum);
	cpu_line(s, "cpu ", &sum); /* Linux's "cpu" and two blanks */
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu_stat(cpu, &c))
			continue;
		ksnprintf(label, sizeof(label), "cpu%u", cpu);
		cpu_line(s, label, &c);
	}
	sched_stat(&st);
	proc_counts(&pc);
	/* intr: the total; Keel has no per-line counts to follow it. */
	seq_printf(s, "intr %lu\nctxt %lu\nbtime %lu\nprocesses %lu\n",
		   (unsigned long)sum.interrupts, (unsigned long)sum.switches,
		   (unsigned long)boot_time_s(), pc.forks);
	seq_printf(s, "procs_running %u\nprocs_blocked %u\n", st.nr_running,
		   st.nr_blocked);
	seq_puts(s, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return 0;
}

/* ns as seconds with two decimals. */
static void seconds(struct seq *s, uint64_t ns, const char *end)
{
	uint64_t ticks = ns / NS_PER_TICK;

	seq_printf(s, "%lu.%02lu%s", (unsigned long)(ticks / USER_HZ),
		   (unsigned long)(ticks % USER_HZ), end);
}

/* Uptime, then the idle time of all CPUs together (so it may exceed
 * uptime on a machine with several). */
int procfs_uptime_file(struct seq *s, const struct pnode *n)
{
	struct cpu_stat sum;

	cpu_stat_sum(&sum);
	seconds(s, time_now_ns(), " ");
	seconds(s, sum.idle_ns, "\n");
	return 0;
}

/* A fixed-point load as Linux prints it: rounded to two decimals. */
static void load_figure(struct seq *s, unsigned long load, const char *end)
{
	load += LOAD_FIXED_1 / 200;
	seq_printf(s, "%lu.%02lu%s", load >> LOAD_FSHIFT,
		   ((load & (LOAD_FIXED_1 - 1)) * 100) >> LOAD_FSHIFT, end);
}

/* The three averages, running/total tasks, the last pid given. */
int procfs_loadavg_file(struct seq *s, const struct pnode *n)
{
	unsigned long avg[3];
	struct sched_stat st;
	struct proc_counts pc;

	load_avg(avg);
	sched_stat(&st);
	proc_counts(&pc);
	for (unsigned i = 0; i < 3; i++)
		load_figure(s, avg[i], " ");
	seq_printf(s, "%u/%u %d\n", st.nr_running, st.nr_tasks, pc.last_pid);
	return 0;
}

/* /proc/vmstat: free pages and page faults as counted, the rest of the
 * keys procps and psutil read as 0. */
int procfs_vmstat_file(struct seq *s, const struct pnode *n)
{
	static const char *const zero[] = {
		"nr_zone_inactive_anon", "nr_zone_active_anon",
		"nr_zone_inactive_file", "nr_zone_active_file",
		"nr_zone_unevictable",	 "nr_zone_write_pending",
		"nr_mlock",		 "nr_inactive_anon",
		"nr_active_anon",	 "nr_inactive_file",
		"nr_active_file",	 "nr_unevictable",
		"nr_anon_pages",	 "nr_mapped",
		"nr_file_pages",	 "nr_dirty",
		"nr_writeback",		 "nr_shmem",
		"pgpgin",		 "pgpgout",
		"pswpin",		 "pswpout",
	};
	struct cpu_stat sum;

	cpu_stat_sum(&sum);
	seq_printf(s, "nr_free_pages %lu\n", (unsigned long)frames_free());
	for (size_t i = 0; i < ARRAY_SIZE(zero); i++)
		seq_printf(s, "%s 0\n", zero[i]);
	seq_printf(s, "pgfault %lu\npgmajfault 0\n",
		   (unsigned long)sum.page_faults);
	return 0;
}
