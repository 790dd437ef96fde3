/*
 * Benchmark program: `getpid N` makes N getpid system calls and prints
 * nothing. Its exit status proves the work was done: N % 251 when every
 * call returned the same positive pid, else 255. `keel bench` times it from outside, with N and with 0
 * calls, on Keel and natively, so that the difference is the cost of N
 * system call round trips. Freestanding and self-contained (its own entry
 * point and system call stubs), so that nothing else is measured.
 */
#if defined(__x86_64__)
#define SYS_GETPID 39
#define SYS_EXIT_GROUP 231
#elif defined(__riscv)
#define SYS_GETPID 172
#define SYS_EXIT_GROUP 94
#else
#error "bench/getpid.c: unknown architecture"
#endif

#define BENCH_STATUS_MOD 251

void bench_main(long argc, char **argv) __attribute__((noreturn));

static long syscall1(long nr, long a0)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0)
			 : "rcx", "r11", "memory");
	return ret;
#else
	register long a7 __asm__("a7") = nr;
	register long r0 __asm__("a0") = a0;

	__asm__ volatile("ecall" : "+r"(r0) : "r"(a7) : "memory");
	return r0;
#endif
}

static long parse_count(const char *s)
{
	long n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (*s++ - '0');
	return n;
}

void bench_main(long argc, char **argv)
{
	long n = argc > 1 ? parse_count(argv[1]) : 0;
	long first = n ? syscall1(SYS_GETPID, 0) : 1;
	long status = n % BENCH_STATUS_MOD;

	for (long i = 1; i < n; i++)
		if (syscall1(SYS_GETPID, 0) != first)
			status = 255;
	if (first <= 0)
		status = 255;
	syscall1(SYS_EXIT_GROUP, status);
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
__asm__(".globl _start\n"
	"_start:\n"
	"	ld a0, 0(sp)\n"
	"	addi a1, sp, 8\n"
	"	andi sp, sp, -16\n"
	"	call bench_main\n");
#endif
