/* Waiting for signals: sigtimedwait(2) (a pending signal taken with its
 * siginfo, the timeout as EAGAIN, another signal as EINTR, a zero timeout
 * polling), sigsuspend(2) (EINTR after the handler, the handler running
 * under the temporary mask, the old mask back afterwards), pause(2)
 * where the architecture has it, and the rejected cases. A periodic ITIMER_REAL sends the signals that come
 * during a wait, so that one arriving early cannot hang or change it. */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"

static volatile sig_atomic_t alarms, usr1s;
static volatile int usr1_blocked_in_handler, alrm_blocked_in_handler;

static void on_alarm(int sig)
{
	sigset_t now;

	(void)sig;
	alarms++;
	sigprocmask(SIG_SETMASK, NULL, &now);
	usr1_blocked_in_handler = sigismember(&now, SIGUSR1);
	alrm_blocked_in_handler = sigismember(&now, SIGALRM);
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1s++;
}

static long long now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* SIGALRM every 10 ms (0: stop). */
static void ticker(int on)
{
	struct itimerval v = { { 0, on ? 10000 : 0 }, { 0, on ? 10000 : 0 } };

	setitimer(ITIMER_REAL, &v, NULL);
}

static long sys_sigtimedwait(const sigset_t *set, siginfo_t *info,
			     const struct timespec *t, size_t size)
{
	return syscall(SYS_rt_sigtimedwait, set, info, t, size);
}

static void timedwait(void)
{
	sigset_t set, usr1;
	siginfo_t si;
	struct timespec zero = { 0, 0 }, two_ms = { 0, 2000000 };
	long long start;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	kill(getpid(), SIGUSR1);
	memset(&si, 0, sizeof(si));
	SHOW("sigtimedwait pending SIGUSR1",
	     sys_sigtimedwait(&usr1, &si, &zero, 8));
	printf("  si_signo %d, SI_USER %d, si_pid mine %d, handler ran %d\n",
	       si.si_signo, si.si_code == SI_USER, si.si_pid == getpid(),
	       (int)usr1s);
	SHOW("sigtimedwait nothing pending, zero timeout",
	     sys_sigtimedwait(&usr1, &si, &zero, 8));
	start = now_ns();
	SHOW("sigtimedwait 2ms", sys_sigtimedwait(&usr1, NULL, &two_ms, 8));
	abi_yes("  at least 2ms passed", now_ns() - start >= 2000000);

	/* SIGALRM blocked and waited for: taken without its handler. */
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	alarms = 0;
	ticker(1);
	memset(&si, 0, sizeof(si));
	SHOW("sigtimedwait SIGALRM from ITIMER_REAL",
	     sys_sigtimedwait(&set, &si, NULL, 8));
	printf("  SI_KERNEL %d, handler ran %d\n", si.si_code == SI_KERNEL,
	       (int)alarms);
	/* SIGALRM unblocked: its handler interrupts a wait for SIGUSR1. */
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	SHOW("sigtimedwait SIGUSR1, interrupted by SIGALRM",
	     sys_sigtimedwait(&usr1, NULL, NULL, 8));
	abi_yes("  the SIGALRM handler ran", alarms > 0);
	ticker(0);
	kill(getpid(), SIGUSR1);
	SHOW("sigwaitinfo (libc)", sigwaitinfo(&usr1, &si));
	kill(getpid(), SIGUSR1);
	SHOW("sigtimedwait bad info pointer",
	     sys_sigtimedwait(&usr1, (void *)8, &zero, 8));
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	printf("  then handler ran %d\n", (int)usr1s);
}

static void suspend(void)
{
	sigset_t both, empty, after;

	/* Both blocked outside the wait, so that the handler runs only in
	 * sigsuspend, under its empty mask (and SIGALRM's own bit). */
	sigemptyset(&empty);
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGALRM);
	sigprocmask(SIG_SETMASK, &both, NULL);
	alarms = 0;
	ticker(1);
	SHOW("sigsuspend(empty), SIGALRM", sigsuspend(&empty));
	printf("  handler ran %d, SIGUSR1 blocked in it %d, SIGALRM %d\n",
	       alarms > 0, usr1_blocked_in_handler, alrm_blocked_in_handler);
	sigprocmask(SIG_SETMASK, NULL, &after);
	printf("  after: SIGUSR1 blocked %d, SIGALRM blocked %d\n",
	       sigismember(&after, SIGUSR1), sigismember(&after, SIGALRM));
	ticker(0);
	sigdelset(&both, SIGALRM);
	sigprocmask(SIG_SETMASK, &both, NULL);
	usr1s = 0;
	kill(getpid(), SIGUSR1);
	SHOW("sigsuspend(empty), SIGUSR1 already pending", sigsuspend(&empty));
	printf("  handler ran %d\n", (int)usr1s);
#ifdef SYS_pause /* x86-64; elsewhere the libcs pause with ppoll */
	alarms = 0;
	ticker(1);
	SHOW("pause", syscall(SYS_pause));
	abi_yes("  the handler ran", alarms > 0);
	ticker(0);
#endif
	sigprocmask(SIG_SETMASK, &empty, NULL);
}

static void rejected(void)
{
	sigset_t set;
	struct timespec t = { 0, 1000000000 };

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	SHOW("sigtimedwait sigsetsize 4", sys_sigtimedwait(&set, NULL, &t, 4));
	SHOW("sigtimedwait bad set", sys_sigtimedwait((void *)8, NULL, &t, 8));
	SHOW("sigtimedwait bad timeout",
	     sys_sigtimedwait(&set, NULL, (void *)8, 8));
	SHOW("sigtimedwait nsec 1e9", sys_sigtimedwait(&set, NULL, &t, 8));
	t.tv_nsec = 0;
	t.tv_sec = -1;
	SHOW("sigtimedwait sec -1", sys_sigtimedwait(&set, NULL, &t, 8));
	SHOW("rt_sigsuspend sigsetsize 4",
	     syscall(SYS_rt_sigsuspend, &set, 4));
	SHOW("rt_sigsuspend bad mask", syscall(SYS_rt_sigsuspend, (void *)8, 8));
}

int main(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	timedwait();
	suspend();
	rejected();
	return 0;
}
