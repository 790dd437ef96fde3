/* POSIX timers through the raw calls (the kernel's int ids, as the libcs
 * pass them for SIGEV_SIGNAL): timer_create on each clock, SIGEV_SIGNAL
 * with its value and SI_TIMER, the default notification (SIGALRM, the id
 * as value), SIGEV_THREAD_ID, SIGEV_NONE, one-shot, periodic and absolute
 * timers, a CPU-time timer, overruns while the signal is blocked
 * (si_overrun and timer_getoverrun agree), the old setting, and the
 * rejected cases. Timing-dependent values are printed as in range or not. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "abi_time.h"

static volatile sig_atomic_t hits;

static void on_usr1(int sig)
{
	(void)sig;
	hits++;
}

static long tcreate(clockid_t clock, struct sigevent *ev, int *id)
{
	return syscall(SYS_timer_create, clock, ev, id);
}

static long tset(int id, int flags, long long value_ns, long long every_ns,
		 struct itimerspec *old)
{
	struct itimerspec v = {
		{ every_ns / 1000000000ll, every_ns % 1000000000ll },
		{ value_ns / 1000000000ll, value_ns % 1000000000ll },
	};

	return syscall(SYS_timer_settime, id, flags, &v, old);
}

static long tget(int id, struct itimerspec *cur)
{
	return syscall(SYS_timer_gettime, id, cur);
}

static long long ts_ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000ll + t->tv_nsec;
}

static struct sigevent signal_event(int sig, int value)
{
	struct sigevent ev;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = sig;
	ev.sigev_value.sival_int = value;
	return ev;
}

/* SIGEV_THREAD_ID's thread: the union after the first 16 bytes, which
 * glibc and musl name differently. */
static void set_tid(struct sigevent *ev, int tid)
{
	memcpy((char *)ev + 16, &tid, sizeof(tid));
}

/* Waits (SIGUSR1 and SIGALRM blocked) for sig; returns it, si filled. */
static int wait_for(int sig, siginfo_t *si)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	memset(si, 0, sizeof(*si));
	return sigwaitinfo(&set, si);
}

/* Takes a pending sig, if there is one (Linux since 6.13 drops the signal
 * of a timer set again since it was queued; older kernels and Keel
 * deliver it). */
static void drain(int sig)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	sigtimedwait(&set, NULL, &(struct timespec){ 0, 0 });
}

static void one_shot_and_periodic(void)
{
	struct sigevent ev = signal_event(SIGUSR1, 42);
	struct itimerspec cur, old;
	siginfo_t si;
	int id = -1, id2 = -1;

	SHOW("create MONOTONIC, SIGUSR1", tcreate(CLOCK_MONOTONIC, &ev, &id));
	SHOW("gettime, disarmed", tget(id, &cur));
	printf("  value %lld, interval %lld\n", ts_ns(&cur.it_value),
	       ts_ns(&cur.it_interval));
	SHOW("settime 2ms", tset(id, 0, 2000000, 0, &old));
	printf("  old value %lld\n", ts_ns(&old.it_value));
	printf("signal: %d\n", wait_for(SIGUSR1, &si));
	printf("  SI_TIMER %d, value %d, si_timerid is the id %d, overrun %d\n",
	       si.si_code == SI_TIMER, si.si_value.sival_int,
	       si.si_timerid == id, si.si_overrun);
	SHOW("gettime after it fired", tget(id, &cur));
	printf("  value %lld\n", ts_ns(&cur.it_value));

	SHOW("settime 1ms every 1ms", tset(id, 0, 1000000, 1000000, NULL));
	/* The signal is blocked: expiries while it is pending are overruns. */
	nanosleep(&(struct timespec){ 0, 30000000 }, NULL);
	printf("signal: %d\n", wait_for(SIGUSR1, &si));
	abi_yes("  si_overrun > 0", si.si_overrun > 0);
	abi_yes("  getoverrun is si_overrun",
		syscall(SYS_timer_getoverrun, id) == si.si_overrun);
	SHOW("gettime periodic", tget(id, &cur));
	printf("  interval %lld\n", ts_ns(&cur.it_interval));
	abi_yes("  0 < value <= 1ms", ts_ns(&cur.it_value) > 0 &&
					      ts_ns(&cur.it_value) <= 1000000);
	SHOW("settime 0 (stops)", tset(id, 0, 0, 0, &old));
	printf("  old interval %lld\n", ts_ns(&old.it_interval));
	drain(SIGUSR1); /* a last expiry may have come before the stop */
	tget(id, &cur);
	printf("  now value %lld, interval %lld\n", ts_ns(&cur.it_value),
	       ts_ns(&cur.it_interval));

	ev = signal_event(SIGUSR1, 7);
	SHOW("create REALTIME", tcreate(CLOCK_REALTIME, &ev, &id2));
	abi_yes("  another id", id2 != id);
	SHOW("settime REALTIME absolute +2ms",
	     tset(id2, TIMER_ABSTIME, abi_now_ns(CLOCK_REALTIME) + 2000000, 0,
		  NULL));
	printf("signal: %d\n", wait_for(SIGUSR1, &si));
	printf("  value %d\n", si.si_value.sival_int);
	SHOW("settime absolute in the past", tset(id2, TIMER_ABSTIME, 1, 0,
						    NULL));
	printf("signal: %d\n", wait_for(SIGUSR1, &si));
	SHOW("delete", syscall(SYS_timer_delete, id));
	SHOW("delete again", syscall(SYS_timer_delete, id));
	SHOW("delete the other", syscall(SYS_timer_delete, id2));
}

static void other_notifications(void)
{
	struct sigevent ev;
	struct itimerspec cur;
	siginfo_t si;
	int id = -1;

	SHOW("create BOOTTIME, default event", tcreate(CLOCK_BOOTTIME, NULL,
						       &id));
	tset(id, 0, 1000000, 0, NULL);
	printf("signal: %d\n", wait_for(SIGALRM, &si));
	printf("  SI_TIMER %d, value is the id %d\n", si.si_code == SI_TIMER,
	       si.si_value.sival_int == id);
	syscall(SYS_timer_delete, id);

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_NONE;
	SHOW("create SIGEV_NONE", tcreate(CLOCK_MONOTONIC, &ev, &id));
	tset(id, 0, 1000000000, 0, NULL);
	tget(id, &cur);
	abi_yes("  0 < left <= 1s", ts_ns(&cur.it_value) > 0 &&
					    ts_ns(&cur.it_value) <= 1000000000);
	tset(id, 0, 1000, 0, NULL);
	nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	tget(id, &cur);
	printf("  expired: value %lld\n", ts_ns(&cur.it_value));
	syscall(SYS_timer_delete, id);

	ev = signal_event(SIGUSR1, 3);
	ev.sigev_notify = SIGEV_THREAD_ID;
	set_tid(&ev, (int)syscall(SYS_gettid));
	SHOW("create SIGEV_THREAD_ID (own thread)",
	     tcreate(CLOCK_MONOTONIC, &ev, &id));
	tset(id, 0, 1000000, 0, NULL);
	printf("signal: %d\n", wait_for(SIGUSR1, &si));
	printf("  value %d\n", si.si_value.sival_int);
	syscall(SYS_timer_delete, id);

	ev = signal_event(SIGUSR1, 5);
	SHOW("create PROCESS_CPUTIME_ID", tcreate(CLOCK_PROCESS_CPUTIME_ID,
						  &ev, &id));
	tset(id, 0, 5000000, 0, NULL);
	{
		sigset_t set;
		long long end = abi_now_ns(CLOCK_MONOTONIC) + 10000000000ll;

		do
			sigpending(&set);
		while (!sigismember(&set, SIGUSR1) &&
		       abi_now_ns(CLOCK_MONOTONIC) < end);
	}
	printf("signal after CPU time: %d\n", wait_for(SIGUSR1, &si));
	printf("  value %d\n", si.si_value.sival_int);
	syscall(SYS_timer_delete, id);
	SHOW("create THREAD_CPUTIME_ID", tcreate(CLOCK_THREAD_CPUTIME_ID, &ev,
						 &id));
	syscall(SYS_timer_delete, id);
}

static void rejected(void)
{
	struct sigevent ev = signal_event(SIGUSR1, 0);
	struct itimerspec v = { { 0, 0 }, { 0, 1000000000 } };
	int id = -1, good = -1;

	SHOW("create clock 99", tcreate(99, &ev, &id));
	SHOW("create MONOTONIC_RAW", tcreate(CLOCK_MONOTONIC_RAW, &ev, &id));
	SHOW("create bad event pointer", tcreate(CLOCK_MONOTONIC, (void *)8,
						 &id));
	SHOW("create clock 99, bad event pointer",
	     tcreate(99, (void *)8, &id));
	ev.sigev_notify = 3;
	SHOW("create notify 3", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = signal_event(0, 0);
	SHOW("create signal 0", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = signal_event(65, 0);
	SHOW("create signal 65", tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = signal_event(SIGUSR1, 0);
	ev.sigev_notify = SIGEV_THREAD_ID;
	set_tid(&ev, 0x3fffffff);
	SHOW("create SIGEV_THREAD_ID, no such thread",
	     tcreate(CLOCK_MONOTONIC, &ev, &id));
	ev = signal_event(SIGUSR1, 0);
	SHOW("create bad id pointer", tcreate(CLOCK_MONOTONIC, &ev, (void *)8));
	tcreate(CLOCK_MONOTONIC, &ev, &good);
	SHOW("settime no such timer", syscall(SYS_timer_settime, 4000, 0, &v,
					      NULL));
	SHOW("settime NULL", syscall(SYS_timer_settime, good, 0, NULL, NULL));
	SHOW("settime bad pointer", syscall(SYS_timer_settime, good, 0,
					    (void *)8, NULL));
	SHOW("settime nsec 1e9", syscall(SYS_timer_settime, good, 0, &v, NULL));
	v.it_value.tv_nsec = 0;
	v.it_interval.tv_sec = -1;
	SHOW("settime interval sec -1",
	     syscall(SYS_timer_settime, good, 0, &v, NULL));
	SHOW("gettime no such timer", tget(4000, &v));
	SHOW("gettime bad pointer", tget(good, (void *)8));
	SHOW("getoverrun no such timer", syscall(SYS_timer_getoverrun, 4000));
	SHOW("getoverrun fresh", syscall(SYS_timer_getoverrun, good));
	SHOW("delete -1", syscall(SYS_timer_delete, -1));
	syscall(SYS_timer_delete, good);
}

int main(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	one_shot_and_periodic();
	other_notifications();
	rejected();
	printf("handler ran: %d\n", (int)hits);
	return 0;
}
