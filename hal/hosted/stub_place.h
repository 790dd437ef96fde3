/*
 * Where a stub thread runs relative to the vCPU thread that drives it
 * (stub_place.c). Internal to hal/hosted.
 *
 * Two placements: SHARED leaves both threads to the host's scheduler,
 * which puts a futex wakee next to its waker, so the two usually share a
 * host CPU and every trap is two host context switches (~2.5 us each on
 * the project's VM). PAIRED keeps the stub thread off the vCPU thread's
 * host CPU (its affinity mask), so that both can spin on the slot and a
 * trap costs two cache-line transfers instead; that pays only when the
 * host has a CPU to spare. The placement can be learned per stub thread
 * from what its traps cost (stub_place_account); that is off unless
 * asked for ($KEEL_HOSTED_PLACE=auto), because on the loaded project VM
 * it measured worse than leaving placement to the host (docs/hal.md,
 * "The hosted trap path").
 */
#ifndef HAL_HOSTED_STUB_PLACE_H
#define HAL_HOSTED_STUB_PLACE_H

#include <stdbool.h>
#include <stdint.h>

enum stub_placement {
	STUB_PLACE_SHARED = 0, /* the host's choice (usually one CPU) */
	STUB_PLACE_PAIRED = 1, /* the stub thread off the vCPU's CPU */
};

/* Traps per measurement window, and the windows between two tries of the
 * other placement: from PROBE_MIN, doubling after each try that lost, up
 * to PROBE_MAX (so that a loaded host pays for few failed tries). */
#define STUB_PLACE_WINDOW 256u
#define STUB_PLACE_PROBE_MIN 2u
#define STUB_PLACE_PROBE_MAX 64u

/* The policy's state, per stub thread (zero: shared, nothing learned). */
struct stub_place {
	uint8_t mode;       /* enum stub_placement in use now */
	uint8_t preferred;  /* ... and the one that measured better */
	uint32_t n;         /* traps in this window */
	uint64_t sum;       /* their cycles' cost, TSC ticks */
	uint64_t mean[2];   /* per placement: its last window's mean */
	uint32_t windows;   /* windows since the last try */
	uint32_t probe_every; /* windows between tries (0: PROBE_MIN) */
};

/*
 * Accounts one trap whose whole cycle (report to report: the kernel's
 * work, user code and both hand-overs) took cost ticks; returns the
 * placement the next trap should use. At the end of a
 * window: a window of the preferred placement refreshes its mean and,
 * every probe_every windows, tries the other for one window; a tried
 * placement becomes the preferred one if its mean is below 3/4 of the
 * preferred's (else the tries back off). Pure: no host calls.
 */
enum stub_placement stub_place_account(struct stub_place *p, uint64_t cost);

struct stub_thread;

/* Boot, before confinement: remembers the host CPUs the kernel may use
 * and the policy ($KEEL_HOSTED_PLACE: unset or shared, the host's choice;
 * auto, learned; paired, always). spinning: both sides may spin (else
 * PAIRED cannot pay and placement stays SHARED). */
void stub_place_probe(bool spinning);

/* Puts t's stub thread (started) where mode says: PAIRED, every host
 * CPU of the kernel but the one this vCPU thread runs on now; SHARED,
 * all of them. Where that cannot be done (one host CPU, the stub died)
 * t->place_off is set and its thread is left on every CPU. */
void stub_place_apply(struct stub_thread *t, enum stub_placement mode);

/* After each user run of t that ended in a report: accounts the cycle
 * since its last one and moves t's thread if the placement changes. */
void stub_place_after_run(struct stub_thread *t);

/* Before a user run of t: a PAIRED thread is moved off the vCPU's host
 * CPU again if the vCPU thread has migrated to the stub's side. */
void stub_place_before_run(struct stub_thread *t);

#endif
