/*
 * Placement of stub threads (stub_place.h): the learning policy, and the
 * host side that applies it with sched_setaffinity on the stub thread.
 *
 * Why: on a host with a CPU to spare, a trap whose two sides spin on two
 * host CPUs costs about the in-process SIGSYS floor plus the kernel's
 * work (2.7 us median on the project's VM, against 7.3 us when they share
 * a CPU), but the host's scheduler never separates them by itself: every
 * futex wake-up puts the vCPU thread next to the stub thread that woke
 * it. On a loaded host the reverse holds (pinned spinners wait for peers
 * that are preempted: 3x worse). So a stub thread can measure its traps
 * in both placements and keep the better one; only the stub thread is
 * pinned (the vCPU thread serves other spaces too).
 *
 * What a trap costs is its whole cycle, from one report seen by the
 * kernel to the next: a pinned stub thread also waits for its CPU while
 * it runs user code, which the hand-over alone (the first metric tried)
 * does not see. Learning is opt-in ($KEEL_HOSTED_PLACE=auto): on the
 * loaded VM neither metric beat the host's own placement.
 */
#include "stub_place.h"
#include "stub_host.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <stdio.h>

/* A cycle above this (about a second) is a pause (the task slept, the
 * vCPU ran others), not a measurement. */
#define CYCLE_MAX (1ull << 32)

static enum {
	PLACE_OFF,    /* always SHARED, nothing measured (the default) */
	PLACE_AUTO,   /* learned ($KEEL_HOSTED_PLACE=auto) */
	PLACE_PAIRED, /* always PAIRED ($KEEL_HOSTED_PLACE=paired) */
} place_policy;
static cpu_set_t host_cpus; /* the kernel's CPUs at boot */

/* ---- The policy (pure) --------------------------------------------------- */

static uint32_t probe_every(const struct stub_place *p)
{
	return p->probe_every ? p->probe_every : STUB_PLACE_PROBE_MIN;
}

/* The end of a try of the other placement, whose window's mean was m. */
static void try_done(struct stub_place *p, uint64_t m)
{
	if (4 * m < 3 * p->mean[p->preferred]) {
		p->preferred = p->mode;
		p->probe_every = STUB_PLACE_PROBE_MIN;
	} else {
		p->probe_every = probe_every(p) * 2;
		if (p->probe_every > STUB_PLACE_PROBE_MAX)
			p->probe_every = STUB_PLACE_PROBE_MAX;
		p->mode = p->preferred;
	}
	p->windows = 0;
}

/* A window of p->mode ended with mean m. */
static void window_done(struct stub_place *p, uint64_t m)
{
	uint8_t other = !p->mode;

	p->mean[p->mode] = m;
	if (p->mode != p->preferred) {
		try_done(p, m);
		return;
	}
	/* The preferred placement got worse than the other was (the host's
	 * load changed), or it is time to look again: try the other. */
	if ((p->mean[other] && 3 * m > 4 * p->mean[other]) ||
	    ++p->windows >= probe_every(p)) {
		p->mode = other;
		p->windows = 0;
	}
}

/* Has this window already cost twice what a whole window of the other
 * placement did? Then it has lost, whatever the rest would cost: on a
 * loaded host one PAIRED trap can wait a whole host time slice. */
static bool window_lost(const struct stub_place *p)
{
	uint64_t other = p->mean[!p->mode];

	return other && p->sum > 2ull * STUB_PLACE_WINDOW * other;
}

enum stub_placement stub_place_account(struct stub_place *p, uint64_t cost)
{
	p->sum += cost;
	p->n++;
	if (p->n >= STUB_PLACE_WINDOW || window_lost(p)) {
		/* Ended early, the mean is still taken over a whole window:
		 * a lower bound, and above twice the other's. */
		window_done(p, p->sum / STUB_PLACE_WINDOW);
		p->n = 0;
		p->sum = 0;
	}
	return (enum stub_placement)p->mode;
}

/* ---- The host side ------------------------------------------------------- */

void stub_place_probe(bool spinning)
{
	const char *env = getenv("KEEL_HOSTED_PLACE");

	place_policy = PLACE_OFF;
	if (sched_getaffinity(0, sizeof(host_cpus), &host_cpus) != 0)
		CPU_ZERO(&host_cpus); /* then nothing can be PAIRED */
	if (!spinning || CPU_COUNT(&host_cpus) < 2 || !env)
		return;
	if (!strcmp(env, "auto"))
		place_policy = PLACE_AUTO;
	else if (!strcmp(env, "paired"))
		place_policy = PLACE_PAIRED;
}

void stub_place_apply(struct stub_thread *t, enum stub_placement mode)
{
	cpu_set_t set = host_cpus;
	uint32_t cpu = mode == STUB_PLACE_PAIRED ? stub_host_cpu() : 0;

	if (!CPU_COUNT(&host_cpus) || t->tid <= 0)
		goto off;
	if (mode == STUB_PLACE_PAIRED) {
		if (!cpu || cpu > CPU_SETSIZE)
			goto off;
		CPU_CLR(cpu - 1, &set);
		if (!CPU_COUNT(&set))
			goto off;
	}
	if (syscall(SYS_sched_setaffinity, t->tid, sizeof(set), &set) != 0)
		goto off;
	t->place_cpu = cpu;
	return;
off:
	if (t->place_cpu)
		syscall(SYS_sched_setaffinity, t->tid, sizeof(host_cpus),
			&host_cpus);
	t->place_cpu = 0;
	t->place_off = true;
}

void stub_place_after_run(struct stub_thread *t)
{
	uint64_t seen, prev;
	enum stub_placement mode;

	if (place_policy == PLACE_OFF || t->place_off || t->tid <= 0)
		return;
	if (place_policy == PLACE_PAIRED) {
		if (!t->place_cpu)
			stub_place_apply(t, STUB_PLACE_PAIRED);
		return;
	}
	seen = stub_rdtsc();
	prev = t->place_seen;
	t->place_seen = seen;
	if (!prev || seen - prev > CYCLE_MAX)
		return;
	mode = stub_place_account(&t->place, seen - prev);
	if ((mode == STUB_PLACE_PAIRED) != (t->place_cpu != 0))
		stub_place_apply(t, mode);
}

void stub_place_before_run(struct stub_thread *t)
{
	if (t->place_cpu && !t->place_off && stub_host_cpu() != t->place_cpu)
		stub_place_apply(t, STUB_PLACE_PAIRED);
}
