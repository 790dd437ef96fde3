/* The interval timers: setitimer(2)/getitimer(2) on ITIMER_REAL,
 * ITIMER_VIRTUAL and ITIMER_PROF (the signal each sends, with si_code
 * SI_KERNEL, periodic timers firing again, the old value returned, what
 * is left), alarm(2) (the seconds left, rounded), and the rejected cases.
 * Values that depend on timing are printed as whether they are in range. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_time.h"

static volatile sig_atomic_t hits[65];
static volatile int last_code;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits[sig]++;
	last_code = si->si_code;
}

static long sys_setitimer(int which, const struct itimerval *v,
			  struct itimerval *old)
{
	return syscall(SYS_setitimer, which, v, old);
}

static long sys_getitimer(int which, struct itimerval *v)
{
	return syscall(SYS_getitimer, which, v);
}

static long long usec(const struct timeval *tv)
{
	return tv->tv_sec * 1000000ll + tv->tv_usec;
}

/* Burns CPU until sig has come count times or 10 s of real time passed. */
static void spin_until(int sig, int count)
{
	long long end = abi_now_ns(CLOCK_MONOTONIC) + 10000000000ll;

	while (hits[sig] < count && abi_now_ns(CLOCK_MONOTONIC) < end)
		;
}

static void real_timer(void)
{
	struct itimerval v = { { 0, 0 }, { 5, 0 } }, old, cur;
	sigset_t empty;

	SHOW("getitimer REAL, disarmed", sys_getitimer(ITIMER_REAL, &cur));
	printf("  value %lld, interval %lld\n", usec(&cur.it_value),
	       usec(&cur.it_interval));
	SHOW("setitimer REAL 5s", sys_setitimer(ITIMER_REAL, &v, &old));
	printf("  old value %lld\n", usec(&old.it_value));
	SHOW("getitimer REAL", sys_getitimer(ITIMER_REAL, &cur));
	abi_yes("  4s < left <= 5s", usec(&cur.it_value) > 4000000 &&
					     usec(&cur.it_value) <= 5000000);
	v.it_value.tv_sec = 7;
	v.it_interval.tv_sec = 1;
	SHOW("setitimer REAL 7s every 1s", sys_setitimer(ITIMER_REAL, &v, &old));
	abi_yes("  old: 4s < left <= 5s", usec(&old.it_value) > 4000000 &&
						  usec(&old.it_value) <= 5000000);
	SHOW("getitimer REAL", sys_getitimer(ITIMER_REAL, &cur));
	printf("  interval %lld\n", usec(&cur.it_interval));
	SHOW("setitimer REAL NULL (disarms)", sys_setitimer(ITIMER_REAL, NULL,
							  &old));
	printf("  old interval %lld\n", usec(&old.it_interval));
	sys_getitimer(ITIMER_REAL, &cur);
	printf("  now value %lld, interval %lld\n", usec(&cur.it_value),
	       usec(&cur.it_interval));

	/* Every 2 ms; waits for three signals. */
	v = (struct itimerval){ { 0, 2000 }, { 0, 2000 } };
	sigemptyset(&empty);
	sys_setitimer(ITIMER_REAL, &v, NULL);
	while (hits[SIGALRM] < 3)
		sigsuspend(&empty);
	v = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	sys_setitimer(ITIMER_REAL, &v, NULL);
	printf("periodic REAL: three SIGALRMs, SI_KERNEL %d\n",
	       last_code == SI_KERNEL);
}

static void cpu_timers(void)
{
	struct itimerval v = { { 0, 0 }, { 10, 0 } }, cur;

	/* Armed for long enough that no tick charged in between (a whole
	 * tick of user time under a loaded or sanitized kernel) expires it
	 * before the read; then 5 ms to see it fire. */
	SHOW("setitimer VIRTUAL 10s", sys_setitimer(ITIMER_VIRTUAL, &v, NULL));
	SHOW("getitimer VIRTUAL", sys_getitimer(ITIMER_VIRTUAL, &cur));
	abi_yes("  armed", usec(&cur.it_value) > 0);
	v = (struct itimerval){ { 0, 0 }, { 0, 5000 } };
	SHOW("setitimer VIRTUAL 5ms", sys_setitimer(ITIMER_VIRTUAL, &v, NULL));
	spin_until(SIGVTALRM, 1);
	printf("  SIGVTALRM after user time %d, SI_KERNEL %d\n",
	       hits[SIGVTALRM] == 1, last_code == SI_KERNEL);
	sys_getitimer(ITIMER_VIRTUAL, &cur);
	printf("  then value %lld\n", usec(&cur.it_value));

	v = (struct itimerval){ { 0, 3000 }, { 0, 3000 } };
	SHOW("setitimer PROF 3ms every 3ms",
	     sys_setitimer(ITIMER_PROF, &v, NULL));
	spin_until(SIGPROF, 2);
	v = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	sys_setitimer(ITIMER_PROF, &v, NULL);
	printf("  two SIGPROFs %d\n", hits[SIGPROF] >= 2);
}

static void alarms(void)
{
	unsigned left;

	printf("alarm(5): %u\n", alarm(5));
	left = alarm(0);
	abi_yes("alarm(0) after alarm(5) is 4 or 5", left == 4 || left == 5);
	printf("alarm(0) again: %u\n", alarm(0));
}

static void rejected(void)
{
	struct itimerval v = { { 0, 0 }, { 0, 1000000 } }, cur;

	SHOW("setitimer which 5", sys_setitimer(5, &v, NULL));
	SHOW("setitimer which -1", sys_setitimer(-1, &v, NULL));
	SHOW("setitimer which 5, bad pointer", sys_setitimer(5, (void *)8, NULL));
	SHOW("setitimer usec 1e6", sys_setitimer(ITIMER_REAL, &v, NULL));
	v.it_value = (struct timeval){ -1, 0 };
	SHOW("setitimer sec -1", sys_setitimer(ITIMER_REAL, &v, NULL));
	v.it_value = (struct timeval){ 0, 0 };
	v.it_interval = (struct timeval){ 0, -1 };
	SHOW("setitimer interval usec -1", sys_setitimer(ITIMER_REAL, &v, NULL));
	v = (struct itimerval){ { 0, 0 }, { 9, 0 } };
	SHOW("setitimer bad old pointer",
	     sys_setitimer(ITIMER_REAL, &v, (void *)8));
	sys_getitimer(ITIMER_REAL, &cur);
	abi_yes("  the timer was set anyway", usec(&cur.it_value) > 8000000);
	v = (struct itimerval){ { 0, 0 }, { 0, 0 } };
	sys_setitimer(ITIMER_REAL, &v, NULL);
	SHOW("getitimer which 5", sys_getitimer(5, &cur));
	SHOW("getitimer bad pointer", sys_getitimer(ITIMER_REAL, (void *)8));
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGVTALRM, &sa, NULL);
	sigaction(SIGPROF, &sa, NULL);
	real_timer();
	cpu_timers();
	alarms();
	rejected();
	return 0;
}
