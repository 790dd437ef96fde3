/*
 * Helpers the time, signal and futex tests of tests/abi/ share: reading a
 * clock in nanoseconds, and a periodic SIGALRM (ITIMER_REAL every 10 ms)
 * that interrupts a wait deterministically: a signal that comes before the
 * wait starts is followed by another. Static functions only.
 */
#ifndef ABI_TIME_H
#define ABI_TIME_H

#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

/* The clock's present time in nanoseconds. */
static inline long long abi_now_ns(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* ns as a timespec. */
static inline struct timespec abi_ns_to_ts(long long ns)
{
	struct timespec t = { ns / 1000000000ll, ns % 1000000000ll };

	return t;
}

/* SIGALRM to handler every 10 ms from now on (on 0: stops the timer),
 * the handler installed with SA_RESTART when restart is set. */
static inline void abi_ticker(int on, int restart, void (*handler)(int))
{
	struct itimerval v = { { 0, on ? 10000 : 0 }, { 0, on ? 10000 : 0 } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &v, NULL);
}

#endif
