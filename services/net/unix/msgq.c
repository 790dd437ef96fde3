/*
 * A unix socket's receive queue: a FIFO of messages with the count of
 * unread bytes, and the stream read over it. Plain logic (no locks, no
 * user memory: the copy is a callback), so that tests/unit/test_unix.c
 * drives it directly; the callers hold unix_lock.
 */
#include <keel/heap.h>
#include <keel/string.h>

#include "unix_internal.h"

void msgq_init(struct msgq *q)
{
	list_init(&q->msgs);
	q->bytes = 0;
	q->count = 0;
}

struct unix_msg *unix_msg_alloc(size_t len)
{
	struct unix_msg *m;

	if (len > SIZE_MAX - sizeof(*m))
		return NULL;
	m = kmalloc(sizeof(*m) + len);
	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	list_init(&m->link);
	return m;
}

void msgq_push(struct msgq *q, struct unix_msg *m)
{
	list_add_tail(&m->link, &q->msgs);
	q->bytes += m->len - m->off;
	q->count++;
}

struct unix_msg *msgq_head(struct msgq *q)
{
	if (list_empty(&q->msgs))
		return NULL;
	return list_first_entry(&q->msgs, struct unix_msg, link);
}

struct unix_msg *msgq_pop(struct msgq *q)
{
	struct unix_msg *m = msgq_head(q);

	if (!m)
		return NULL;
	list_del(&m->link);
	list_init(&m->link);
	q->bytes -= m->len - m->off;
	q->count--;
	return m;
}

void msgq_drain(struct msgq *q, struct list_head *list)
{
	struct unix_msg *m;

	while ((m = msgq_pop(q)))
		list_add_tail(&m->link, list);
}

static bool same_creds(const struct linux_ucred *a,
		       const struct linux_ucred *b)
{
	return a->pid == b->pid && a->uid == b->uid && a->gid == b->gid;
}

/* Marks got bytes of m read (not peeking): a message read to its end
 * moves to done. */
static void consume(struct msgq *q, struct unix_msg *m, size_t got,
		    struct list_head *done)
{
	m->off += got;
	q->bytes -= got;
	if (m->off == m->len) {
		list_del(&m->link);
		list_add_tail(&m->link, done);
		q->count--;
	}
}

ssize_t msgq_read_stream(struct msgq *q, size_t len, bool peek,
			 bool check_creds, msgq_copy_fn fn, void *arg,
			 struct list_head *done, struct msgq_read *r)
{
	struct list_head *pos = q->msgs.next;
	size_t copied = 0;
	ssize_t err = 0;

	while (copied < len && pos != &q->msgs && !r->stopped) {
		struct unix_msg *m = list_entry(pos, struct unix_msg, link);
		size_t want = MIN(m->len - m->off, len - copied);
		ssize_t got;

		if (r->has_first && check_creds &&
		    !same_creds(&r->creds, &m->scm.creds)) {
			r->stopped = true;
			break;
		}
		got = want ? fn(arg, m->data + m->off, want) : 0;
		if (got < 0) {
			err = got;
			break;
		}
		if (!r->has_first) {
			r->has_first = true;
			r->creds = m->scm.creds;
			r->from = m->from;
		}
		if (m->scm.nfds) {
			r->fds = m;
			r->stopped = true;
		}
		copied += (size_t)got;
		pos = pos->next;
		if (!peek)
			consume(q, m, (size_t)got, done);
		if ((size_t)got < want || (!peek && m->off < m->len))
			break;
	}
	return copied ? (ssize_t)copied : err;
}
