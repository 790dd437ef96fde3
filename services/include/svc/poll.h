/*
 * Polling open files: the hook every file type implements so that poll,
 * select and epoll can wait on it (Linux's f_op->poll and poll_wait).
 *
 * A file's poll op (file_ops.poll) does two things:
 *   1. it calls poll_wait(pt, wq) for each wait queue whose wake-ups can
 *      change its readiness (a pipe: its reader and writer queues), and
 *   2. it returns the POLL* events ready now (<uapi/poll.h>).
 * It must not sleep and is called without vfs_lock (epoll calls it under
 * its own mutex, which vfs_lock nests outside of), so it reads the file's
 * state with atomic loads or under a spinlock. pt may be NULL (a
 * readiness check only); poll_wait ignores it then.
 *
 * The waking side: whenever the state changes, the file wakes its queue
 * with the events that became ready as the key, e.g.
 *     waitq_wake(&pipe->rd_wait, 1, POLLIN | POLLRDNORM);
 * Sleepers on the queue (a blocked read) are woken as usual; poll, select
 * and epoll entries run their callbacks, which ignore keys without the
 * events they wait for (key 0 concerns everyone). POLLERR and POLLHUP are
 * always of interest, as Linux.
 *
 * What poll, select and epoll register is theirs (struct poll_table's
 * queue callback): poll/select put a wait-set entry (core/sync/waitset.c)
 * on each queue for the duration of one call; epoll keeps one callback
 * entry per watched file and queue until the watch goes.
 */
#ifndef SVC_POLL_H
#define SVC_POLL_H

#include <keel/sync.h>
#include <keel/types.h>
#include <uapi/poll.h>

struct file;

struct poll_table {
	/* Registers the caller's interest in wq; called by poll_wait. */
	void (*queue)(struct poll_table *pt, struct waitq *wq);
	/* The events the caller waits for (POLLERR | POLLHUP included). */
	uint32_t events;
};

/* From a file's poll op: wake-ups of wq may change its readiness. */
static inline void poll_wait(struct poll_table *pt, struct waitq *wq)
{
	if (pt && pt->queue)
		pt->queue(pt, wq);
}

/* What a file without a poll op reports, as Linux's DEFAULT_POLLMASK:
 * always readable and writable (regular files, devices). */
#define POLL_DEFAULT_MASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* Whether a wake-up with key concerns a waiter for events. */
static inline bool poll_key_matches(unsigned long key, uint32_t events)
{
	return !key || (key & (events | POLLERR | POLLHUP));
}

/*
 * The events ready on f, registering pt's interest (pt may be NULL): the
 * file's poll op, or POLL_DEFAULT_MASK without one; no lock taken. An
 * O_PATH file is POLLNVAL.
 */
uint32_t file_poll(struct file *f, struct poll_table *pt);

#endif
