/* User stack growth (issue 11, item 4): the main thread's stack grows on
 * demand up to RLIMIT_STACK and no further. A child lowers its soft limit
 * to 1 MiB and recurses: without a handler it dies by SIGSEGV; with a
 * SIGSEGV handler on an alternate stack the handler runs, and the depth
 * reached, measured from main's frame, lies between half the limit and
 * the limit. A child that stays within the limit returns normally, also
 * after a limit raised again. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi.h"
#include "abi_proc.h"

#define LIMIT (1ul << 20)
#define FRAME 1024

static uintptr_t top, deepest;
static char altstack[64 * 1024];

/* Recurses n frames of FRAME bytes deep, touching each. */
static long recurse(long n)
{
	volatile char frame[FRAME];

	memset((char *)frame, (int)n, sizeof(frame));
	if ((uintptr_t)frame < deepest)
		deepest = (uintptr_t)frame;
	if (n == 0)
		return frame[0];
	return recurse(n - 1) + frame[1];
}

static void on_segv(int sig)
{
	uintptr_t depth = top - deepest;

	(void)sig;
	_exit(depth > LIMIT / 2 && depth <= LIMIT ? 10 : 11);
}

static void lower_limit(void)
{
	struct rlimit r;

	getrlimit(RLIMIT_STACK, &r);
	r.rlim_cur = LIMIT;
	if (setrlimit(RLIMIT_STACK, &r))
		_exit(12);
}

static void overflow(void)
{
	lower_limit();
	recurse(1 << 20);
}

static void overflow_handled(void)
{
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	struct sigaction sa = { .sa_handler = on_segv, .sa_flags = SA_ONSTACK };

	sigaltstack(&ss, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	lower_limit();
	recurse(1 << 20);
}

/* 512 KiB of recursion: well inside the 1 MiB. */
static void within(void)
{
	lower_limit();
	recurse((LIMIT / 2) / FRAME);
}

int main(void)
{
	char here;

	top = deepest = (uintptr_t)&here;
	abi_in_child("overflow", overflow);
	abi_in_child("overflow with a handler", overflow_handled);
	abi_in_child("within the limit", within);
	return 0;
}
