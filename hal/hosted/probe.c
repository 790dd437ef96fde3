/*
 * The test and introspection primitives (<hal/probe.h>) on the hosted
 * backend. User pages live only in stub processes, never in the kernel
 * process, so the hosted answer to "can the kernel reach a user page
 * through its user address" is that the address is not mapped in the
 * kernel at all: a probe makes the access in the kernel process, and the
 * kernel-fault handler (power.c) lands the resulting SIGSEGV back in the
 * probe (hal/shared/probe_x86_64.c), reporting si_addr and whether the
 * kernel process has anything mapped there at all (it must not). The as
 * argument cannot change that view and is ignored. The audit walks the
 * core's table of a space, from which every mapping the stub gets comes.
 */
#include "hosted.h"

#include <signal.h>
#include <ucontext.h>
#include <sys/mman.h>
#include <valgrind/valgrind.h>

#include "../shared/probe_x86_64.h"

int hal_probe_access(struct hal_as *as, uintptr_t va, enum hal_probe kind,
		     struct hal_probe_fault *fault)
{
	unsigned long irq = hal_irq_save();
	int r;

	(void)as;
	/* Memcheck would report the access to unaddressable memory that
	 * the probe makes on purpose. */
	VALGRIND_DISABLE_ERROR_REPORTING;
	r = x86_probe_run(va, kind, fault);
	VALGRIND_ENABLE_ERROR_REPORTING;
	hal_irq_restore(irq);
	return r;
}

/*
 * Whether the kernel process has anything mapped at va's page. Asked of
 * the host (mincore fails with ENOMEM where nothing is), not read from
 * si_code: under Valgrind a jump to an address inside a reservation of
 * its own is reported SEGV_ACCERR although nothing is mapped there.
 */
static bool kernel_maps(uintptr_t va)
{
	unsigned char vec;

	return mincore((void *)(va & ~(uintptr_t)(HAL_PAGE_SIZE - 1)),
		       HAL_PAGE_SIZE, &vec) == 0;
}

bool hosted_probe_trap(int sig, const siginfo_t *si, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	struct hal_probe_fault seen = {
		.ip = (uintptr_t)g[REG_RIP],
		.addr = (uintptr_t)si->si_addr,
		.trapno = (unsigned)sig,
		.error = (uint64_t)g[REG_ERR],
	};
	uint64_t rip = (uint64_t)g[REG_RIP], rsp = (uint64_t)g[REG_RSP],
		 rax = (uint64_t)g[REG_RAX];

	if (sig == SIGSEGV)
		seen.access = x86_pf_access(seen.error);
	seen.mapped = kernel_maps(seen.addr);
	if (!x86_probe_catch(&seen, &rip, &rsp, &rax))
		return false;
	g[REG_RIP] = (greg_t)rip;
	g[REG_RSP] = (greg_t)rsp;
	g[REG_RAX] = (greg_t)rax;
	return true;
}

/* Structural: a kernel-mode access can never reach a stub's page. */
unsigned hal_probe_guards(unsigned *available)
{
	const unsigned all = HAL_GUARD_NO_USER_EXEC | HAL_GUARD_NO_USER_DATA |
			     HAL_GUARD_SEPARATE;

	if (available)
		*available = all;
	return all;
}

void hal_pt_audit(hal_paddr_t root, struct hal_pt_audit *out)
{
	x86_pt_audit(root, out);
}
