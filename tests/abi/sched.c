/* sched_getaffinity(2) and getcpu(2): the mask holds the CPU the caller
 * runs on, its size is a multiple of a long, and the rejected lengths. */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

int main(void)
{
	unsigned long mask[16] = { 0 };
	unsigned cpu = 999, node = 999;
	long n;

	/* The size depends on the machine's possible CPUs: not printed. */
	n = syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask);
	abi_yes("size is a multiple of a long", n > 0 && n % sizeof(long) == 0);
	SHOW("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
	abi_yes("the CPU is in the mask",
		cpu < 64 * 16 && (mask[cpu / 64] >> (cpu % 64)) & 1);
	printf("node: %u\n", node);
	SHOW("getcpu NULLs", syscall(SYS_getcpu, NULL, NULL, NULL));
	abi_yes("sched_getaffinity own pid",
		syscall(SYS_sched_getaffinity, getpid(), sizeof(mask), mask) == n);
	SHOW("sched_getaffinity len 4",
	     syscall(SYS_sched_getaffinity, 0, 4, mask));
	SHOW("sched_getaffinity len 0",
	     syscall(SYS_sched_getaffinity, 0, 0, mask));
	SHOW("sched_getaffinity bad pointer",
	     syscall(SYS_sched_getaffinity, 0, sizeof(mask), (void *)8));
	SHOW("sched_getaffinity no such pid",
	     syscall(SYS_sched_getaffinity, 0x7fffffff, sizeof(mask), mask));
	SHOW("getcpu bad pointer", syscall(SYS_getcpu, (void *)8, NULL, NULL));
	return 0;
}
