/*
 * Time on the hosted backend: the monotonic clock is the host's
 * CLOCK_MONOTONIC minus its value at start-up, read through the TSC once
 * calibrated (hal/shared/tsc_clock.h), so that the vDSO in the user's
 * stub process computes the same clock with rdtsc and no system call.
 * The TSC is used only when the host's own clock source is the TSC
 * (then it is constant and synchronized across host CPUs) and
 * KEEL_HOSTED_NO_TSC is not set. Each vCPU's one-shot
 * timer is a POSIX timer that signals only that vCPU's thread
 * (SIGEV_THREAD_ID), armed with an absolute deadline.
 * The wall clock is the host's CLOCK_REALTIME.
 */
#include "hosted.h"
#include "../shared/tsc_clock.h"

#include <err.h>
#include <fcntl.h>
#include <stdlib.h>
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

static struct tsc_clock host_clock;

static uint64_t host_clock_ns(void)
{
	return host_monotonic_ns() - boot_ns;
}

static uint64_t host_tsc(void)
{
	return tsc_read_ordered();
}

/* Is the host's clock source the TSC? */
static bool host_clock_is_tsc(void)
{
	static const char path[] =
		"/sys/devices/system/clocksource/clocksource0/"
		"current_clocksource";
	char buf[16] = { 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n >= 3 && strncmp(buf, "tsc\n", 4) == 0;
}

/* Runs before main (and before any unit test): the clock's zero. */
__attribute__((constructor)) static void clock_start(void)
{
	boot_ns = host_monotonic_ns();
	tsc_clock_init(&host_clock, host_clock_ns, host_tsc,
		       host_clock_is_tsc() && !getenv("KEEL_HOSTED_NO_TSC"));
}

uint64_t hal_clock_ns(void)
{
	return tsc_clock_ns(&host_clock);
}

bool hal_clock_sync(struct hal_clock_desc *out)
{
	return tsc_clock_sync(&host_clock, out);
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
