/*
 * The freestanding runtime of the benchmark programs in tests/bench:
 * raw system calls, the monotonic clock, the result line, and the entry
 * point. No libc, so that the same static binary runs natively, on Keel
 * (hosted, x86_64, riscv64), under User Mode Linux and under gVisor, and
 * nothing but the measured calls runs in the timed loop.
 *
 * A benchmark defines bench_run(argc, argv), which times its work with
 * bench_now_ns() and reports with bench_report(); `keel bench` reads the
 * one line it prints:
 *
 *   bench NAME ops=N ns=T
 *
 * (N operations took T nanoseconds in all) and the exit status, which is
 * 0 only if the work was checked and done.
 */
#ifndef TESTS_BENCH_BENCH_H
#define TESTS_BENCH_BENCH_H

#if defined(__x86_64__)
#define SYS_WRITE 1
#define SYS_GETPID 39
#define SYS_CLOCK_GETTIME 228
#define SYS_EXIT_GROUP 231
#elif defined(__riscv)
#define SYS_WRITE 64
#define SYS_GETPID 172
#define SYS_CLOCK_GETTIME 113
#define SYS_EXIT_GROUP 94
#else
#error "tests/bench: unknown architecture"
#endif

#define BENCH_CLOCK_MONOTONIC 1

static inline long bench_syscall3(long nr, long a0, long a1, long a2)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
			 : "rcx", "r11", "memory");
	return ret;
#else
	register long a7 __asm__("a7") = nr;
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;

	__asm__ volatile("ecall"
			 : "+r"(r0)
			 : "r"(a7), "r"(r1), "r"(r2)
			 : "memory");
	return r0;
#endif
}

/* Runs the benchmark; returns the exit status (0: done and checked). */
int bench_run(long argc, char **argv);

/* CLOCK_MONOTONIC in nanoseconds, by system call (there is no vDSO). */
unsigned long bench_now_ns(void);

/* Prints "bench NAME ops=N ns=T". */
void bench_report(const char *name, unsigned long ops, unsigned long ns);

/* A decimal count from s (0 if none). */
unsigned long bench_parse(const char *s);

/* Whether s equals t. */
int bench_streq(const char *s, const char *t);

/* Writes s to stdout. */
void bench_puts(const char *s);

#endif
