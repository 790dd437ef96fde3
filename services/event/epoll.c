/*
 * The epoll instance and its items (epoll_internal.h): an item watches
 * one (file, fd) pair through callback entries on the queues the file's
 * poll op names (svc/poll.h); a wake-up whose events the item wants puts
 * it on the instance's ready list and wakes epoll_wait. epoll_wait
 * (sys_epoll.c) polls the ready items again before it reports them, so a
 * level-triggered item stays ready while the file is, an edge-triggered
 * one waits for the next wake-up, and a one-shot item is disabled until
 * EPOLL_CTL_MOD. EPOLLEXCLUSIVE entries are exclusive waiters: a
 * wake-up for one reaches one such instance. Polling an epoll file (an
 * epoll set inside another, poll(2) of one) polls its ready items the
 * same way, so it is readable only while one of them has an event.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <svc/epoll.h>
#include <svc/service.h>
#include <svc/vfs.h>

#include "epoll_internal.h"

struct mutex epoll_mutex;

/* At boot, before any process can make an instance (two CPUs may make
 * their first at once). */
static int epoll_init(void)
{
	mutex_init(&epoll_mutex, "epoll");
	return 0;
}
SERVICE_INIT(epoll, SVC_LEVEL_FS, epoll_init);

static uint32_t events_of(const struct epitem *epi)
{
	return __atomic_load_n(&epi->events, __ATOMIC_ACQUIRE);
}

void ep_splice_front(struct list_head *from, struct list_head *to)
{
	while (!list_empty(from)) {
		struct list_head *n = from->prev;

		list_del(n);
		list_add(n, to);
	}
}

bool ep_has_ready(struct eventpoll *ep)
{
	bool ready;

	spin_lock(&ep->lock);
	ready = !list_empty(&ep->ready);
	spin_unlock(&ep->lock);
	return ready;
}

void ep_make_ready(struct epitem *epi)
{
	struct eventpoll *ep = epi->ep;

	spin_lock(&ep->lock);
	if (list_empty(&epi->rdlink))
		list_add_tail(&epi->rdlink, &ep->ready);
	spin_unlock(&ep->lock);
	waitq_wake(&ep->wq, 1, POLLIN);
	waitq_wake(&ep->poll_wq, UINT32_MAX, POLLIN | POLLRDNORM);
}

/* A wake-up of a watched queue (its lock held, any context). */
static bool ep_callback(struct waiter *w, unsigned long key)
{
	struct ep_hook *h = container_of(w, struct ep_hook, w);
	uint32_t events = events_of(h->epi);

	if (!(events & ~EP_PRIVATE))
		return false; /* a one-shot item already reported */
	if (!poll_key_matches(key, events & ~EP_PRIVATE))
		return false;
	ep_make_ready(h->epi);
	return true;
}

/* The poll table callback at insertion: one hook per queue. */
struct ep_queue_table {
	struct poll_table pt;
	struct epitem *epi;
	bool full;
};

static void ep_queue(struct poll_table *pt, struct waitq *wq)
{
	struct ep_queue_table *t = container_of(pt, struct ep_queue_table, pt);
	struct epitem *epi = t->epi;
	struct ep_hook *h;

	if (epi->nhooks == EP_HOOKS) {
		t->full = true;
		return;
	}
	h = &epi->hooks[epi->nhooks++];
	h->epi = epi;
	waiter_init(&h->w, ep_callback, epi->events & EPOLLEXCLUSIVE);
	waitq_add(wq, &h->w);
}

struct eventpoll *ep_new(void)
{
	struct eventpoll *ep = kzalloc(sizeof(*ep));

	if (!ep)
		return NULL;
	spin_init(&ep->lock, "epoll");
	list_init(&ep->items);
	list_init(&ep->ready);
	waitq_init(&ep->wq, "epoll wait");
	waitq_init(&ep->poll_wq, "epoll poll");
	return ep;
}

struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd)
{
	struct list_head *pos;

	list_for_each(pos, &ep->items) {
		struct epitem *epi = list_entry(pos, struct epitem, link);

		if (epi->file == f && epi->fd == fd)
			return epi;
	}
	return NULL;
}

int ep_insert(struct eventpoll *ep, struct file *f, int fd,
	      uint32_t events, uint64_t data)
{
	struct ep_queue_table t = { { ep_queue, events | EP_ALWAYS }, NULL,
				    false };
	struct epitem *epi = kzalloc(sizeof(*epi));
	uint32_t mask;

	if (!epi)
		return -ENOMEM;
	epi->ep = ep;
	epi->file = f;
	epi->fd = fd;
	epi->events = events;
	epi->data = data;
	list_init(&epi->rdlink);
	t.epi = epi;
	mask = file_poll(f, &t.pt);
	list_add_tail(&epi->link, &ep->items);
	list_add_tail(&epi->flink, &f->watches);
	if (mask & (events | EP_ALWAYS))
		ep_make_ready(epi);
	return 0;
}

int ep_modify(struct epitem *epi, uint32_t events, uint64_t data)
{
	uint32_t mask;

	epi->data = data;
	__atomic_store_n(&epi->events, events, __ATOMIC_RELEASE);
	mask = file_poll(epi->file, NULL);
	if (mask & (events | EP_ALWAYS))
		ep_make_ready(epi);
	return 0;
}

void ep_remove(struct epitem *epi)
{
	struct eventpoll *ep = epi->ep;

	for (unsigned k = 0; k < epi->nhooks; k++)
		waitq_remove(&epi->hooks[k].w);
	spin_lock(&ep->lock);
	if (!list_empty(&epi->rdlink))
		list_del(&epi->rdlink);
	spin_unlock(&ep->lock);
	list_del(&epi->link);
	list_del(&epi->flink);
	kfree(epi);
}

void epoll_file_closed(struct file *f)
{
	mutex_lock(&epoll_mutex);
	while (!list_empty(&f->watches))
		ep_remove(list_entry(f->watches.next, struct epitem, flink));
	mutex_unlock(&epoll_mutex);
}

/* Whether an item on ep's ready list has an event now, as Linux's
 * __ep_eventpoll_poll: items polled in turn until one is ready; those
 * that are not (their file was read meanwhile, a disarmed one-shot) leave
 * the list, a callback puts them back. epoll_mutex held (it keeps the
 * items' files alive); an epoll inside reaches here again, at most as
 * deep as ep_insert's nesting limit allows. */
static bool ep_poll_ready(struct eventpoll *ep)
{
	struct list_head batch = LIST_HEAD_INIT(batch);
	bool ready = false;

	spin_lock(&ep->lock);
	ep_splice_front(&ep->ready, &batch);
	spin_unlock(&ep->lock);
	while (!ready && !list_empty(&batch)) {
		struct epitem *epi =
			list_entry(batch.next, struct epitem, rdlink);
		uint32_t events = events_of(epi);

		ready = (events & ~EP_PRIVATE) &&
			(file_poll(epi->file, NULL) &
			 ((events & ~EP_PRIVATE) | EP_ALWAYS));
		if (!ready) {
			spin_lock(&ep->lock);
			list_del(&epi->rdlink);
			spin_unlock(&ep->lock);
		}
	}
	/* The rest (the ready one first) ahead of what came meanwhile. */
	spin_lock(&ep->lock);
	ep_splice_front(&batch, &ep->ready);
	spin_unlock(&ep->lock);
	return ready;
}

static uint32_t epoll_poll(struct file *f, struct poll_table *pt)
{
	struct eventpoll *ep = f->priv;
	bool relock = !mutex_held(&epoll_mutex); /* not in ep_collect */
	bool ready;

	poll_wait(pt, &ep->poll_wq);
	if (relock)
		mutex_lock(&epoll_mutex);
	ready = ep_poll_ready(ep);
	if (relock)
		mutex_unlock(&epoll_mutex);
	return ready ? POLLIN | POLLRDNORM : 0;
}

/* The instance's last reference: every item goes (vfs_lock held). */
static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->priv;

	mutex_lock(&epoll_mutex);
	while (!list_empty(&ep->items))
		ep_remove(list_entry(ep->items.next, struct epitem, link));
	mutex_unlock(&epoll_mutex);
	kfree(ep);
}

const struct file_ops epoll_ops = {
	.anon_name = "[eventpoll]",
	.own_lock = true,
	.poll = epoll_poll,
	.release = epoll_release,
};
