/*
 * Machine description of the bare-metal riscv64 backend (QEMU virt, S-mode
 * under OpenSBI): 4 KiB pages, the Sv39 page-table format (the core builds
 * the user half of each root, entries 0..255; hal_as_init copies in the
 * kernel half, 256..511), user addresses in the lower half of Sv39.
 */
#ifndef HAL_ARCH_H
#define HAL_ARCH_H

#include <stdint.h>
#include <hal/uctx_riscv64.h>

#define HAL_PAGE_SHIFT 12
#define HAL_PAGE_SIZE (1ul << HAL_PAGE_SHIFT)
#define HAL_MAX_CPUS 8

#define HAL_PT_SV39 1

/* The lower half of Sv39 (256 GiB) but the first 64 KiB (NULL guard) and
 * the last page (so that no user range ends exactly at the boundary). */
#define HAL_USER_VA_MIN 0x10000ul
#define HAL_USER_VA_MAX 0x3ffffff000ul

/* A kernel task's context: the callee-saved registers, saved and loaded
 * by hal_kctx_switch (hal/baremetal/riscv64/switch.S). */
struct hal_kctx {
	uint64_t ra;
	uint64_t sp;
	uint64_t s[12];
};

/*
 * An address space: the satp value of its root (Sv39 mode, ASID 0), the
 * set of CPUs that have it loaded in satp (bit per CPU), so that TLB
 * flushes reach exactly those, the range hal_tlb_flush still has to fence
 * on the other CPUs, and a flag hal_as_destroy raises to make
 * them all unload it.
 */
struct hal_as {
	uint64_t satp;
	uint64_t cpus;
	uint32_t dying;
	uintptr_t pend_lo, pend_hi; /* not yet fenced on other CPUs */
};

#endif
