/*
 * The riscv64 vDSO's own calls: __vdso_flush_icache (glibc's
 * __riscv_flush_icache uses it when present), which is the system call.
 * __vdso_rt_sigreturn is in sigreturn.S.
 */
#include "../vdso.h"

VDSO_EXPORT long __vdso_flush_icache(void *start, void *end,
				     unsigned long flags);
VDSO_EXPORT long __vdso_flush_icache(void *start, void *end,
				     unsigned long flags)
{
	return vdso_syscall3(VDSO_NR_riscv_flush_icache, (long)start,
			     (long)end, (long)flags);
}
