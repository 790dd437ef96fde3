/*
 * epoll_create1, epoll_ctl, epoll_pwait, epoll_pwait2 (epoll_create and
 * epoll_wait are x86-64's only: services/arch/x86_64/event_legacy.c),
 * with Linux's checks in Linux's order. epoll_wait collects at most 64
 * events a pass into a kernel buffer and copies them out after dropping
 * epoll_mutex; a signal ends the wait with EINTR (never restarted, as
 * Linux). An epoll file may watch another unless that makes a cycle or
 * a chain of more than 4 below it (-ELOOP, Linux's EP_MAX_NESTS), so
 * wake-ups never go round in a circle.
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <keel/user.h>
#include <svc/event.h>
#include <svc/fdtable.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/time.h>

#include "epoll_internal.h"
#include "event_internal.h"

#define EP_MAX_EVENTS (INT32_MAX / (int)sizeof(struct linux_epoll_event))
#define EP_BATCH 64
#define EP_MAX_NESTS 4
/* The bits EPOLLEXCLUSIVE may come with (Linux's EPOLLEXCLUSIVE_OK_BITS). */
#define EP_EXCLUSIVE_OK (POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | \
			 EPOLLET | EPOLLEXCLUSIVE | POLLRDNORM | POLLRDBAND | \
			 POLLWRNORM | POLLWRBAND | POLLRDHUP | POLLPRI |      \
			 POLLMSG)

long event_sys_epoll_create1(struct proc *proc, int flags)
{
	struct eventpoll *ep;
	struct file *f;
	int err;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = ep_new();
	if (!ep)
		return -ENOMEM;
	err = event_anon_file(O_RDWR, &epoll_ops, ep, &f);
	if (err) {
		kfree(ep);
		return err;
	}
	return fd_install(proc, f, 0, flags & EPOLL_CLOEXEC);
}

SYSCALL_DEFINE1(epoll_create1, int, flags)
{
	return event_sys_epoll_create1(proc, flags);
}

/* The checks on the target and the events of epoll_ctl. */
static int ctl_check(struct file *ep_file, struct file *tf, int op,
		     uint32_t events)
{
	if (!tf->fops || !tf->fops->poll || (tf->flags & O_PATH))
		return -EPERM;
	if (ep_file == tf || ep_file->fops != &epoll_ops)
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD &&
		    (tf->fops == &epoll_ops || (events & ~EP_EXCLUSIVE_OK)))
			return -EINVAL;
	}
	return 0;
}

/* Whether adding epoll instance from into target would make a cycle
 * (from reaches target) or a chain deeper than Linux's EP_MAX_NESTS (4);
 * depth counts the levels so far. epoll_mutex held. */
static bool ep_loops(struct eventpoll *from, struct eventpoll *target,
		     int depth)
{
	struct list_head *pos;

	if (from == target || depth > EP_MAX_NESTS)
		return true;
	list_for_each(pos, &from->items) {
		struct epitem *epi = list_entry(pos, struct epitem, link);

		if (epi->file->fops == &epoll_ops &&
		    ep_loops(epi->file->priv, target, depth + 1))
			return true;
	}
	return false;
}

/* The operation itself, epoll_mutex held. */
static int ctl_do(struct eventpoll *ep, struct file *tf, int fd, int op,
		  uint32_t events, uint64_t data)
{
	struct epitem *epi = ep_find(ep, tf, fd);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		if (tf->fops == &epoll_ops && ep_loops(tf->priv, ep, 1))
			return -ELOOP;
		return ep_insert(ep, tf, fd, events, data);
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if (epi->events & EPOLLEXCLUSIVE)
			return -EINVAL;
		return ep_modify(epi, events, data);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(epi);
		return 0;
	}
	return -EINVAL;
}

SYSCALL_DEFINE4(epoll_ctl, int, epfd, int, op, int, fd, uptr_t, event)
{
	struct linux_epoll_event ev = { 0, 0 };
	struct file *f, *tf;
	long err;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, event, sizeof(ev)))
		return -EFAULT;
	f = fd_get(proc, epfd);
	if (!f)
		return -EBADF;
	tf = fd_get(proc, fd);
	if (!tf) {
		fd_put(f);
		return -EBADF;
	}
	err = ctl_check(f, tf, op, ev.events);
	if (!err) {
		mutex_lock(&epoll_mutex);
		err = ctl_do(f->priv, tf, fd, op, ev.events, ev.data);
		mutex_unlock(&epoll_mutex);
	}
	fd_put(tf);
	fd_put(f);
	return err;
}

/* One pass over the ready list: up to max events into out. epoll_mutex
 * held. */
static int ep_collect(struct eventpoll *ep, struct linux_epoll_event *out,
		      int max)
{
	struct list_head batch = LIST_HEAD_INIT(batch);
	int n = 0;

	spin_lock(&ep->lock);
	ep_splice_front(&ep->ready, &batch);
	spin_unlock(&ep->lock);
	while (!list_empty(&batch) && n < max) {
		struct epitem *epi =
			list_entry(batch.next, struct epitem, rdlink);
		uint32_t events = epi->events;
		uint32_t mask = file_poll(epi->file, NULL) &
				((events & ~EP_PRIVATE) | EP_ALWAYS);

		spin_lock(&ep->lock);
		list_del(&epi->rdlink);
		spin_unlock(&ep->lock);
		if (!mask || !(events & ~EP_PRIVATE))
			continue;
		out[n].events = mask;
		out[n].data = epi->data;
		n++;
		if (events & EPOLLONESHOT)
			__atomic_store_n(&epi->events, events & EP_PRIVATE,
					 __ATOMIC_RELEASE);
		else if (!(events & EPOLLET))
			ep_make_ready(epi); /* level: look again next time */
	}
	/* What did not fit stays first in line. */
	spin_lock(&ep->lock);
	ep_splice_front(&batch, &ep->ready);
	spin_unlock(&ep->lock);
	return n;
}

long event_do_epoll_wait(struct proc *proc, int epfd, uptr_t events,
			 int maxevents, uint64_t deadline_ns)
{
	struct linux_epoll_event out[EP_BATCH];
	struct eventpoll *ep;
	struct file *f;
	uintptr_t end;
	long ret;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (__builtin_add_overflow(events.addr,
				   (size_t)maxevents * sizeof(out[0]), &end) ||
	    end > user_va_max())
		return -EFAULT;
	f = fd_get(proc, epfd);
	if (!f)
		return -EBADF;
	if (f->fops != &epoll_ops) {
		fd_put(f);
		return -EINVAL;
	}
	ep = f->priv;
	for (;;) {
		mutex_lock(&epoll_mutex);
		ret = ep_collect(ep, out, MIN(maxevents, EP_BATCH));
		mutex_unlock(&epoll_mutex);
		if (ret || (deadline_ns != WAIT_FOREVER &&
			    !time_left_ns(deadline_ns)))
			break;
		ret = WAITQ_WAIT_EVENT_UNTIL(&ep->wq, ep_has_ready(ep),
					     WAIT_INTERRUPTIBLE, deadline_ns);
		if (ret == -EINTR)
			break;
		/* Timed out: one last look (ret 0 then if nothing). */
	}
	fd_put(f);
	if (ret > 0 && copy_to_user(events, out, (size_t)ret * sizeof(out[0])))
		ret = -EFAULT;
	return ret;
}

uint64_t event_ms_deadline(int timeout_ms)
{
	if (timeout_ms < 0)
		return WAIT_FOREVER;
	return time_now_ns() + (uint64_t)timeout_ms * NSEC_PER_MSEC;
}

SYSCALL_DEFINE6(epoll_pwait, int, epfd, uptr_t, events, int, maxevents,
		int, timeout, uptr_t, sigmask, unsigned long, sigsetsize)
{
	struct event_saved_mask sm;
	long ret = event_mask_set(thread, sigmask, sigsetsize, &sm);

	if (ret)
		return ret;
	ret = event_do_epoll_wait(proc, epfd, events, maxevents,
				  event_ms_deadline(timeout));
	ret = event_mask_restore(thread, &sm, ret);
	return ret;
}

SYSCALL_DEFINE6(epoll_pwait2, int, epfd, uptr_t, events, int, maxevents,
		uptr_t, timeout, uptr_t, sigmask, unsigned long, sigsetsize)
{
	struct event_saved_mask sm;
	uint64_t deadline;
	long ret = event_user_deadline(timeout, &deadline);

	if (!ret)
		ret = event_mask_set(thread, sigmask, sigsetsize, &sm);
	if (ret)
		return ret;
	ret = event_do_epoll_wait(proc, epfd, events, maxevents, deadline);
	ret = event_mask_restore(thread, &sm, ret);
	return ret;
}
