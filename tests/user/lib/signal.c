/*
 * The architecture-dependent parts of the signal tests that C can say:
 * the kernel's struct sigaction (x86-64 has sa_restorer and requires it;
 * riscv64 has neither), where the ucontext keeps the pc, and the si_code
 * Linux gives each architecture's illegal instruction and breakpoint.
 */
#include <user.h>

#if defined(__x86_64__)
#define SA_RESTORER 0x04000000
struct ksigaction {
	unsigned long handler, flags, restorer, mask;
};
void sig_restorer(void);
const int arch_ill_code = ILL_ILLOPN;
const int arch_trap_code = SI_KERNEL; /* int3 is force_sig(SIGTRAP) */
const int arch_trap_addr = 0;
/* uc_flags, uc_link, uc_stack (24), then sigcontext: 16 registers before
 * rip. */
#define UC_PC_OFFSET 168
#else
struct ksigaction {
	unsigned long handler, flags, mask;
};
const int arch_ill_code = ILL_ILLOPC;
const int arch_trap_code = TRAP_BRKPT;
const int arch_trap_addr = 1;
/* uc_flags, uc_link, uc_stack (24), uc_sigmask and 120 reserved bytes,
 * then sigcontext, 16-aligned (its Q state is), pc first. */
#define UC_PC_OFFSET 176
/* sc_fpregs after the 32 registers; its last 12 bytes (q.reserved,
 * sc_extdesc's reserved word and end header) after f[64] and fcsr. */
#define UC_FP_TAIL_OFFSET (UC_PC_OFFSET + 32 * 8 + 64 * 8 + 4)
#endif


long sig_install(int sig, usighandler handler, unsigned long flags,
		 unsigned long mask, unsigned long *old_handler)
{
	struct ksigaction act, old;
	long ret;

	memset(&act, 0, sizeof(act));
	act.handler = (unsigned long)handler;
	act.flags = flags;
	act.mask = mask;
#if defined(__x86_64__)
	act.flags |= SA_RESTORER;
	act.restorer = (unsigned long)sig_restorer;
#endif
	ret = sys_rt_sigaction(sig, &act, &old, 8);
	if (ret == 0 && old_handler)
		*old_handler = old.handler;
	return ret;
}

unsigned long sig_blocked(void)
{
	unsigned long set = 0;

	sys_rt_sigprocmask(SIG_BLOCK, NULL, &set, 8);
	return set;
}

unsigned long *uc_pc(void *uc)
{
	return (unsigned long *)((char *)uc + UC_PC_OFFSET);
}

unsigned int *uc_fp_tail(void *uc)
{
#ifdef UC_FP_TAIL_OFFSET
	return (unsigned int *)((char *)uc + UC_FP_TAIL_OFFSET);
#else
	(void)uc;
	return NULL;
#endif
}
