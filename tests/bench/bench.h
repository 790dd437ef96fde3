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
#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_CLOSE 3
#define SYS_MMAP 9
#define SYS_MUNMAP 11
#define SYS_GETPID 39
#define SYS_EXECVE 59
#define SYS_WAIT4 61
#define SYS_MOUNT 165
#define SYS_CLOCK_GETTIME 228
#define SYS_EXIT_GROUP 231
#define SYS_OPENAT 257
#define SYS_UNLINKAT 263
#define SYS_PIPE2 293
#elif defined(__riscv)
#define SYS_MOUNT 40
#define SYS_OPENAT 56
#define SYS_CLOSE 57
#define SYS_PIPE2 59
#define SYS_READ 63
#define SYS_WRITE 64
#define SYS_UNLINKAT 35
#define SYS_EXIT_GROUP 94
#define SYS_CLOCK_GETTIME 113
#define SYS_GETPID 172
#define SYS_MUNMAP 215
#define SYS_CLONE 220
#define SYS_EXECVE 221
#define SYS_MMAP 222
#define SYS_WAIT4 260
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

static inline long bench_syscall6(long nr, long a0, long a1, long a2,
				  long a3, long a4, long a5)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
#else
	register long a7 __asm__("a7") = nr;
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;
	register long r3 __asm__("a3") = a3;
	register long r4 __asm__("a4") = a4;
	register long r5 __asm__("a5") = a5;

	__asm__ volatile("ecall"
			 : "+r"(r0)
			 : "r"(a7), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
			 : "memory");
	return r0;
#endif
}

/* fork(2) (riscv64 has only clone: SIGCHLD as the exit signal). */
static inline long bench_fork(void)
{
#if defined(__x86_64__)
	return bench_syscall3(57, 0, 0, 0);
#else
	return bench_syscall6(SYS_CLONE, 17, 0, 0, 0, 0, 0);
#endif
}

/* Waits for pid; returns its wait status, or -1. */
static inline long bench_wait(long pid)
{
	int status = -1;

	if (bench_syscall6(SYS_WAIT4, pid, (long)&status, 0, 0, 0, 0) != pid)
		return -1;
	return status;
}

static inline void bench_exit(int status)
{
	bench_syscall3(SYS_EXIT_GROUP, status, 0, 0);
}

#define BENCH_AT_FDCWD (-100)
#define BENCH_O_RDONLY 0
#define BENCH_O_RDWR 2
#define BENCH_O_CREAT 0100
#define BENCH_O_TRUNC 01000

/* Mounts a tmpfs on dir (ignoring failure: then dir is what it is), for
 * the runs whose /tmp is not one (User Mode Linux's hostfs root). */
static inline void bench_mount_tmpfs(const char *dir)
{
	bench_syscall6(SYS_MOUNT, (long)"none", (long)dir, (long)"tmpfs", 0,
		       0, 0);
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
