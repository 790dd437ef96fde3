/*
 * Benchmark: the system-call round trip. `getpid N` makes N getpid calls
 * and reports their time (`bench getpid ops=N ns=T`); it exits 0 only if
 * every call returned the same positive pid.
 *
 * `getpid --sigsys N` (x86-64, natively) is the in-process floor of a
 * trapping design: a seccomp filter makes getpid raise SIGSYS, and a
 * handler in the same process answers it (sets rax and returns), which is
 * what a stub's trap costs before any handoff to a kernel elsewhere.
 */
#include "bench.h"

#if defined(__x86_64__)
#define SYS_RT_SIGACTION 13
#define SYS_RT_SIGRETURN 15
#define SYS_PRCTL 157
#define SYS_SECCOMP 317
#define K_SIGSYS 31
#define K_SA_SIGINFO 0x4ul
#define K_SA_RESTORER 0x04000000ul
#define PR_SET_NO_NEW_PRIVS 38
#define SECCOMP_SET_MODE_FILTER 1
#define SIGSYS_PID 4242             /* what the handler answers */
#define UC_RAX_OFFSET (40 + 13 * 8) /* uc_mcontext.gregs[REG_RAX] */

struct k_sigaction {
	void (*handler)(int, void *, void *);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

struct sock_filter {
	unsigned short code;
	unsigned char jt, jf;
	unsigned int k;
};

struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};

/* rt_sigaction needs a fourth argument (the mask size, in r10), and
 * prctl wants its unused ones 0 (r10, r8). */
static long syscall4(long nr, long a0, long a1, long a2, long a3)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = 0;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

void bench_restorer(void);
__asm__(".globl bench_restorer\n"
	"bench_restorer:\n"
	"	mov $15, %eax\n"
	"	syscall\n");

static void answer_sigsys(int sig, void *info, void *uc)
{
	(void)sig;
	(void)info;
	*(long *)((char *)uc + UC_RAX_OFFSET) = SIGSYS_PID;
}

/* getpid raises SIGSYS from now on; 0 or -errno. */
static long trap_getpid(void)
{
	struct k_sigaction sa = { answer_sigsys, K_SA_SIGINFO | K_SA_RESTORER,
				  bench_restorer, 0 };
	struct sock_filter f[] = {
		{ 0x20, 0, 0, 0 },              /* ld [nr] */
		{ 0x15, 0, 1, SYS_GETPID },     /* jeq getpid */
		{ 0x06, 0, 0, 0x00030000 },     /* ret TRAP */
		{ 0x06, 0, 0, 0x7fff0000 },     /* ret ALLOW */
	};
	struct sock_fprog prog = { 4, f };
	long r = syscall4(SYS_RT_SIGACTION, K_SIGSYS, (long)&sa, 0, 8);

	if (r == 0)
		r = syscall4(SYS_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0);
	if (r == 0)
		r = syscall4(SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, 0,
			     (long)&prog, 0);
	return r;
}
#else
static long trap_getpid(void)
{
	return -38; /* ENOSYS: the floor is measured on x86-64 hosts */
}
#endif

int bench_run(long argc, char **argv)
{
	int sigsys = argc > 1 && bench_streq(argv[1], "--sigsys");
	unsigned long n = argc > 1 + sigsys ? bench_parse(argv[1 + sigsys]) :
					      0;
	unsigned long start, end;
	long first;
	int status = 0;

	if (sigsys && trap_getpid() != 0) {
		bench_puts("getpid: cannot trap getpid with seccomp\n");
		return 2;
	}
	start = bench_now_ns();
	first = bench_syscall3(SYS_GETPID, 0, 0, 0);
	for (unsigned long i = 1; i < n; i++)
		if (bench_syscall3(SYS_GETPID, 0, 0, 0) != first)
			status = 1;
	end = bench_now_ns();
	if (first <= 0)
		status = 1;
	bench_report(sigsys ? "getpid-sigsys" : "getpid", n, end - start);
	return status;
}
