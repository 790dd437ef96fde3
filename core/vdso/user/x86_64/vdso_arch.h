/*
 * The x86-64 half of the vDSO: the user-mode counter (the TSC, ordered
 * as the kernel's tsc_clock reads it), the system call the fallbacks
 * make, and the system call numbers.
 */
#ifndef VDSO_ARCH_H
#define VDSO_ARCH_H

#include <stdint.h>

#define VDSO_NR_gettimeofday 96
#define VDSO_NR_time 201
#define VDSO_NR_clock_gettime 228
#define VDSO_NR_clock_getres 229
#define VDSO_NR_getcpu 309

static inline uint64_t vdso_counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void vdso_relax(void)
{
	__asm__ volatile("pause");
}

/* The real system call: it traps as any other. */
static inline long vdso_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
