/*
 * CPU-bound: `spin NAME N` prints "spin NAME i" for i = 0 .. N-1, each
 * after the same fixed amount of computation (tens of milliseconds), then
 * exits 0. Two of these under run=par show preemption interleaving their
 * lines. Defaults: NAME "spin", N 5.
 */
#include <user.h>

#define STEP_ITERATIONS 20000000ul

/* Not small data (riscv .sbss would share the text segment: RWX). */
static volatile unsigned long sink[4];

static void compute(void)
{
	unsigned long x = sink[0];

	for (unsigned long i = 0; i < STEP_ITERATIONS; i++)
		x = x * 1103515245ul + 12345ul; /* small constants: no literal pool */
	sink[0] = x;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "spin";
	long n = argc > 2 ? parse_long(argv[2], 5) : 5;

	for (long i = 0; i < n; i++) {
		compute();
		uprintf("spin %s %ld\n", name, i);
	}
	return 0;
}
