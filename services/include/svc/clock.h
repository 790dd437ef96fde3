/*
 * The clocks the time calls share (services/time/clock.c): reading a
 * Linux clock id, the conversions to and from the user structures, and
 * the monotonic deadlines every timed wait sleeps to.
 */
#ifndef SVC_CLOCK_H
#define SVC_CLOCK_H

#include <keel/types.h>
#include <uapi/time.h>

struct proc;

/* Reads clock clockid (CLOCK_*) for process p into *ns. Returns 0, or
 * -EINVAL for a clock Keel does not have. */
int clock_read_ns(struct proc *p, int clockid, uint64_t *ns);

/*
 * Can clockid time a sleep (for_sleep) or a timer? 0; -EOPNOTSUPP for
 * the clocks Linux reads but does not time on (the raw and coarse
 * clocks, the alarm clocks, and for a sleep the thread's own CPU clock);
 * -EINVAL for a clock that does not exist.
 */
int clock_timer_check(int clockid, bool for_sleep);

/* ns as a timespec (seconds and nanoseconds). */
struct linux_timespec clock_ns_to_timespec(uint64_t ns);

/* A timespec as nanoseconds, saturating at UINT64_MAX; -EINVAL unless it
 * is valid for Linux (timespec64_valid: tv_sec >= 0, tv_nsec in
 * [0, 1e9)). */
int clock_timespec_to_ns(const struct linux_timespec *ts, uint64_t *ns);

/* The same for a timespec in user memory: -EFAULT first, then -EINVAL. */
int clock_timespec_from_user(uptr_t src, uint64_t *ns);

/* Writes ns as a timespec to user memory: 0 or -EFAULT. */
int clock_timespec_to_user(uptr_t dst, uint64_t ns);

/* The monotonic time (time_now_ns) ns from now, saturating at
 * UINT64_MAX (WAIT_FOREVER: a sleep that never ends). */
uint64_t clock_deadline_after(uint64_t ns);

/*
 * The monotonic deadline of the absolute time abs_ns of clock clockid:
 * abs_ns itself for the monotonic clocks; for the wall clocks, abs_ns
 * less the present offset between wall and monotonic time (a
 * clock_settime during the wait does not move it; Linux's would).
 */
uint64_t clock_abs_deadline(int clockid, uint64_t abs_ns);

#endif
