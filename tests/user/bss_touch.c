/*
 * Demand paging: touches every page of a 16 MiB .bss array and of a 1 MiB
 * stack frame. Checks that .bss reads as zero, writes a pattern, reads it
 * back and prints checksums (identical on every correct kernel). Exit
 * status 0 when every check passed, else 1.
 */
#include <user.h>

#define PAGE 4096ul
#define BSS_SIZE (16ul << 20)
#define FRAME_SIZE (1ul << 20)

static unsigned char big[BSS_SIZE];

static unsigned char pattern(unsigned long page)
{
	return (unsigned char)(page * 131 + 7);
}

static int bss_is_zero(void)
{
	const volatile unsigned long *w = (const volatile unsigned long *)big;

	for (unsigned long i = 0; i < BSS_SIZE / sizeof(*w); i++)
		if (w[i])
			return 0;
	return 1;
}

static unsigned long fill_and_sum(volatile unsigned char *p, unsigned long n)
{
	unsigned long sum = 0;

	/* From the top down, as a stack grows. */
	for (unsigned long pg = n / PAGE; pg-- > 0;) {
		p[pg * PAGE] = pattern(pg);
		p[pg * PAGE + PAGE - 1] = pattern(pg + 1);
	}
	for (unsigned long pg = 0; pg < n / PAGE; pg++)
		sum = sum * 31 + p[pg * PAGE] + p[pg * PAGE + PAGE - 1];
	return sum;
}

static __attribute__((noinline)) unsigned long stack_frame(void)
{
	volatile unsigned char frame[FRAME_SIZE];

	return fill_and_sum(frame, FRAME_SIZE);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int ok = bss_is_zero();

	uprintf("bss zero %s\n", ok ? "ok" : "FAILED");
	uprintf("bss checksum %lx\n", fill_and_sum(big, BSS_SIZE));
	uprintf("stack checksum %lx\n", stack_frame());
	return ok ? 0 : 1;
}
