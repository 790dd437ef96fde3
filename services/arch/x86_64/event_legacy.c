/*
 * x86-64's poll and select, which the generic numbering (riscv64) has
 * only as ppoll and pselect6 (the same work with a millisecond or
 * timeval timeout, services/event/), and its pipe, epoll_create,
 * epoll_wait, eventfd and signalfd (pipe2, epoll_create1, epoll_pwait,
 * eventfd2 and signalfd4 without their flags).
 */
#include <keel/errno.h>
#include <keel/sync.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/event.h>
#include <svc/pipe.h>
#include <svc/syscall.h>
#include <uapi/time.h>

/* poll(fds, nfds, timeout_ms): a negative timeout waits for ever. */
SYSCALL_DEFINE3(poll, uptr_t, ufds, unsigned int, nfds, int, timeout_ms)
{
	long ret = event_do_poll(proc, ufds, nfds, event_ms_deadline(timeout_ms));
	/* Linux restarts a poll with a timeout through restart_syscall,
	 * which Keel lacks: a signal ends it with EINTR. */
	if (ret == -ERESTARTNOHAND && timeout_ms >= 0)
		ret = -EINTR;
	return ret;
}

/* select(nfds, readfds, writefds, exceptfds, timeout): the timeval is
 * rewritten with the time left, as Linux does. */
SYSCALL_DEFINE5(select, int, nfds, uptr_t, readfds, uptr_t, writefds,
		uptr_t, exceptfds, uptr_t, tmo)
{
	const uptr_t sets[3] = { readfds, writefds, exceptfds };
	struct linux_timeval tv;
	struct linux_timespec ts;
	uint64_t deadline;
	long ret;

	if (tmo.addr) {
		if (copy_from_user(&tv, tmo, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		/* Linux normalises a tv_usec of a second or more. */
		ts.tv_sec = tv.tv_sec + tv.tv_usec / 1000000;
		ts.tv_nsec = (tv.tv_usec % 1000000) * 1000;
	}
	ret = event_deadline(tmo.addr ? &ts : NULL, &deadline);
	if (ret)
		return ret;
	ret = event_do_select(proc, nfds, sets, deadline);
	if (tmo.addr && ret != -EFAULT) {
		event_time_left(deadline, &ts);
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		if (copy_to_user(tmo, &tv, sizeof(tv)) && ret >= 0)
			ret = -EFAULT;
	}
	return ret;
}

SYSCALL_DEFINE1(pipe, uptr_t, fds)
{
	return pipe_sys_pipe2(proc, fds, 0);
}

/* epoll_create(size): size is a hint that must be positive. */
SYSCALL_DEFINE1(epoll_create, int, size)
{
	if (size <= 0)
		return -EINVAL;
	return event_sys_epoll_create1(proc, 0);
}

SYSCALL_DEFINE4(epoll_wait, int, epfd, uptr_t, events, int, maxevents,
		int, timeout)
{
	return event_do_epoll_wait(proc, epfd, events, maxevents,
				   event_ms_deadline(timeout));
}

SYSCALL_DEFINE1(eventfd, unsigned int, initval)
{
	return event_sys_eventfd2(proc, initval, 0);
}

/* signalfd(ufd, mask, sizemask): signalfd4 without flags. */
SYSCALL_DEFINE3(signalfd, int, ufd, uptr_t, umask, size_t, size)
{
	return event_sys_signalfd4(proc, ufd, umask, size, 0);
}
