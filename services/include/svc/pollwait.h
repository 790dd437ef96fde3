/*
 * One poll or select call's wait (services/event/pollwait.c): a poll
 * table whose queue callback puts a wait-set entry on every queue the
 * polled files name, and the loop around it: pass (the caller's check of
 * its descriptors, registering with pt the first time round, pt NULL
 * after) until something is ready, the deadline passes or a signal
 * comes.
 */
#ifndef SVC_POLLWAIT_H
#define SVC_POLLWAIT_H

#include <keel/sync.h>
#include <svc/poll.h>

struct poll_entry {
	struct waitset_entry e;
	uint32_t events;
};

#define POLL_CHUNK_ENTRIES 32

struct poll_chunk {
	struct poll_chunk *next;
	unsigned used;
	struct poll_entry entries[POLL_CHUNK_ENTRIES];
};

struct poll_waits {
	struct poll_table pt;
	struct waitset ws;
	struct poll_chunk *chunks;
	bool nomem; /* an entry could not be allocated */
};

/* The caller's pass over its descriptors: how many are ready (0: none
 * yet) or -errno, registering the waits with pt when it is not NULL. */
typedef long (*poll_pass_fn)(void *arg, struct poll_table *pt);

/* Runs pass until it reports something, the monotonic deadline
 * (WAIT_FOREVER: none; one last pass after it) or a signal
 * (-ERESTARTNOHAND); -ENOMEM when a wait entry could not be made. */
long poll_waits_run(uint64_t deadline_ns, poll_pass_fn pass, void *arg);

#endif
