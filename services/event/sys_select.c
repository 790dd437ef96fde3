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

/* The sets: in[0..2] read from the user, out[0..2] the results, for
 * fds below n. */
struct select_sets {
	struct proc *proc;
	uint64_t *in[3], *out[3];
	size_t words;
	unsigned n;
};

static bool bit(const uint64_t *set, unsigned fd)
{
	return set && (set[fd / WORD_BITS] >> (fd % WORD_BITS)) & 1;
}

static void set_bit(uint64_t *set, unsigned fd)
{
	set[fd / WORD_BITS] |= 1ull << (fd % WORD_BITS);
}

/* One pass over fds 0..n-1 (a poll_pass_fn); the number of bits set in
 * out, or -EBADF. */
static long select_pass(void *arg, struct poll_table *pt)
{
	static const uint32_t want[3] = { IN_SET, OUT_SET, EX_SET };
	struct select_sets *s = arg;
	long ready = 0;

	for (int k = 0; k < 3; k++)
		if (s->out[k])
			memset(s->out[k], 0, s->words * 8);
	for (unsigned fd = 0; fd < s->n; fd++) {
		uint32_t events = 0, mask;
		struct file *f;

		for (int k = 0; k < 3; k++)
			if (bit(s->in[k], fd))
				events |= want[k];
		if (!events)
			continue;
		f = fd_get(s->proc, (int)fd);
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
	struct select_sets s = { .proc = proc };
	long ret = 0;

	if (nfds < 0)
		return -EINVAL;
	s.n = MIN((unsigned)nfds, fd_table_size(proc));
	s.words = (s.n + WORD_BITS - 1) / WORD_BITS;
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
		ret = poll_waits_run(deadline_ns, select_pass, &s);
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
	uint64_t data[2] = { 0, 0 };
	uint64_t deadline;
	long ret = event_user_deadline(tmo, &deadline);

	if (ret)
		return ret;
	if (sigdata.addr && copy_from_user(data, sigdata, sizeof(data)))
		return -EFAULT;
	ret = event_mask_set(thread, uptr(data[0]), data[1], &sm);
	if (ret)
		return ret;
	ret = event_do_select(proc, nfds, sets, deadline);
	ret = event_mask_restore(thread, &sm, ret);
	return event_user_time_left(tmo, deadline, ret);
}
