/*
 * Kernel-side state of one address space's stub process, shared by
 * stub_host.c (processes, threads, the handshake, hal_user_run) and
 * stub_tlb.c (the mapping-op queue, its hand-over and hal_tlb_flush).
 * Internal to hal/hosted.
 */
#ifndef HAL_HOSTED_STUB_HOST_H
#define HAL_HOSTED_STUB_HOST_H

#include "hosted.h"
#include "stub_abi.h"
#include "stub_place.h"

#include <pthread.h>
#include <stdbool.h>

#define STUB_POLL_NS 50000000l /* how often a waiting kernel checks the
				* stub is alive */

/* One stub thread: the vehicle of vCPU c's user code in this space. */
struct stub_thread {
	struct stub_slot *sl; /* its slot in the context area */
	bool started;         /* it reported STUB_REASON_START */
	int busy;             /* atomic: a vCPU drives it (one at a time) */
	uint64_t spin;        /* the kernel's spin budget waiting for it */
	uint32_t spin_waits;  /* ... and its waits (stub_spin_next) */
	pid_t tid;            /* its host tid, kept at its start */
	struct stub_place place; /* its learned placement (stub_place.c) */
	uint32_t place_cpu;   /* PAIRED: the host CPU (+1) it is kept off;
			       * 0: SHARED */
	bool place_off;       /* placement failed: left to the host */
	uint64_t place_seen;  /* TSC when its last report was seen */
};

struct hosted_stub {
	pid_t pid;                /* 0: not spawned yet */
	bool dead;                /* the process is gone (and reaped), or
				   * was killed because a mapping failed */
	void *area;               /* the context area, kernel mapping */
	struct stub_header *hdr;
	void *map;                /* the mapper's region (stub_map.h) */
	struct stub_map_req *req;
	struct stub_map_done *done;
	pthread_mutex_t spawn_lock;
	struct stub_thread th[STUB_SLOTS];
	uint32_t in_user;         /* atomic: slots between GO and report */
	int queue_lock;           /* spinlock for the op queue */
	struct stub_op *q;        /* ops not yet handed to a thread */
	size_t nq, capq;
	bool mapping;             /* a vCPU has a batch with the mapper and
				   * waits for it (queue_lock) */
	uint64_t batch;           /* batches handed to the mapper */
	struct hosted_tlb_calls calls; /* for tests (queue_lock) */
	int slot;                 /* index in live_pids, or -1 */
};

/* ---- stub_host.c ---- */

/* Is the stub still alive? Reaps it if not. */
bool stub_alive(struct hosted_stub *s);

/* The kernel side's longest spin waiting for a stub (TSC ticks). */
uint64_t stub_kernel_spin(void);

/* ---- stub_tlb.c ---- */

/*
 * Has the stub's mapper apply every queued op (s spawned), batch by
 * batch, and waits until it has: when this returns true, the host
 * mappings are the page tables' as of the call. Waits while another
 * vCPU's batch is with the mapper (so ops are applied in order). False
 * if the stub died (a failed op ends it).
 */
bool stub_apply_ops(struct hosted_stub *s);

/* Drops the queued ops and unmaps all of user space in the stub (s
 * spawned), synchronously; false if that failed (the stub is then dead).
 * For reusing the stub with a new address space. */
bool stub_scrub(struct hosted_stub *s);

#endif
