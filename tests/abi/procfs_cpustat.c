/* The machine-wide CPU and load files of /proc as top, vmstat, uptime,
 * mpstat and psutil read them: /proc/stat's cpu lines (a sum and one per
 * CPU, ten numeric columns), intr, ctxt, btime, processes,
 * procs_running/blocked; /proc/loadavg; /proc/uptime; /proc/vmstat's
 * keys; /proc/self/cgroup. Formats and monotonicity only, never values:
 * the figures do not decrease between two reads, burning CPU time raises
 * the user column, sleeping is a context switch, the reader is running. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_procfs.h"

#define COLUMNS 10
#define MAX_CPUS 256

static char buf[65536];

static long slurp(const char *path)
{
	return abi_slurp(path, buf, sizeof(buf));
}

struct stat_file {
	unsigned long long cpu[MAX_CPUS + 1][COLUMNS]; /* [0]: the sum */
	int ncpus;           /* cpuN lines */
	int well_formed;     /* every cpu line: ten numbers, N in order */
	unsigned long long intr, ctxt, btime, processes, running, blocked;
	int has[6];          /* which of those lines were there */
};

/* Parses a cpu line's ten columns after its label; 1 if exactly ten. */
static int parse_columns(const char *p, unsigned long long *col)
{
	char *end;
	int n = 0;

	while (n < COLUMNS) {
		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		col[n++] = strtoull(p, &end, 10);
		p = end;
	}
	return *p == '\n' || *p == '\0';
}

static const char *const keys[6] = { "intr ", "ctxt ", "btime ",
				     "processes ", "procs_running ",
				     "procs_blocked " };

static void read_stat(struct stat_file *s)
{
	unsigned long long *vals[6] = { &s->intr, &s->ctxt, &s->btime,
					&s->processes, &s->running,
					&s->blocked };
	char *line;

	memset(s, 0, sizeof(*s));
	s->well_formed = slurp("/proc/stat") > 0 && !strncmp(buf, "cpu  ", 5);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "cpu ", 4)) {
			s->well_formed &= parse_columns(line + 4, s->cpu[0]);
		} else if (!strncmp(line, "cpu", 3)) {
			char *end;
			long n = strtol(line + 3, &end, 10);

			if (n != s->ncpus || *end != ' ' || n >= MAX_CPUS) {
				s->well_formed = 0;
				continue;
			}
			s->well_formed &= parse_columns(end, s->cpu[n + 1]);
			s->ncpus++;
		}
		for (int k = 0; k < 6; k++)
			if (!strncmp(line, keys[k], strlen(keys[k]))) {
				*vals[k] = strtoull(line + strlen(keys[k]),
						    NULL, 10);
				s->has[k] = 1;
			}
	}
}

/* Whether every column of every cpu line of b is >= a's, and the
 * counters. Not iowait (column 4), which Linux says may decrease. */
static int stat_grows(const struct stat_file *a, const struct stat_file *b)
{
	for (int c = 0; c <= a->ncpus && c <= b->ncpus; c++)
		for (int k = 0; k < COLUMNS; k++)
			if (k != 4 && b->cpu[c][k] < a->cpu[c][k])
				return 0;
	return b->intr >= a->intr && b->ctxt >= a->ctxt &&
	       b->processes >= a->processes;
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Burns 200 ms of this process's CPU time in user mode. */
static void burn(void)
{
	volatile unsigned long x = 0;
	double start = cpu_seconds();

	while (cpu_seconds() - start < 0.2)
		for (int i = 0; i < 100000; i++)
			x += i;
}

static struct stat_file s1, s2, s3;

static void check_stat(void)
{
	cpu_set_t set;
	int k, all;

	read_stat(&s1);
	sched_getaffinity(0, sizeof(set), &set);
	abi_yes("stat cpu lines have ten numeric columns", s1.well_formed);
	abi_yes("stat has a cpuN line per CPU we may run on",
		s1.ncpus >= CPU_COUNT(&set));
	for (k = 0, all = 1; k < 6; k++)
		all &= s1.has[k];
	abi_yes("stat has intr ctxt btime processes procs_*", all);
	abi_yes("procs_running >= 1", s1.running >= 1);
	abi_yes("processes >= 1", s1.processes >= 1);
	abi_yes("btime is after 2020", s1.btime > 1577836800ull);
	usleep(20000);
	read_stat(&s2);
	abi_yes("stat does not decrease over a sleep", stat_grows(&s1, &s2));
	abi_yes("ctxt grows over a sleep", s2.ctxt > s1.ctxt);
	burn();
	read_stat(&s3);
	abi_yes("stat does not decrease over a busy loop",
		stat_grows(&s2, &s3));
	abi_yes("a 200 ms busy loop raises the user column",
		s3.cpu[0][0] > s2.cpu[0][0]);
}

static void check_loadavg(void)
{
	double avg[3];
	int running = 0, total = 0, last = 0;

	slurp("/proc/loadavg");
	abi_yes("loadavg parses",
		sscanf(buf, "%lf %lf %lf %d/%d %d", &avg[0], &avg[1], &avg[2],
		       &running, &total, &last) == 6);
	abi_yes("loadavg averages >= 0",
		avg[0] >= 0 && avg[1] >= 0 && avg[2] >= 0);
	abi_yes("loadavg 1 <= running <= total",
		running >= 1 && running <= total);
	abi_yes("loadavg last pid > 0", last > 0);
}

static int read_uptime(double *up, double *idle)
{
	slurp("/proc/uptime");
	return sscanf(buf, "%lf %lf", up, idle) == 2;
}

static void check_uptime(void)
{
	double up1 = -1, idle1 = -1, up2 = -1, idle2 = -1;

	abi_yes("uptime parses", read_uptime(&up1, &idle1));
	abi_yes("uptime idle >= 0", idle1 >= 0);
	usleep(50000);
	read_uptime(&up2, &idle2);
	abi_yes("uptime grows", up2 > up1);
	abi_yes("uptime idle does not decrease", idle2 >= idle1);
}

static void check_vmstat(void)
{
	static const char *const want[] = {
		"nr_free_pages", "nr_inactive_anon", "nr_active_anon",
		"nr_inactive_file", "nr_active_file", "pgpgin", "pgpgout",
		"pswpin", "pswpout", "pgfault", "pgmajfault",
	};
	char key[64];

	abi_yes("vmstat opens", slurp("/proc/vmstat") > 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		snprintf(key, sizeof(key), "\n%s ", want[i]);
		printf("vmstat has %s: %s\n", want[i],
		       (strncmp(buf, key + 1, strlen(key + 1)) == 0 ||
			strstr(buf, key)) ? "yes" : "no");
	}
}

static void check_cgroup(void)
{
	int lines = 0, colons_ok = 1;

	abi_yes("self/cgroup opens", slurp("/proc/self/cgroup") > 0);
	abi_yes("self/cgroup has a v2 line", !strncmp(buf, "0::/", 4) ||
						    strstr(buf, "\n0::/"));
	for (char *l = strtok(buf, "\n"); l; l = strtok(NULL, "\n")) {
		char *a = strchr(l, ':');

		lines++;
		colons_ok &= a && strchr(a + 1, ':');
	}
	abi_yes("self/cgroup lines are id:controllers:path",
		lines >= 1 && colons_ok);
}

int main(void)
{
	check_stat();
	check_loadavg();
	check_uptime();
	check_vmstat();
	check_cgroup();
	return 0;
}
