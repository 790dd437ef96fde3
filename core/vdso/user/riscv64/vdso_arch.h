/*
 * The riscv64 half of the vDSO: the user-mode counter (the time CSR,
 * which the kernel lets U-mode read through scounteren.TM), the system
 * call the fallbacks make, and the (generic) system call numbers.
 * riscv64 has no time(2): its libcs use clock_gettime.
 */
#ifndef VDSO_ARCH_H
#define VDSO_ARCH_H

#include <stdint.h>

#define VDSO_NR_clock_gettime 113
#define VDSO_NR_clock_getres 114
#define VDSO_NR_getcpu 168
#define VDSO_NR_gettimeofday 169
#define VDSO_NR_riscv_flush_icache 259

static inline uint64_t vdso_counter(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t)::"memory");
	return t;
}

static inline void vdso_relax(void)
{
	__asm__ volatile("nop");
}

/* The real system call: it traps as any other. */
static inline long vdso_syscall3(long nr, long a, long b, long c)
{
	register long a7 __asm__("a7") = nr;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2)
			 : "memory");
	return a0;
}

#endif
