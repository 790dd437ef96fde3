/* Signals through the libc: sigaction with SA_SIGINFO (si_code, si_pid
 * for kill), a handler returning through the libc's restorer (x86-64's
 * __restore_rt; riscv64: the kernel's trampoline), sigprocmask and
 * sigpending, an alternate stack, and SIGSEGV for a store to an unmapped
 * address with SEGV_MAPERR and si_addr, left by siglongjmp. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "abi.h"

static volatile sig_atomic_t hits;
static volatile int got_code, got_pid, on_alt;
static volatile uintptr_t got_addr;
static char alt[65536];
static sigjmp_buf back;
static volatile uintptr_t bad = 16; /* unmapped */

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	char here;

	(void)sig;
	(void)uc;
	hits++;
	got_code = si->si_code;
	got_pid = si->si_pid;
	on_alt = &here > alt && &here < alt + sizeof(alt);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code;
	got_addr = (uintptr_t)si->si_addr;
	siglongjmp(back, 1);
}

int main(void)
{
	struct sigaction sa;
	sigset_t set, pending;
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	printf("sigaction: %d\n", sigaction(SIGUSR1, &sa, NULL));
	printf("sigaction SIGKILL: %s\n",
	       sigaction(SIGKILL, &sa, NULL) ? abi_errname(errno) : "0");
	kill(getpid(), SIGUSR1);
	printf("kill: hits %d, SI_USER %d, si_pid mine %d\n", (int)hits,
	       got_code == SI_USER, got_pid == getpid());

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	sigpending(&pending);
	printf("blocked: hits %d, pending %d\n", (int)hits,
	       sigismember(&pending, SIGUSR1));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("unblocked: hits %d\n", (int)hits);

	printf("sigaltstack: %d\n", sigaltstack(&ss, NULL));
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("altstack: hits %d, ran on it %d\n", (int)hits, (int)on_alt);

	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	if (!sigsetjmp(back, 1))
		*(volatile int *)bad = 1;
	printf("segv: SEGV_MAPERR %d, si_addr %#lx\n",
	       got_code == SEGV_MAPERR, (unsigned long)got_addr);
	return 0;
}
