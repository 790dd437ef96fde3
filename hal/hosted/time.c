/*
 * Time on the hosted backend: the monotonic clock is the host's
 * CLOCK_MONOTONIC minus its value at start-up, and each vCPU's one-shot
 * timer is a POSIX timer that signals only that vCPU's thread
 * (SIGEV_THREAD_ID), armed with an absolute deadline.
 * The wall clock is the host's CLOCK_REALTIME.
 */
#include "hosted.h"

#include <err.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t boot_ns;

static uint64_t host_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Runs before main (and before any unit test): the clock's zero. */
__attribute__((constructor)) static void clock_start(void)
{
	boot_ns = host_monotonic_ns();
}

uint64_t hal_clock_ns(void)
{
	return host_monotonic_ns() - boot_ns;
}

void hosted_timer_attach(void)
{
	struct hosted_cpu *c = hosted_cpu_self();
	struct sigevent sev;

	if (c->timer_ok)
		return;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = hosted_sig_timer();
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &c->timer) != 0)
		err(1, "keel: timer_create");
	c->timer_ok = true;
}

void hal_timer_arm(uint64_t deadline_ns)
{
	struct hosted_cpu *c = hosted_cpu_self();
	struct itimerspec its;

	if (!c->timer_ok)
		return; /* not a vCPU thread: no timer */
	memset(&its, 0, sizeof(its));
	if (deadline_ns != HAL_TIMER_OFF) {
		uint64_t abs = deadline_ns + boot_ns;

		if (abs < boot_ns || abs > (uint64_t)INT64_MAX)
			abs = (uint64_t)INT64_MAX; /* never, in practice */
		if (abs == 0)
			abs = 1; /* 0 would disarm */
		its.it_value.tv_sec = (time_t)(abs / 1000000000ull);
		its.it_value.tv_nsec = (long)(abs % 1000000000ull);
	}
	timer_settime(c->timer, TIMER_ABSTIME, &its, NULL);
}

uint64_t hal_wall_clock_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
