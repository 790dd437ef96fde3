/* timerfd_create, timerfd_settime and timerfd_gettime: one-shot,
 * interval and absolute timers on CLOCK_MONOTONIC and CLOCK_REALTIME,
 * reads that return the expirations (blocking until the first), what
 * gettime shows (compared, not printed), disarming, and the rejected
 * arguments. Times are only ever compared with generous bounds. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"

static struct itimerspec spec(long value_ns, long interval_ns)
{
	struct itimerspec s = {
		{ interval_ns / 1000000000, interval_ns % 1000000000 },
		{ value_ns / 1000000000, value_ns % 1000000000 },
	};

	return s;
}

static long ns_of(struct timespec ts)
{
	return ts.tv_sec * 1000000000l + ts.tv_nsec;
}

static void one_shot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec s = spec(60000000000l, 0), cur;
	uint64_t n = 0;
	struct pollfd p = { fd, POLLIN, 0 };

	SHOW("settime 60 s", timerfd_settime(fd, 0, &s, NULL));
	timerfd_gettime(fd, &cur);
	abi_yes("gettime: armed, at most 60 s", ns_of(cur.it_value) > 0 &&
		ns_of(cur.it_value) <= 60000000000l);
	SHOW("interval", ns_of(cur.it_interval));
	SHOW("poll before it fires", poll(&p, 1, 0));
	s = spec(10000000, 0);
	SHOW("settime 10 ms", timerfd_settime(fd, 0, &s, NULL));
	SHOW("read blocks until it fires", read(fd, &n, 8));
	SHOW("expirations", (long)n);
	timerfd_gettime(fd, &cur);
	SHOW("gettime after: disarmed", ns_of(cur.it_value));
	close(fd);
}

static void interval(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec s = spec(5000000, 5000000), old;
	struct timespec t0, t1;
	uint64_t n = 0;

	SHOW("read before arming", read(fd, &n, 8));
	SHOW("settime every 5 ms", timerfd_settime(fd, 0, &s, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while (ns_of(t1) - ns_of(t0) < 60000000);
	SHOW("read", read(fd, &n, 8) == 8);
	abi_yes("several expirations counted", n >= 2 && n < 100000);
	s = spec(0, 0);
	SHOW("disarm", timerfd_settime(fd, 0, &s, &old));
	abi_yes("old interval 5 ms", ns_of(old.it_interval) == 5000000);
	SHOW("disarming cleared the count", read(fd, &n, 8));
	close(fd);
}

/* A 1 ns interval: every period is counted, and the machine keeps
 * running this program while it is armed. */
static void tiny_interval(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec s = spec(1, 1);
	struct timespec t0, t1;
	uint64_t n = 0;

	SHOW("settime every 1 ns", timerfd_settime(fd, 0, &s, NULL));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do
		clock_gettime(CLOCK_MONOTONIC, &t1);
	while (ns_of(t1) - ns_of(t0) < 10000000);
	SHOW("read", read(fd, &n, 8) == 8);
	abi_yes("millions of periods in 10 ms", n >= 1000000);
	close(fd);
}

static void absolute(void)
{
	int fd = timerfd_create(CLOCK_REALTIME, 0);
	struct itimerspec s = spec(0, 0);
	struct timespec now;
	uint64_t n = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_nsec += 10000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	s.it_value = now;
	SHOW("absolute realtime in 10 ms",
	     timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL));
	SHOW("read", read(fd, &n, 8));
	SHOW("expirations", (long)n);
	s.it_value.tv_sec -= 100;
	SHOW("absolute in the past",
	     timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL));
	SHOW("fires at once", (read(fd, &n, 8), (long)n));
	SHOW("CANCEL_ON_SET with ABSTIME",
	     timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &s, NULL));
	close(fd);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &now);
	s.it_value = now;
	s.it_value.tv_sec += 1000;
	SHOW("absolute monotonic far away",
	     timerfd_settime(fd, TFD_TIMER_ABSTIME, &s, NULL));
	SHOW("nothing yet", read(fd, &n, 8));
	SHOW("CANCEL_ON_SET on monotonic",
	     timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &s, NULL));
	close(fd);
}

static void errors(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	struct itimerspec s = spec(1000, 0), cur;
	char small[4];

	SHOW("FD_CLOEXEC", fcntl(fd, F_GETFD));
	SHOW("create bad clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
	SHOW("create bad clock 99", timerfd_create(99, 0));
	SHOW("create bad flag", timerfd_create(CLOCK_MONOTONIC, O_APPEND));
	SHOW("settime bad flag", timerfd_settime(fd, 0x10, &s, NULL));
	s.it_value.tv_nsec = 1000000000;
	SHOW("settime bad nsec", timerfd_settime(fd, 0, &s, NULL));
	s.it_value.tv_nsec = 1000;
	s.it_interval.tv_sec = -1;
	SHOW("settime negative interval", timerfd_settime(fd, 0, &s, NULL));
	SHOW("settime NULL", syscall(SYS_timerfd_settime, fd, 0, NULL, NULL));
	SHOW("settime bad old pointer", (s.it_interval.tv_sec = 0,
		syscall(SYS_timerfd_settime, fd, 0, &s, (void *)8)));
	SHOW("gettime bad pointer", syscall(SYS_timerfd_gettime, fd, (void *)8));
	SHOW("settime bad fd", timerfd_settime(999, 0, &s, NULL));
	SHOW("settime on a non-timerfd", timerfd_settime(1, 0, &s, NULL));
	SHOW("gettime on a non-timerfd", timerfd_gettime(1, &cur));
	SHOW("read 4 bytes", read(fd, small, sizeof(small)));
	SHOW("write", write(fd, "12345678", 8));
	close(fd);
}

int main(void)
{
	one_shot();
	interval();
	tiny_interval();
	absolute();
	errors();
	return 0;
}
