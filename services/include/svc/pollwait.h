/*
 * One poll or select call's wait (services/event/pollwait.c): a poll
 * table whose queue callback puts a wait-set entry on every queue the
 * polled files name. Use:
 *     poll_waits_init(&pw);
 *     for (;;) {
 *         pw.pt.events = ...; file_poll(f, first ? &pw.pt : NULL); ...
 *         if (ready || timed out) break;
 *         err = poll_waits_sleep(&pw, deadline);   (-EINTR, -ETIMEDOUT)
 *     }
 *     poll_waits_finish(&pw);
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

void poll_waits_init(struct poll_waits *pw);
/* Sleeps interruptibly until an entry fires (0), the monotonic deadline
 * (-ETIMEDOUT; WAIT_FOREVER: none) or a notification (-EINTR). */
int poll_waits_sleep(struct poll_waits *pw, uint64_t deadline_ns);
/* Takes every entry off its queue and frees them. */
void poll_waits_finish(struct poll_waits *pw);

#endif
