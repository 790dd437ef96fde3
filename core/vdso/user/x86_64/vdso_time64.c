/*
 * time(2) in the x86-64 vDSO (riscv64 has no time call): the wall clock
 * in whole seconds, also stored at tloc when it is not NULL.
 */
#include "../vdso.h"

VDSO_EXPORT int64_t __vdso_time(int64_t *tloc);
VDSO_EXPORT int64_t __vdso_time(int64_t *tloc)
{
	uint64_t ns;
	int64_t secs;

	if (!vdso_read_clock(CLOCK_REALTIME, &ns))
		return vdso_syscall3(VDSO_NR_time, (long)tloc, 0, 0);
	secs = (int64_t)(ns / NSEC_PER_SEC);
	if (tloc)
		*tloc = secs;
	return secs;
}

VDSO_EXPORT int64_t time(int64_t *) __attribute__((weak, alias("__vdso_time")));
