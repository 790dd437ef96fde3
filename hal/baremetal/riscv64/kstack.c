/*
 * The riscv64 side of the kernel stack area (hal/baremetal/common/kstack.c
 * has the slots and hal_kstack_map/unmap): its Sv39 tables under root
 * entry KSTACK_ROOT_INDEX, apart from the direct map (which uses the
 * largest pages it can and could not leave a 4 KiB hole).
 *
 * All tables of the area are allocated with the kernel page table
 * (rv_mmu_init), so the root entry every address space copies never
 * changes. An overflow writes into a guard and faults; saving the trap
 * frame on the overflowed sp faults again, and the vector then switches
 * to the CPU's fault stack (vector.S), from where trap.c reports stval, an
 * address in the guard, to core_kernel_fault, which names the task.
 */
#include "../common/bm.h"
#include "riscv.h"

#define PT_SPAN (512ul * HAL_PAGE_SIZE) /* what one level-0 table maps */
#define KSTACK_PTS (BM_KSTACK_SLOTS * BM_KSTACK_SLOT / PT_SPAN)

_Static_assert((uint64_t)BM_KSTACK_SLOTS * BM_KSTACK_SLOT <= (1ul << 30),
	       "the stack area fits one level-1 table");
_Static_assert(((KSTACK_AREA_BASE >> 30) & 511) == KSTACK_ROOT_INDEX,
	       "KSTACK_ROOT_INDEX is the root entry of KSTACK_AREA_BASE");

const uintptr_t bm_kstack_base = KSTACK_AREA_BASE;
static uint64_t *stack_pts[KSTACK_PTS];

static uint64_t table_pte(hal_paddr_t pa)
{
	return (pa >> 12) << PTE_PPN_SHIFT | PTE_V;
}

void rv_kstack_init(uint64_t *root, hal_paddr_t (*alloc)(void))
{
	hal_paddr_t l1_pa = alloc();
	uint64_t *l1 = hal_phys_to_virt(l1_pa);
	unsigned i;

	root[KSTACK_ROOT_INDEX] = table_pte(l1_pa);
	for (i = 0; i < KSTACK_PTS; i++) {
		hal_paddr_t pt_pa = alloc();

		stack_pts[i] = hal_phys_to_virt(pt_pa);
		l1[((KSTACK_AREA_BASE >> 21) & 511) + i] = table_pte(pt_pa);
	}
}

uint64_t *bm_kstack_pte(uintptr_t va)
{
	uintptr_t off = va - KSTACK_AREA_BASE;

	return &stack_pts[off / PT_SPAN][(off % PT_SPAN) / HAL_PAGE_SIZE];
}

uint64_t bm_kstack_leaf(uint64_t pa)
{
	return (pa >> 12) << PTE_PPN_SHIFT | PTE_V | PTE_R | PTE_W | PTE_A |
	       PTE_D | PTE_G;
}

/* Every CPU may have cached the global entries: flush here, and on every
 * other started hart through the SBI. */
void bm_kstack_flush(uintptr_t va, size_t len)
{
	struct rv_cpu *self = rv_this_cpu();
	unsigned i;

	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* PTE writes first */
	for (size_t off = 0; off < len; off += HAL_PAGE_SIZE)
		sfence_vma_addr(va + off);
	for (i = 0; i < rv_ncpus; i++) {
		if (i != self->id &&
		    __atomic_load_n(&rv_cpus[i].started, __ATOMIC_ACQUIRE))
			rv_sbi_remote_sfence_vma(1, rv_cpus[i].hartid, va, len);
	}
}
