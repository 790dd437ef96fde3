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
};

struct hosted_stub {
	pid_t pid;                /* 0: not spawned yet */
	bool dead;                /* the process is gone (and reaped), or
				   * was killed because a mapping failed */
	void *area;               /* the context area, kernel mapping */
	struct stub_header *hdr;
	pthread_mutex_t spawn_lock;
	struct stub_thread th[STUB_SLOTS];
	uint32_t in_user;         /* atomic: slots between GO and report */
	int queue_lock;           /* spinlock for the op queue */
	struct stub_op *q;        /* ops not yet handed to a thread */
	size_t nq, capq;
	bool handing;             /* a vCPU moves ops in SYNC round trips */
	uint64_t queued;          /* ops ever queued (queue_lock) */
	uint64_t handed;          /* of those, ops in a slot or applied;
				   * hdr->applied catches up (queue_lock) */
	struct hosted_tlb_calls calls; /* for tests (queue_lock) */
	int slot;                 /* index in live_pids, or -1 */
};

/* ---- stub_host.c ---- */

/* Is the stub still alive? Reaps it if not. */
bool stub_alive(struct hosted_stub *s);

/* Lets t go with cmd and waits for its report; false if the stub died
 * or failed an op (then it is killed: no thread runs user code on
 * mappings the page tables do not have). */
bool stub_round_trip(struct hosted_stub *s, struct stub_thread *t,
		     enum stub_cmd cmd);

/* ---- stub_tlb.c ---- */

/*
 * Moves the queued ops into t's slot (t idle, started), with SYNC round
 * trips for all but the last batch, which stays in the slot for t's next
 * GO. Waits while another batch is on its way (so ops are applied in
 * order). False if the stub died or failed an op.
 */
bool stub_hand_ops(struct hosted_stub *s, struct stub_thread *t);

/* Drops the queued ops and unmaps all of user space in the stub through
 * t (idle, started, claimed), synchronously; false if that failed (the
 * stub is then dead). For reusing the stub with a new address space. */
bool stub_scrub(struct hosted_stub *s, struct stub_thread *t);

/* The mapping-op sequence number up to which the host mappings are done. */
uint64_t stub_ops_applied(const struct hosted_stub *s);

#endif
