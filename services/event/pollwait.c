/*
 * The waiting of one poll or select call: file_poll (every file's poll
 * hook, <svc/poll.h>) and a wait set whose entries the files' poll ops
 * put on their queues through the table's queue callback. Entries come in
 * chunks from the heap, as Linux's poll_table_page, and stay queued until
 * the call ends (poll_waits_finish), so later passes only check.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/time.h>
#include <svc/fdtable.h>
#include <svc/poll.h>
#include <svc/pollwait.h>
#include <svc/vfs.h>
#include <uapi/fcntl.h>

uint32_t file_poll(struct file *f, struct poll_table *pt)
{
	if (f->flags & O_PATH)
		return POLLNVAL;
	if (!f->fops || !f->fops->poll)
		return POLL_DEFAULT_MASK;
	return f->fops->poll(f, pt);
}

/* A wake-up with key concerns an entry waiting for its events. */
static bool entry_filter(struct waitset_entry *e, unsigned long key)
{
	struct poll_entry *pe = container_of(e, struct poll_entry, e);

	return poll_key_matches(key, pe->events);
}

/* The table's queue callback: one more entry, on wq. */
static void queue_entry(struct poll_table *pt, struct waitq *wq)
{
	struct poll_waits *pw = container_of(pt, struct poll_waits, pt);
	struct poll_chunk *c = pw->chunks;
	struct poll_entry *pe;

	if (!c || c->used == POLL_CHUNK_ENTRIES) {
		c = kzalloc(sizeof(*c));
		if (!c) {
			pw->nomem = true;
			return;
		}
		c->next = pw->chunks;
		pw->chunks = c;
	}
	pe = &c->entries[c->used++];
	pe->events = pt->events;
	waitset_add(&pw->ws, &pe->e, wq, entry_filter);
}

static void poll_waits_init(struct poll_waits *pw)
{
	pw->pt.queue = queue_entry;
	pw->pt.events = 0;
	pw->chunks = NULL;
	pw->nomem = false;
	waitset_init(&pw->ws);
}

static void poll_waits_finish(struct poll_waits *pw)
{
	waitset_finish(&pw->ws);
	while (pw->chunks) {
		struct poll_chunk *c = pw->chunks;

		pw->chunks = c->next;
		kfree(c);
	}
}

long poll_waits_run(uint64_t deadline_ns, poll_pass_fn pass, void *arg)
{
	struct poll_waits pw;
	bool timed_out = deadline_ns != WAIT_FOREVER &&
			 !time_left_ns(deadline_ns);
	long ret;

	poll_waits_init(&pw);
	for (bool first = true;; first = false) {
		ret = pass(arg, first && !timed_out ? &pw.pt : NULL);
		if (ret || timed_out)
			break;
		if (pw.nomem) {
			ret = -ENOMEM;
			break;
		}
		ret = waitset_sleep(&pw.ws, WAIT_INTERRUPTIBLE, deadline_ns);
		if (ret == -EINTR)
			break;
		/* Timed out: one last pass, then 0 if nothing is ready. */
		timed_out = ret == -ETIMEDOUT;
	}
	poll_waits_finish(&pw);
	return ret == -EINTR ? -ERESTARTNOHAND : ret;
}
