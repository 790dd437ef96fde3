/*
 * `preempt NAME [ROUNDS [STEPS]]`: ROUNDS times (default 3): yields,
 * prints "preempt NAME start R", computes for STEPS steps (default 4, each
 * as long as a step of spin: ~20 ms natively) without a single system
 * call, then prints "preempt NAME done R". Exits 0.
 *
 * Run beside spin (which prints a line after each step) under run=par,
 * spin prints between "start R" and "done R" in every round only if the
 * timer takes the CPU away from this program's user code in the middle
 * of its computation. A kernel that only switches at system calls (when
 * the slice is over) could get there only by switching right after a
 * "start" line: so each round first yields (sched_yield: the kernel gives
 * the program a fresh 10 ms slice when it comes back), then makes that
 * one short system call, then computes for far longer than a slice.
 * Under Valgrind, where system calls are slow, that write may now and
 * then take a whole slice; it would have to in every round for a kernel
 * that lost timer preemption to pass. (Two spins alone do not tell: spin
 * prints between its steps, so such a kernel still interleaves them.)
 */
#include <user.h>

#define STEP_ITERATIONS 20000000ul

/* Not small data (riscv .sbss would share the text segment: RWX). */
static volatile unsigned long sink[4];

static void compute(long steps)
{
	unsigned long x = sink[0];

	for (unsigned long i = 0; i < (unsigned long)steps * STEP_ITERATIONS;
	     i++)
		x = x * 1103515245ul + 12345ul; /* small constants: no literal pool */
	sink[0] = x;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "preempt";
	long rounds = argc > 2 ? parse_long(argv[2], 3) : 3;
	long steps = argc > 3 ? parse_long(argv[3], 4) : 4;

	for (long r = 0; r < rounds; r++) {
		sys_sched_yield();
		uprintf("preempt %s start %ld\n", name, r);
		compute(steps);
		uprintf("preempt %s done %ld\n", name, r);
	}
	return 0;
}
