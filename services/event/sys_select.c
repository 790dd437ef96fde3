/*
 * select's work (select is x86-64's only, services/arch/x86_64/
 * event_legacy.c) and pselect6: three fd_set bitmaps of nfds bits in,
 * the ready ones out, over file_poll as poll does (sys_poll.c). A
 * descriptor in a set that is not open fails the whole call (-EBADF),
 * within the size Linux's table would have (fd_table_size).
 * Readable: POLLIN, POLLHUP, POLLERR; writable: POLLOUT, POLLERR;
 * exceptional: POLLPRI (Linux's POLL*_SET).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/event.h>
#include <svc/fdtable.h>
#include <svc/pollwait.h>
#include <svc/syscall.h>
#include <uapi/time.h>


#define IN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define OUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define EX_SET (POLLPRI)

#define WORD_BITS 64

/* The sets: in[0..2] read from the user, out[0..2] the results. */
struct select_sets {
	uint64_t *in[3], *out[3];
	size_t words;
};

static bool bit(const uint64_t *set, unsigned fd)
{
	return set && (set[fd / WORD_BITS] >> (fd % WORD_BITS)) & 1;
}

static void set_bit(uint64_t *set, unsigned fd)
{
	set[fd / WORD_BITS] |= 1ull << (fd % WORD_BITS);
}

/* One pass over fds 0..n-1; the number of bits set in out, or -EBADF. */
static long select_pass(struct proc *proc, struct select_sets *s,
			unsigned n, struct poll_table *pt)
{
	static const uint32_t want[3] = { IN_SET, OUT_SET, EX_SET };
	long ready = 0;

	for (int k = 0; k < 3; k++)
		if (s->out[k])
			memset(s->out[k], 0, s->words * 8);
	for (unsigned fd = 0; fd < n; fd++) {
		uint32_t events = 0, mask;
		struct file *f;

		for (int k = 0; k < 3; k++)
			if (bit(s->in[k], fd))
				events |= want[k];
		if (!events)
			continue;
		f = fd_get(proc, (int)fd);
		if (!f)
			return -EBADF;
		if (pt)
			pt->events = events;
		mask = file_poll(f, pt);
		fd_put(f);
		if (mask & POLLNVAL)
			return -EBADF;
		for (int k = 0; k < 3; k++) {
			if (bit(s->in[k], fd) && (mask & want[k])) {
				set_bit(s->out[k], fd);
				ready++;
			}
		}
	}
	return ready;
}

static long select_wait(struct proc *proc, struct select_sets *s,
			unsigned n, uint64_t deadline_ns)
{
	struct poll_waits pw;
	bool timed_out = deadline_ns != WAIT_FOREVER &&
			 !time_left_ns(deadline_ns);
	long ret;

	poll_waits_init(&pw);
	for (bool first = true;; first = false) {
		ret = select_pass(proc, s, n,
				  first && !timed_out ? &pw.pt : NULL);
		if (ret || timed_out)
			break;
		if (pw.nomem) {
			ret = -ENOMEM;
			break;
		}
		ret = poll_waits_sleep(&pw, deadline_ns);
		if (ret == -EINTR)
			break;
		timed_out = ret == -ETIMEDOUT;
	}
	poll_waits_finish(&pw);
	return ret == -EINTR ? -ERESTARTNOHAND : ret;
}

static void free_sets(struct select_sets *s)
{
	for (int k = 0; k < 3; k++) {
		kfree(s->in[k]);
		kfree(s->out[k]);
	}
}

long event_do_select(struct proc *proc, int nfds, const uptr_t user[3],
		     uint64_t deadline_ns)
{
	struct select_sets s = { 0 };
	unsigned n;
	long ret = 0;

	if (nfds < 0)
		return -EINVAL;
	n = MIN((unsigned)nfds, fd_table_size(proc));
	s.words = (n + WORD_BITS - 1) / WORD_BITS;
	for (int k = 0; k < 3 && !ret; k++) {
		if (!user[k].addr || !s.words)
			continue;
		s.in[k] = kmalloc(s.words * 8);
		s.out[k] = kmalloc(s.words * 8);
		if (!s.in[k] || !s.out[k])
			ret = -ENOMEM;
		else if (copy_from_user(s.in[k], user[k], s.words * 8))
			ret = -EFAULT;
	}
	if (!ret)
		ret = select_wait(proc, &s, n, deadline_ns);
	for (int k = 0; k < 3 && ret >= 0; k++)
		if (s.out[k] && copy_to_user(user[k], s.out[k], s.words * 8))
			ret = -EFAULT;
	free_sets(&s);
	return ret;
}

/* pselect6(nfds, readfds, writefds, exceptfds, timeout, sigdata): sigdata
 * points at { const sigset_t *ss; size_t ss_len; }. */
SYSCALL_DEFINE6(pselect6, int, nfds, uptr_t, readfds, uptr_t, writefds,
		uptr_t, exceptfds, uptr_t, tmo, uptr_t, sigdata)
{
	const uptr_t sets[3] = { readfds, writefds, exceptfds };
	struct event_saved_mask sm = { 0 };
	struct linux_timespec ts;
	uint64_t data[2] = { 0, 0 };
	uint64_t deadline;
	long ret;

	if (tmo.addr && copy_from_user(&ts, tmo, sizeof(ts)))
		return -EFAULT;
	ret = event_deadline(tmo.addr ? &ts : NULL, &deadline);
	if (ret)
		return ret;
	if (sigdata.addr && copy_from_user(data, sigdata, sizeof(data)))
		return -EFAULT;
	ret = event_mask_set(proc, uptr(data[0]), data[1], &sm);
	if (ret)
		return ret;
	ret = event_do_select(proc, nfds, sets, deadline);
	event_mask_restore(proc, &sm);
	if (tmo.addr && ret != -EFAULT) {
		event_time_left(deadline, &ts);
		if (copy_to_user(tmo, &ts, sizeof(ts)) && ret >= 0)
			ret = -EFAULT;
	}
	return ret;
}
