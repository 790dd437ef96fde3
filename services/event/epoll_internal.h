/*
 * The epoll instance (services/event/epoll.c, sys_epoll.c). One global
 * mutex (epoll_mutex) guards every instance's items and every file's
 * watch list, and is held while epoll_wait polls the ready items; the
 * per-instance spinlock guards the ready list, which the wake callbacks
 * change from any context. Lock order: vfs_lock, then epoll_mutex, then
 * a file's wait-queue lock, then ep->lock, then ep's own queues' locks.
 * Nothing under epoll_mutex takes vfs_lock (file_poll does not).
 */
#ifndef EPOLL_INTERNAL_H
#define EPOLL_INTERNAL_H

#include <keel/list.h>
#include <keel/sync.h>
#include <svc/poll.h>
#include <uapi/eventpoll.h>

#define EP_HOOKS 2 /* wait queues per watched file (a pipe's two) */

struct epitem;

struct ep_hook {
	struct waiter w;
	struct epitem *epi;
};

struct epitem {
	struct list_head link;   /* in ep->items */
	struct list_head rdlink; /* in ep->ready; empty when not there */
	struct list_head flink;  /* in file->watches */
	struct eventpoll *ep;
	struct file *file;       /* not referenced: closing it removes us */
	int fd;
	uint32_t events;         /* EPOLL* asked for (atomic for callbacks) */
	uint64_t data;
	struct ep_hook hooks[EP_HOOKS];
	unsigned nhooks;
};

struct eventpoll {
	struct spinlock lock;    /* ready */
	struct list_head items;  /* epoll_mutex */
	struct list_head ready;
	struct waitq wq;         /* epoll_wait sleepers */
	struct waitq poll_wq;    /* polls of this epoll file */
};

extern struct mutex epoll_mutex;
extern const struct file_ops epoll_ops;

/* The events an item is waiting for: what it asked and ERR, HUP. */
#define EP_ALWAYS (POLLERR | POLLHUP)
/* The control bits, which are never events. */
#define EP_PRIVATE (EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP)

struct eventpoll *ep_new(void);
/* epoll_ctl's work with epoll_mutex held; f is the target file. */
int ep_insert(struct eventpoll *ep, struct file *f, int fd,
	      uint32_t events, uint64_t data);
int ep_modify(struct epitem *epi, uint32_t events, uint64_t data);
void ep_remove(struct epitem *epi);
struct epitem *ep_find(struct eventpoll *ep, struct file *f, int fd);
/* Puts epi on the ready list (if not there) and wakes the waiters. */
void ep_make_ready(struct epitem *epi);
bool ep_has_ready(struct eventpoll *ep);
/* Moves every entry of from to the front of to, in order (the ready
 * list's lock held by the caller where it is a ready list). */
void ep_splice_front(struct list_head *from, struct list_head *to);

#endif
