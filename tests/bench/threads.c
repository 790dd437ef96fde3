/*
 * Benchmark: parallel user threads. `threads N` starts a second thread
 * of the process (clone with the thread flags, as pthread_create does)
 * and has both do the same N units of CPU-bound work (1000 xorshift steps
 * each, no system call), then waits for the other's exit on its
 * CLONE_CHILD_CLEARTID word with futex. It reports the time from the
 * clone to the end of both (`bench threads ops=N ns=T`) and exits 0 only
 * if both threads computed the expected value.
 *
 * `keel bench` runs it on one CPU and on two of the same machine: with
 * the threads truly parallel the second takes about half the first
 * (issue 7: at most 0.6 of it).
 */
#include "bench.h"

#if defined(__x86_64__)
#define SYS_CLONE_ 56
#define SYS_EXIT_ 60
#define SYS_FUTEX_ 202
#else
#define SYS_CLONE_ 220
#define SYS_EXIT_ 93
#define SYS_FUTEX_ 98
#endif

#define K_CLONE_VM 0x00000100ul
#define K_CLONE_FS 0x00000200ul
#define K_CLONE_FILES 0x00000400ul
#define K_CLONE_SIGHAND 0x00000800ul
#define K_CLONE_THREAD 0x00010000ul
#define K_CLONE_SYSVSEM 0x00040000ul
#define K_CLONE_CHILD_CLEARTID 0x00200000ul
#define THREAD_FLAGS                                                    \
	(K_CLONE_VM | K_CLONE_FS | K_CLONE_FILES | K_CLONE_SIGHAND |      \
	 K_CLONE_THREAD | K_CLONE_SYSVSEM | K_CLONE_CHILD_CLEARTID)
#define K_FUTEX_WAIT 0
#define STEPS_PER_UNIT 1000

static unsigned long units;
static unsigned long results[2];
static int child_tid = -1; /* the kernel clears it when the thread ends */
static unsigned char child_stack[64 << 10] __attribute__((aligned(16)));

/* The work: xorshift64 steps, which no compiler folds away. */
static unsigned long work(unsigned long n)
{
	unsigned long x = 88172645463325252ul;

	for (unsigned long i = 0; i < n * STEPS_PER_UNIT; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	return x;
}

/* The second thread, on child_stack: works, then exits (the thread only). */
void bench_thread_main(void) __attribute__((noreturn, used));
void bench_thread_main(void)
{
	results[1] = work(units);
	for (;;)
		bench_syscall3(SYS_EXIT_, 0, 0, 0);
}

/* Starts bench_thread_main as a thread on child_stack; its tid or -errno.
 * The child leaves the clone on its new stack straight into the call, so
 * it never returns through this function's frame. */
static long start_thread(void)
{
	void *top = child_stack + sizeof(child_stack);
#if defined(__x86_64__)
	register long r10 __asm__("r10") = (long)&child_tid; /* child_tid */
	register long r8 __asm__("r8") = 0;                  /* tls */
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call bench_thread_main\n\t"
			 "1:"
			 : "=a"(ret)
			 : "a"(SYS_CLONE_), "D"(THREAD_FLAGS), "S"(top), "d"(0),
			   "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
#else
	register long a7 __asm__("a7") = SYS_CLONE_;
	register long a0 __asm__("a0") = (long)THREAD_FLAGS;
	register long a1 __asm__("a1") = (long)top;
	register long a2 __asm__("a2") = 0;                  /* parent_tid */
	register long a3 __asm__("a3") = 0;                  /* tls */
	register long a4 __asm__("a4") = (long)&child_tid;   /* child_tid */

	__asm__ volatile("ecall\n\t"
			 "bnez a0, 1f\n\t"
			 "call bench_thread_main\n\t"
			 "1:"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4)
			 : "ra", "memory");
	return a0;
#endif
}

/* Waits until the second thread has exited (its tid word is cleared). */
static void join(void)
{
	int tid;

	while ((tid = __atomic_load_n(&child_tid, __ATOMIC_SEQ_CST)) != 0)
		bench_syscall6(SYS_FUTEX_, (long)&child_tid, K_FUTEX_WAIT, tid,
			       0, 0, 0);
}

int bench_run(long argc, char **argv)
{
	unsigned long start, ns;
	long tid;

	units = argc > 1 ? bench_parse(argv[1]) : 0;
	start = bench_now_ns();
	tid = start_thread();
	if (tid < 0) {
		bench_puts("threads: cannot start a thread\n");
		return 2;
	}
	results[0] = work(units);
	join();
	ns = bench_now_ns() - start;
	bench_report("threads", units, ns);
	/* Both did the whole work: the same value (xorshift never reaches
	 * 0 from a seed that is not 0). */
	return results[0] == results[1] && results[0] ? 0 : 1;
}
