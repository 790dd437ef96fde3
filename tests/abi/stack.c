/* The initial stack: 16-byte aligned in main's frame, deep enough for 2
 * MiB of recursion (demand-paged down from the top), RLIMIT_STACK as the
 * libc sees it with soft <= hard. */
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include "abi.h"

static long depth_sum(int n)
{
	volatile char frame[1024];

	memset((char *)frame, n & 0xff, sizeof(frame));
	if (n == 0)
		return frame[0];
	return depth_sum(n - 1) + frame[10];
}

int main(void)
{
	struct rlimit r;
	long aligned __attribute__((aligned(16))) = 0;

	abi_yes("aligned local", ((uintptr_t)&aligned & 15) == 0);
	abi_yes("2 MiB of recursion", depth_sum(2000) != -12345);
	SHOW("getrlimit STACK", getrlimit(RLIMIT_STACK, &r));
	abi_yes("soft <= hard", r.rlim_cur <= r.rlim_max);
	abi_yes("at least 2 MiB", r.rlim_cur >= (2u << 20));
	return 0;
}
