/* sched_setaffinity(2) with sched_getaffinity(2) and getcpu(2): a thread
 * pinned to one CPU runs there and reads its mask back, the whole mask
 * is accepted again, and the rejected masks. What varies with the machine
 * (how many CPUs) is printed as booleans. */
#define _GNU_SOURCE
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "abi.h"

#define WORDS 16 /* 1024 CPUs: larger than any mask a kernel returns */

static long set_mask(size_t len, const unsigned long *mask)
{
	return syscall(SYS_sched_setaffinity, 0, len, mask);
}

/* The highest CPU in mask. */
static unsigned last_cpu(const unsigned long *mask)
{
	unsigned last = 0;

	for (unsigned i = 0; i < WORDS * 64; i++)
		if ((mask[i / 64] >> (i % 64)) & 1)
			last = i;
	return last;
}

/* Pins the caller to cpu alone; whether it then runs there, getcpu and
 * the read-back mask agreeing, also after yielding. */
static int pinned_runs_there(unsigned cpu)
{
	unsigned long one[WORDS] = { 0 }, back[WORDS] = { 0 };
	unsigned now = 999;

	one[cpu / 64] = 1ul << (cpu % 64);
	if (set_mask(sizeof(one), one) != 0)
		return 0;
	for (int i = 0; i < 10; i++) {
		if (syscall(SYS_getcpu, &now, NULL, NULL) != 0 || now != cpu)
			return 0;
		sched_yield();
	}
	if (syscall(SYS_sched_getaffinity, 0, sizeof(back), back) <= 0)
		return 0;
	return memcmp(one, back, sizeof(one)) == 0;
}

int main(void)
{
	unsigned long all[WORDS] = { 0 }, none[WORDS] = { 0 },
		      far[WORDS] = { 0 };
	long n = syscall(SYS_sched_getaffinity, 0, sizeof(all), all);

	abi_yes("getaffinity", n > 0);
	abi_yes("pinned to CPU 0 it runs there", pinned_runs_there(0));
	abi_yes("pinned to the last CPU it runs there",
		pinned_runs_there(last_cpu(all)));
	SHOW("the whole mask again", set_mask(sizeof(all), all));
	SHOW("an empty mask", set_mask(sizeof(none), none));
	SHOW("length 0", set_mask(0, all));
	far[WORDS - 1] = 1ul << 63; /* CPU 1023: no machine here has it */
	SHOW("only a CPU that does not exist", set_mask(sizeof(far), far));
	SHOW("bad pointer",
	     syscall(SYS_sched_setaffinity, 0, sizeof(all), (void *)8));
	SHOW("own pid", syscall(SYS_sched_setaffinity, getpid(), sizeof(all),
				all));
	SHOW("no such pid",
	     syscall(SYS_sched_setaffinity, 0x7fffffff, sizeof(all), all));
	SHOW("negative pid",
	     syscall(SYS_sched_setaffinity, -1, sizeof(all), all));
	return 0;
}
