/* timerfd details beyond timerfd.c: gettime of a running interval timer
 * (what is left is within one interval; the interval as set), settime's
 * old value, an absolute realtime start in the past with an interval (every
 * missed period counted at once), re-arming clears the count, a fork
 * shares the timer, poll and epoll readiness, CLOCK_BOOTTIME, a blocked
 * read ended by a signal (EINTR without SA_RESTART, restarted with it),
 * and a read buffer larger than 8 bytes. Times are only compared, with
 * generous bounds. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "abi_time.h"

static long long ns_of(struct timespec ts)
{
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static struct itimerspec spec(long long value_ns, long long interval_ns)
{
	struct itimerspec s = { abi_ns_to_ts(interval_ns), abi_ns_to_ts(value_ns) };

	return s;
}

static void running_interval(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec s = spec(20000000, 20000000), cur, old;
	uint64_t n = 0;

	timerfd_settime(fd, 0, &s, NULL);
	read(fd, &n, 8); /* EAGAIN or some: the count only */
	while (read(fd, &n, 8) != 8) /* one more expiry */
		;
	timerfd_gettime(fd, &cur);
	abi_yes("left within one interval",
		ns_of(cur.it_value) > 0 && ns_of(cur.it_value) <= 20000000);
	SHOW("interval as set", ns_of(cur.it_interval));
	s = spec(60000000000ll, 0);
	SHOW("settime again", timerfd_settime(fd, 0, &s, &old));
	abi_yes("old value within one interval",
		ns_of(old.it_value) > 0 && ns_of(old.it_value) <= 20000000);
	SHOW("old interval", ns_of(old.it_interval));
	SHOW("re-armed: the count is cleared", read(fd, &n, 8));
	s = spec(0, 0);
	timerfd_settime(fd, 0, &s, &old);
	abi_yes("disarm: old value at most 60 s",
		ns_of(old.it_value) > 0 && ns_of(old.it_value) <= 60000000000ll);
	timerfd_gettime(fd, &cur);
	SHOW("disarmed: value", ns_of(cur.it_value));
	close(fd);
}

/* A start 10 s in the past with a 1 s interval: 10 or 11 periods are
 * due at once. On CLOCK_REALTIME: the monotonic clock of a machine that
 * just booted may not be 10 s old. */
static void past_start(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	struct itimerspec s = spec(0, 1000000000);
	uint64_t n = 0;
	char big[16];

	s.it_value = abi_ns_to_ts(abi_now_ns(CLOCK_REALTIME) - 10000000000ll);
	SHOW("absolute start 10 s ago, every 1 s",
	     timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL));
	SHOW("read into 16 bytes", read(fd, big, sizeof(big)));
	memcpy(&n, big, 8);
	abi_yes("the missed periods counted", n >= 10 && n <= 12);
	SHOW("then nothing", read(fd, &n, 8));
	close(fd);
}

static void shared_and_ready(void)
{
	int fd = timerfd_create(CLOCK_BOOTTIME, 0), ep = epoll_create1(0), status;
	struct itimerspec s = spec(10000000, 0);
	struct epoll_event ev = { EPOLLIN, { .u64 = 9 } };
	struct pollfd p = { fd, POLLIN, 0 };
	uint64_t n = 0;
	pid_t pid;

	abi_yes("CLOCK_BOOTTIME timer", fd >= 0);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	SHOW("poll before arming", poll(&p, 1, 0));
	timerfd_settime(fd, 0, &s, NULL);
	SHOW("blocking poll until it fires", poll(&p, 1, -1));
	SHOW("epoll sees it", epoll_wait(ep, &ev, 1, 0));
	pid = fork();
	if (pid == 0)
		_exit(read(fd, &n, 8) == 8 && n == 1 ? 0 : 1);
	waitpid(pid, &status, 0);
	SHOW("a child read the expiry", WIFEXITED(status) && !WEXITSTATUS(status));
	SHOW("the parent's poll after it", poll(&p, 1, 0));
	SHOW("epoll after it", epoll_wait(ep, &ev, 1, 0));
	close(ep);
	close(fd);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void signals(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec s = spec(60000000000ll, 0);
	uint64_t n = 0;

	timerfd_settime(fd, 0, &s, NULL);
	abi_ticker(1, 0, on_alarm);
	SHOW("blocked read, a signal without SA_RESTART", read(fd, &n, 8));
	abi_ticker(0, 0, on_alarm);
	s = spec(100000000, 0);
	timerfd_settime(fd, 0, &s, NULL);
	alarms = 0;
	abi_ticker(1, 1, on_alarm);
	SHOW("with SA_RESTART: the read waits for the expiry", read(fd, &n, 8));
	abi_ticker(0, 1, on_alarm);
	SHOW("expirations", (long)n);
	abi_yes("signals came meanwhile", alarms > 0);
	close(fd);
}

int main(void)
{
	running_interval();
	past_start();
	shared_and_ready();
	signals();
	return 0;
}
