/* times(2) and getrusage(2): the calls succeed for every who Linux has,
 * the times are consistent, and the rejected cases. */
#define _GNU_SOURCE
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	struct tms t;
	struct rusage ru;
	clock_t c;

	c = times(&t);
	abi_yes("times succeeds", c != (clock_t)-1);
	abi_yes("user and system ticks >= 0", t.tms_utime >= 0 && t.tms_stime >= 0);
	abi_yes("no children's time", t.tms_cutime == 0 && t.tms_cstime == 0);
	abi_yes("times(NULL) succeeds", times(NULL) != (clock_t)-1);
	SHOW("times bad pointer", syscall(SYS_times, (void *)8));
	SHOW("getrusage SELF", getrusage(RUSAGE_SELF, &ru));
	abi_yes("  usec in range", ru.ru_utime.tv_usec >= 0 &&
		ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec >= 0 &&
		ru.ru_stime.tv_usec < 1000000);
	SHOW("getrusage THREAD", getrusage(RUSAGE_THREAD, &ru));
	SHOW("getrusage CHILDREN", getrusage(RUSAGE_CHILDREN, &ru));
	abi_yes("  no children's time", ru.ru_utime.tv_sec == 0 &&
		ru.ru_utime.tv_usec == 0 && ru.ru_stime.tv_sec == 0 &&
		ru.ru_stime.tv_usec == 0);
	SHOW("getrusage who 5", getrusage(5, &ru));
	SHOW("getrusage bad pointer",
	     syscall(SYS_getrusage, RUSAGE_SELF, (void *)8));
	return 0;
}
