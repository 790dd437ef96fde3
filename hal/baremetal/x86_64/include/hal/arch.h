/*
 * Machine description of the bare-metal x86_64 backend: 4 KiB pages, the
 * x86-64 4-level page-table format (the core builds the user half of each
 * table; the backend copies in the kernel half), user addresses in the
 * lower canonical half.
 */
#ifndef HAL_ARCH_H
#define HAL_ARCH_H

#include <stdint.h>
#include <hal/uctx_x86_64.h>

#define HAL_PAGE_SHIFT 12
#define HAL_PAGE_SIZE (1ul << HAL_PAGE_SHIFT)
#define HAL_MAX_CPUS 8

#define HAL_PT_X86_64 1

/* The whole lower canonical half but the first 64 KiB (NULL guard) and
 * the last page (sysret to a non-canonical rip faults in ring 0 on Intel;
 * keeping the top page unmapped avoids that case altogether). */
#define HAL_USER_VA_MIN 0x10000ul
#define HAL_USER_VA_MAX 0x00007ffffffff000ul

/* A kernel task's context: callee-saved registers live on its stack,
 * pushed by hal_kctx_switch (hal/baremetal/x86_64/switch.S). */
struct hal_kctx {
	uint64_t rsp;
};

/* An address space: the physical address of its PML4 (the core's root,
 * with the kernel half copied in by hal_as_init), and the range updated
 * or invalidated since the last hal_tlb_flush, which the flush shoots
 * down on the other CPUs that have the space loaded (pend_lo == pend_hi:
 * none). */
struct hal_as {
	uint64_t root;
	uintptr_t pend_lo, pend_hi;
};

#endif
