/*
 * The benchmark programs' runtime (see bench.h): the clock, number
 * parsing and printing, and the entry point that hands argc/argv to
 * bench_run and exits with its status.
 */
#include "bench.h"

struct bench_timespec {
	long sec;
	long nsec;
};

void bench_main(long argc, char **argv) __attribute__((noreturn));

unsigned long bench_now_ns(void)
{
	struct bench_timespec ts = { 0, 0 };

	bench_syscall3(SYS_CLOCK_GETTIME, BENCH_CLOCK_MONOTONIC, (long)&ts, 0);
	return (unsigned long)ts.sec * 1000000000ul + (unsigned long)ts.nsec;
}

unsigned long bench_parse(const char *s)
{
	unsigned long n = 0;

	while (s && *s >= '0' && *s <= '9')
		n = n * 10 + (unsigned long)(*s++ - '0');
	return n;
}

int bench_streq(const char *s, const char *t)
{
	while (*s && *s == *t) {
		s++;
		t++;
	}
	return *s == *t;
}

static unsigned long length(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

void bench_puts(const char *s)
{
	bench_syscall3(SYS_WRITE, 1, (long)s, (long)length(s));
}

/* Appends the decimal digits of v at p; returns the new end. */
static char *put_number(char *p, unsigned long v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = digits[--n];
	return p;
}

static char *put_string(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

void bench_report(const char *name, unsigned long ops, unsigned long ns)
{
	char line[128];
	char *p = line;

	if (length(name) > 64)
		name = "?";
	p = put_string(p, "bench ");
	p = put_string(p, name);
	p = put_string(p, " ops=");
	p = put_number(p, ops);
	p = put_string(p, " ns=");
	p = put_number(p, ns);
	*p++ = '\n';
	*p = '\0';
	bench_puts(line);
}

void bench_main(long argc, char **argv)
{
	int status = bench_run(argc, argv);

	bench_syscall3(SYS_EXIT_GROUP, status, 0, 0);
	for (;;)
		;
}

/* The entry point: argc at the stack pointer, argv right above it. */
#if defined(__x86_64__)
__asm__(".globl _start\n"
	"_start:\n"
	"	mov (%rsp), %rdi\n"
	"	lea 8(%rsp), %rsi\n"
	"	and $-16, %rsp\n"
	"	call bench_main\n");
#else
/* gp first: the linker relaxes accesses to small globals into
 * gp-relative ones, which is the C runtime's to set up. */
__asm__(".globl _start\n"
	"_start:\n"
	"	.option push\n"
	"	.option norelax\n"
	"	la gp, __global_pointer$\n"
	"	.option pop\n"
	"	ld a0, 0(sp)\n"
	"	addi a1, sp, 8\n"
	"	andi sp, sp, -16\n"
	"	call bench_main\n");
#endif
