/*
 * One timer of a process (services/time/): what the interval timers
 * (itimer.c) and POSIX timers (posix_timer.c) share. A ptimer runs on the
 * monotonic clock (a core ktimer) or on the process's CPU time (a core
 * cputimer); it keeps its next expiry and interval in nanoseconds of that
 * clock, and when it fires (in interrupt context) it rearms itself for the
 * next period, counting the periods that passed meanwhile, and sends its
 * signal through its notify function.
 *
 * Locking: ts->lock guards every ptimer's expiry and interval against the
 * callbacks. It is never held while a core timer is cancelled (the cancel
 * waits for a running callback, which may be waiting for the lock).
 */
#ifndef TIME_TIMER_INTERNAL_H
#define TIME_TIMER_INTERNAL_H

#include <keel/sync.h>
#include <keel/time.h>
#include <keel/types.h>
#include <uapi/siginfo.h>
#include <uapi/time.h>

struct proc;
struct ptimer;

#define POSIX_TIMER_MAX 64 /* per process */

/* Periods shorter than this are run at this rate, so that a tiny
 * interval cannot keep the CPU in the timer interrupt. */
#define PTIMER_MIN_PERIOD_NS (100 * NSEC_PER_USEC)

/* Sends what the expiry of t means (a signal, or nothing); missed is the
 * number of earlier periods that passed without a firing. Interrupt
 * context, no lock held. */
typedef void (*ptimer_notify_fn)(struct ptimer *t, uint64_t missed);

struct ptimer {
	struct proc *proc;
	bool cpu;                        /* CPU time: ct, else kt */
	enum cputimer_clock cpu_clock;   /* CPUTIMER_USER or _PROF */
	struct ktimer kt;
	struct cputimer ct;
	uint64_t expires;  /* next expiry on its clock; 0: disarmed */
	uint64_t interval; /* 0: one-shot */
	ptimer_notify_fn notify;
	bool silent; /* SIGEV_NONE: a due timer reads as expired (0 left) */
	/* POSIX timers: */
	int id;
	int clockid;
	struct linux_sigevent ev;
	int32_t overrun_last; /* si_overrun of the last signal taken */
};

struct time_state {
	struct spinlock lock;
	struct ptimer itimer[3];                 /* [ITIMER_*] */
	struct ptimer *posix[POSIX_TIMER_MAX];   /* [id], NULL: free */
};

/* A disarmed timer of p on the monotonic clock, or on p's CPU time with
 * cpu_clock when cpu. */
void ptimer_init(struct ptimer *t, struct proc *p, bool cpu,
		 enum cputimer_clock cpu_clock, ptimer_notify_fn notify);

/* The present time of t's clock. */
uint64_t ptimer_now(const struct ptimer *t);

/*
 * Stops t, then arms it for expires (0: leaves it stopped) with interval,
 * both in t's clock; *old_left and *old_interval (if not NULL) get what
 * was left and the interval before. -ESRCH when a CPU-time timer's task
 * has exited (t stays stopped).
 */
int ptimer_set(struct ptimer *t, uint64_t expires, uint64_t interval,
	       uint64_t *old_left, uint64_t *old_interval);

/* What is left until t expires (0: disarmed; 1 ns at least while armed,
 * as Linux reports a timer that is due, unless it is silent) and its
 * interval. */
void ptimer_get(struct ptimer *t, uint64_t *left, uint64_t *interval);

/* Stops t for good; its callback is not running once this returns. */
void ptimer_stop(struct ptimer *t);

/* Sets up p's three interval timers, disarmed (itimer.c). */
void itimer_init_all(struct proc *p);

/* The timer state of the process t belongs to. */
struct time_state *ptimer_state(const struct ptimer *t);

#endif
