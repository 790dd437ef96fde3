/*
 * Power-off and debugging on the hosted backend: hal_power_off kills every
 * stub process and exits with the status; hal_backtrace prints the
 * caller's stack symbolized by libunwind; faults of the kernel process
 * itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE) are printed and handed to
 * core_kernel_fault, which panics, unless they are an armed
 * hal_probe_access's own (probe.c).
 */
#include "hosted.h"

#define UNW_LOCAL_ONLY
#include <err.h>
#include <libunwind.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <valgrind/valgrind.h>

void hal_power_off(int status)
{
	hosted_stub_kill_all();
	exit(status & 0xff);
}

static bool is_stack_root(const char *name)
{
	return strcmp(name, "main") == 0 ||
	       strcmp(name, "hosted_kctx_trampoline") == 0 ||
	       strcmp(name, "hosted_cpu_thread") == 0;
}

/* The name of the function of frame cur (return address ip). Confined,
 * from the symbol table loaded at boot: libunwind's lookup opens files. */
static bool frame_name(unw_cursor_t *cur, unw_word_t ip, char *name,
		       size_t size, unw_word_t *off)
{
	uintptr_t o;

	if (!hosted_symbols_loaded())
		return unw_get_proc_name(cur, name, size, off) == 0;
	if (!hosted_symbol_name((uintptr_t)ip, name, size, &o))
		return false;
	*off = o;
	return true;
}

void hal_backtrace(void)
{
	unw_context_t uc;
	unw_cursor_t cur;
	char line[256], name[160];

	/* libunwind probes memory it is unsure of with write(2) to a pipe:
	 * harmless, but Valgrind reports it. */
	VALGRIND_DISABLE_ERROR_REPORTING;
	if (unw_getcontext(&uc) != 0 || unw_init_local(&cur, &uc) != 0) {
		hal_console_write("  (no backtrace)\n", 17);
		VALGRIND_ENABLE_ERROR_REPORTING;
		return;
	}
	for (int depth = 0; depth < 64 && unw_step(&cur) > 0; depth++) {
		unw_word_t ip, off;
		int n;

		unw_get_reg(&cur, UNW_REG_IP, &ip);
		name[0] = '\0';
		if (frame_name(&cur, ip, name, sizeof(name), &off))
			n = snprintf(line, sizeof(line),
				     "  #%d 0x%lx %s+0x%lx\n", depth,
				     (unsigned long)ip, name,
				     (unsigned long)off);
		else
			n = snprintf(line, sizeof(line), "  #%d 0x%lx ?\n",
				     depth, (unsigned long)ip);
		if (n > 0)
			hal_console_write(line, (size_t)n < sizeof(line) ?
					  (size_t)n : sizeof(line) - 1);
		/* The roots of every kernel stack: below them is only libc's
		 * start-up code, where libunwind would have to guess. */
		if (is_stack_root(name))
			break;
	}
	VALGRIND_ENABLE_ERROR_REPORTING;
}

static const char *fault_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV (kernel page fault)";
	case SIGBUS: return "SIGBUS (kernel bus error)";
	case SIGILL: return "SIGILL (kernel illegal instruction)";
	case SIGFPE: return "SIGFPE (kernel arithmetic fault)";
	default: return "kernel fault";
	}
}

static void kernel_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t ip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
	uintptr_t addr = (uintptr_t)si->si_addr;
	char line[200];
	int n;

	if (hosted_probe_trap(sig, si, uc))
		return; /* a test's probe (probe.c), not a kernel bug */
	/* Interrupts off: the panic path must not be interrupted. */
	hal_irq_save();
	n = snprintf(line, sizeof(line),
		     "keel: %s at ip 0x%lx, address 0x%lx (si_code %d)\n",
		     fault_name(sig), (unsigned long)ip, (unsigned long)addr,
		     si->si_code);
	if (n > 0)
		hal_console_write(line, (size_t)n);
	core_kernel_fault(fault_name(sig), ip, addr);
}

void hosted_fault_init(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = kernel_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			err(1, "keel: sigaction");
}
