/* The clocks: every Linux clock id Keel has, their relations (monotonic
 * never goes back, gettimeofday and time() follow CLOCK_REALTIME), the
 * resolutions, CPU time advancing under work, and the rejected cases
 * (nothing here sets the clock: that would change the oracle's). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"

static const struct {
	clockid_t id;
	const char *name;
} clocks[] = {
	{ CLOCK_REALTIME, "REALTIME" },
	{ CLOCK_MONOTONIC, "MONOTONIC" },
	{ CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID" },
	{ CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID" },
	{ CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" },
	{ CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
	{ CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" },
	{ CLOCK_BOOTTIME, "BOOTTIME" },
	{ CLOCK_TAI, "TAI" },
};

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000ll + t->tv_nsec;
}

/* Raw calls, so that a libc's vDSO path does not hide the kernel's. */
static long sys_gettime(clockid_t id, struct timespec *t)
{
	return syscall(SYS_clock_gettime, id, t);
}

int main(void)
{
	struct timespec a, b, res, start;
	struct timeval tv;
	time_t now;
	char label[64];
	int mono_ok = 1;

	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		snprintf(label, sizeof(label), "gettime %s", clocks[i].name);
		SHOW(label, sys_gettime(clocks[i].id, &a));
		abi_yes("  tv_nsec in range",
			a.tv_nsec >= 0 && a.tv_nsec < 1000000000);
		snprintf(label, sizeof(label), "getres %s", clocks[i].name);
		SHOW(label, syscall(SYS_clock_getres, clocks[i].id, &res));
		abi_yes("  resolution in (0, 10ms]",
			res.tv_sec == 0 && res.tv_nsec > 0 &&
				res.tv_nsec <= 10000000);
	}
	printf("getres MONOTONIC ns: %ld\n",
	       (clock_getres(CLOCK_MONOTONIC, &res), res.tv_nsec));
	SHOW("getres NULL", syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL));
	for (int i = 0; i < 1000; i++) {
		sys_gettime(CLOCK_MONOTONIC, &a);
		sys_gettime(CLOCK_MONOTONIC, &b);
		mono_ok &= ns(&b) >= ns(&a);
	}
	abi_yes("monotonic never goes back", mono_ok);
	sys_gettime(CLOCK_REALTIME, &a);
	abi_yes("realtime is after 2020", a.tv_sec > 1577836800);
	SHOW("gettimeofday", syscall(SYS_gettimeofday, &tv, NULL));
	abi_yes("gettimeofday is near realtime",
		tv.tv_sec - a.tv_sec >= 0 && tv.tv_sec - a.tv_sec < 10);
	abi_yes("tv_usec in range", tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	/* Linux's time() reads the coarse clock, which may still be in the
	 * second before the fine one just read. */
	now = time(NULL);
	abi_yes("time() is near realtime",
		now - a.tv_sec >= -1 && now - a.tv_sec < 10);
	/* Bounded by 10 s of monotonic time, so a stuck clock fails. */
	sys_gettime(CLOCK_MONOTONIC, &start);
	sys_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		sys_gettime(CLOCK_MONOTONIC, &res);
		sys_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while (ns(&b) == ns(&a) && ns(&res) - ns(&start) < 10000000000ll);
	abi_yes("CPU time advances under work", ns(&b) > ns(&a));
	SHOW("gettime clock 99", sys_gettime(99, &a));
	SHOW("gettime bad pointer", sys_gettime(CLOCK_MONOTONIC, (void *)8));
	SHOW("getres clock 99", syscall(SYS_clock_getres, 99, &res));
	SHOW("settime MONOTONIC",
	     syscall(SYS_clock_settime, CLOCK_MONOTONIC, &a));
	SHOW("settime PROCESS_CPUTIME_ID",
	     syscall(SYS_clock_settime, CLOCK_PROCESS_CPUTIME_ID, &a));
	sys_gettime(CLOCK_REALTIME, &a);
	a.tv_nsec = 1000000000;
	SHOW("settime REALTIME nsec 1e9",
	     syscall(SYS_clock_settime, CLOCK_REALTIME, &a));
	a.tv_nsec = -1;
	SHOW("settime REALTIME nsec -1",
	     syscall(SYS_clock_settime, CLOCK_REALTIME, &a));
	SHOW("settime REALTIME bad pointer",
	     syscall(SYS_clock_settime, CLOCK_REALTIME, (void *)8));
	return 0;
}
