/*
 * timerfd_create, timerfd_settime, timerfd_gettime: a kernel timer
 * (core ktimer, monotonic) as a file. Each expiry adds to a tick count
 * (an interval timer re-arms itself and counts the periods it missed, as
 * Linux's hrtimer_forward); a read of 8 bytes or more takes the count
 * (blocking while it is 0, or -EAGAIN); POLLIN while it is not 0. Setting
 * the timer clears the count. CLOCK_REALTIME deadlines (TFD_TIMER_ABSTIME)
 * are turned into monotonic ones when set: moving the wall clock later
 * does not move them (TFD_TIMER_CANCEL_ON_SET is accepted, never fires).
 */
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/time.h>
#include <keel/uaccess.h>
#include <svc/fdtable.h>
#include <svc/poll.h>
#include <svc/syscall.h>
#include <svc/vfs.h>
#include <uapi/eventfd.h>
#include <uapi/time.h>

#include "event_internal.h"

#define TFD_CREATE_FLAGS (TFD_CLOEXEC | TFD_NONBLOCK)
#define TIMERFD_MIN_GAP (100 * NSEC_PER_USEC)
#define TFD_SETTIME_FLAGS (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)

struct timerfd {
	struct spinlock lock;    /* the fields below; the timer callback */
	struct waitq wq;         /* readers and polls */
	struct ktimer timer;
	int clock;
	uint64_t deadline;       /* monotonic; 0: disarmed */
	uint64_t interval;       /* ns; 0: one shot */
	uint64_t ticks;          /* expiries not read yet (atomic reads) */
};

static const struct file_ops timerfd_ops;

static uint64_t ticks_of(struct timerfd *t)
{
	return __atomic_load_n(&t->ticks, __ATOMIC_ACQUIRE);
}

/* Counts the expiry due at t->deadline (and the periods missed by now)
 * and re-arms an interval timer; a one-shot timer ends. t locked. */
static void expire_locked(struct timerfd *t, uint64_t now)
{
	uint64_t n = 1;

	if (t->interval) {
		if (now > t->deadline)
			n += (now - t->deadline) / t->interval;
		t->deadline += n * t->interval;
		/* A period shorter than TIMERFD_MIN_GAP is counted, not
		 * interrupted for: the next expiry is looked at no sooner,
		 * so a 1 ns interval cannot keep the CPU in this callback. */
		ktimer_arm(&t->timer, MAX(t->deadline, now + TIMERFD_MIN_GAP));
	} else {
		t->deadline = 0;
	}
	__atomic_store_n(&t->ticks, t->ticks + n, __ATOMIC_RELEASE);
}

/* Interrupt context: the timer's expiry. */
static void timerfd_fire(struct ktimer *k, void *arg)
{
	struct timerfd *t = arg;

	spin_lock(&t->lock);
	if (!t->deadline) {
		spin_unlock(&t->lock);
		return;
	}
	expire_locked(t, time_now_ns());
	spin_unlock(&t->lock);
	waitq_wake(&t->wq, UINT32_MAX, POLLIN | POLLRDNORM);
}

static bool clock_ok(int clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_MONOTONIC ||
	       clock == CLOCK_BOOTTIME || clock == CLOCK_REALTIME_ALARM ||
	       clock == CLOCK_BOOTTIME_ALARM;
}

static bool is_realtime(int clock)
{
	return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_ALARM;
}

static uint64_t ts_ns(const struct linux_timespec *ts)
{
	if ((uint64_t)ts->tv_sec >= UINT64_MAX / NSEC_PER_SEC / 2)
		return UINT64_MAX / 2;
	return (uint64_t)ts->tv_sec * NSEC_PER_SEC + (uint64_t)ts->tv_nsec;
}

static void ns_ts(uint64_t ns, struct linux_timespec *ts)
{
	ts->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	ts->tv_nsec = (int64_t)(ns % NSEC_PER_SEC);
}

static bool ts_valid(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 &&
	       ts->tv_nsec < (int64_t)NSEC_PER_SEC;
}

/* The monotonic deadline of a setting's it_value (non-zero). */
/* The monotonic deadline of value, and in *missed the periods of
 * interval already past by then: a wall-clock time d ns in the past
 * fires at once, the d / interval periods before counted, as Linux's
 * hrtimer_forward counts from the first expiry. (A monotonic time in the
 * past is kept as it is: the first fire counts its periods.) */
static uint64_t deadline_of(int clock, int flags,
			    const struct linux_timespec *value,
			    uint64_t interval, uint64_t *missed)
{
	uint64_t v = ts_ns(value), now = time_now_ns(), real, late;

	*missed = 0;
	if (!(flags & TFD_TIMER_ABSTIME))
		return now + v;
	if (!is_realtime(clock))
		return v ? v : 1;
	real = time_realtime_ns();
	if (v > real)
		return now + (v - real);
	late = real - v;
	if (interval) {
		*missed = late / interval;
		late %= interval;
	}
	return now > late ? now - late : 1;
}

/* The current setting as timerfd_gettime reports it (t locked). */
static void current_setting(struct timerfd *t, struct linux_itimerspec *cur)
{
	uint64_t now = time_now_ns();
	uint64_t left = t->deadline > now ? t->deadline - now : 0;

	/* An armed timer due now still shows 1 ns left, as Linux. */
	ns_ts(t->deadline && !left ? 1 : left, &cur->it_value);
	ns_ts(t->interval, &cur->it_interval);
}

/* The timerfd open at fd, or an error (-EBADF, -EINVAL not a timerfd). */
static struct file *timerfd_get(struct proc *proc, int fd, long *err)
{
	struct file *f = fd_get(proc, fd);

	*err = 0;
	if (!f) {
		*err = -EBADF;
	} else if (f->fops != &timerfd_ops) {
		fd_put(f);
		*err = -EINVAL;
		f = NULL;
	}
	return f;
}

SYSCALL_DEFINE4(timerfd_settime, int, fd, int, flags, uptr_t, new_value,
		uptr_t, old_value)
{
	struct linux_itimerspec nv, ov;
	uint64_t missed = 0, now;
	struct timerfd *t;
	struct file *f;
	long err;

	if (copy_from_user(&nv, new_value, sizeof(nv)))
		return -EFAULT;
	if ((flags & ~TFD_SETTIME_FLAGS) || !ts_valid(&nv.it_value) ||
	    !ts_valid(&nv.it_interval))
		return -EINVAL;
	f = timerfd_get(proc, fd, &err);
	if (!f)
		return err;
	t = f->priv;
	ktimer_cancel(&t->timer);
	spin_lock(&t->lock);
	current_setting(t, &ov);
	t->interval = ts_ns(&nv.it_interval);
	t->deadline = ts_ns(&nv.it_value)
			      ? deadline_of(t->clock, flags, &nv.it_value,
					    t->interval, &missed)
			      : 0;
	t->ticks = missed;
	/* A deadline already past counts now, as Linux's expired hrtimer
	 * fires before the call returns: a read right after must see it. */
	now = time_now_ns();
	if (t->deadline && t->deadline <= now)
		expire_locked(t, now);
	else if (t->deadline)
		ktimer_arm(&t->timer, t->deadline);
	spin_unlock(&t->lock);
	if (ticks_of(t))
		waitq_wake(&t->wq, UINT32_MAX, POLLIN | POLLRDNORM);
	fd_put(f);
	if (old_value.addr && copy_to_user(old_value, &ov, sizeof(ov)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(timerfd_gettime, int, fd, uptr_t, curr_value)
{
	struct linux_itimerspec cur;
	struct timerfd *t;
	struct file *f;
	long err;

	f = timerfd_get(proc, fd, &err);
	if (!f)
		return err;
	t = f->priv;
	spin_lock(&t->lock);
	current_setting(t, &cur);
	spin_unlock(&t->lock);
	fd_put(f);
	return copy_to_user(curr_value, &cur, sizeof(cur));
}

/* Takes the tick count (0 when there is none). */
static uint64_t take_ticks(struct timerfd *t)
{
	uint64_t n;

	spin_lock(&t->lock);
	n = t->ticks;
	__atomic_store_n(&t->ticks, 0, __ATOMIC_RELEASE);
	spin_unlock(&t->lock);
	return n;
}

static ssize_t timerfd_read(struct file *f, uptr_t buf, size_t len,
			    uint64_t *pos)
{
	struct timerfd *t = f->priv;
	uint64_t n;

	if (len < sizeof(n))
		return -EINVAL;
	while (!(n = take_ticks(t))) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (WAITQ_WAIT_EVENT_UNTIL(&t->wq, ticks_of(t) != 0,
					   WAIT_INTERRUPTIBLE, WAIT_FOREVER))
			return -ERESTARTSYS;
	}
	if (copy_to_user(buf, &n, sizeof(n)))
		return -EFAULT;
	return sizeof(n);
}

static uint32_t timerfd_poll(struct file *f, struct poll_table *pt)
{
	struct timerfd *t = f->priv;

	poll_wait(pt, &t->wq);
	return ticks_of(t) ? POLLIN | POLLRDNORM : 0;
}

static void timerfd_release(struct file *f)
{
	struct timerfd *t = f->priv;

	spin_lock(&t->lock);
	t->deadline = 0; /* a callback already running does nothing */
	spin_unlock(&t->lock);
	ktimer_cancel(&t->timer);
	kfree(t);
}

static const struct file_ops timerfd_ops = {
	.anon_name = "[timerfd]",
	.own_lock = true,
	.read = timerfd_read,
	.poll = timerfd_poll,
	.llseek = event_noop_llseek,
	.release = timerfd_release,
};

SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
{
	struct timerfd *t;
	struct file *f;
	int err;

	if (!clock_ok(clockid) || (flags & ~TFD_CREATE_FLAGS))
		return -EINVAL;
	t = kzalloc(sizeof(*t));
	if (!t)
		return -ENOMEM;
	spin_init(&t->lock, "timerfd");
	waitq_init(&t->wq, "timerfd");
	ktimer_init(&t->timer, timerfd_fire, t);
	t->clock = clockid;
	err = event_anon_file(O_RDWR | (flags & TFD_NONBLOCK), &timerfd_ops,
			      t, &f);
	if (err) {
		kfree(t);
		return err;
	}
	return fd_install(proc, f, 0, flags & TFD_CLOEXEC);
}
