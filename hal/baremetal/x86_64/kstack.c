/*
 * The x86_64 side of the kernel stack area (hal/baremetal/common/kstack.c
 * has the slots and hal_kstack_map/unmap): its page tables, at
 * KSTACK_AREA_BASE in PML4 slot KSTACK_PML4_SLOT of their own, because the
 * direct map uses 2 MiB pages and could not leave a 4 KiB hole.
 *
 * All tables of the area are allocated at boot (x86_kstack_init), so the
 * PML4 entry every address space copies never changes. An overflow writes
 * into a guard: the page fault cannot push its frame there either, so the
 * CPU raises #DF, which runs on its IST stack (cpu.c); trap.c passes CR2
 * (in the guard) to core_kernel_fault, which names the task.
 *
 * The flush after an unmap (bm_kstack_flush) is a shootdown on every CPU:
 * tlb.c.
 */
#include "x86.h"

#include "../common/bm.h"

#define PTE_P 0x1ul
#define PTE_W 0x2ul
#define PTE_NX (1ul << 63)

#define PT_SPAN (512ul * HAL_PAGE_SIZE) /* what one page table maps */
#define KSTACK_PTS (BM_KSTACK_SLOTS * BM_KSTACK_SLOT / PT_SPAN)

_Static_assert((uint64_t)BM_KSTACK_SLOTS * BM_KSTACK_SLOT <= (1ul << 30),
	       "the stack area fits one page directory");
_Static_assert(((KSTACK_AREA_BASE >> 39) & 511) == KSTACK_PML4_SLOT,
	       "KSTACK_PML4_SLOT is the slot of KSTACK_AREA_BASE");

const uintptr_t bm_kstack_base = KSTACK_AREA_BASE;
static uint64_t *stack_pts[KSTACK_PTS];
static uint64_t pte_nx;

uint64_t x86_kstack_init(uint64_t *(*alloc)(uint64_t *pa), bool nx)
{
	uint64_t pdpt_pa, pd_pa, *pdpt = alloc(&pdpt_pa), *pd = alloc(&pd_pa);
	unsigned i;

	pdpt[(KSTACK_AREA_BASE >> 30) & 511] = pd_pa | PTE_P | PTE_W;
	for (i = 0; i < KSTACK_PTS; i++) {
		uint64_t pt_pa;

		stack_pts[i] = alloc(&pt_pa);
		pd[((KSTACK_AREA_BASE >> 21) & 511) + i] =
			pt_pa | PTE_P | PTE_W;
	}
	pte_nx = nx ? PTE_NX : 0;
	return pdpt_pa;
}

uint64_t *bm_kstack_pte(uintptr_t va)
{
	uintptr_t off = va - KSTACK_AREA_BASE;

	return &stack_pts[off / PT_SPAN][(off % PT_SPAN) / HAL_PAGE_SIZE];
}

uint64_t bm_kstack_leaf(uint64_t pa)
{
	return pa | PTE_P | PTE_W | pte_nx;
}
