/* sysinfo(2): the call succeeds, and what it reports is consistent
 * (uptime running, free memory within total memory, at least this
 * process, byte units); a bad pointer is EFAULT. */
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	struct sysinfo si;
	struct timespec before, after;
	long long up;

	clock_gettime(CLOCK_BOOTTIME, &before);
	SHOW("sysinfo", syscall(SYS_sysinfo, &si));
	clock_gettime(CLOCK_BOOTTIME, &after);
	up = (long long)si.uptime; /* unsigned in musl */
	abi_yes("uptime > 0", up > 0);
	abi_yes("uptime is CLOCK_BOOTTIME's seconds",
		up >= before.tv_sec && up <= after.tv_sec + 1);
	abi_yes("0 < freeram <= totalram",
		si.freeram > 0 && si.freeram <= si.totalram);
	abi_yes("freeswap <= totalswap", si.freeswap <= si.totalswap);
	abi_yes("procs >= 1", si.procs >= 1);
	printf("mem_unit: %u\n", si.mem_unit);
	SHOW("sysinfo bad pointer", syscall(SYS_sysinfo, (void *)8));
	return 0;
}
