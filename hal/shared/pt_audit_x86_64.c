/*
 * hal_pt_audit's walk of an x86-64 4-level page table (Intel SDM vol. 3,
 * 4.5), shared by the hosted and the bare-metal backend. User mode may
 * use a translation only if U/S is set at all four levels, so a subtree
 * under an entry without U/S is skipped whole: nothing in it is
 * reachable from user mode, whatever its own entries say. PML4 slots
 * 256..511 are the kernel half.
 */
#include "probe_x86_64.h"

#define PTE_P (1ull << 0)
#define PTE_US (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull
#define ENTRIES 512
#define KERNEL_FIRST 256
#define LEVELS 4

/* Bytes one entry at level maps (level 0: a 4 KiB page). */
static uint64_t entry_span(unsigned level)
{
	return (uint64_t)HAL_PAGE_SIZE << (9 * level);
}

/* A 48-bit address made canonical (bits 48..63 copy bit 47). */
static uintptr_t canonical(uint64_t va)
{
	return (uintptr_t)((int64_t)(va << 16) >> 16);
}

/* Counts the user-reachable pages under the table at pa (level), which
 * maps from base; kernel: the kernel half (then they are exposed). */
static void walk(hal_paddr_t pa, unsigned level, uint64_t base, bool kernel,
		 struct hal_pt_audit *out)
{
	const uint64_t *t = hal_phys_to_virt(pa);

	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = t[i], va = base + i * entry_span(level);

		if (!(e & PTE_P) || !(e & PTE_US))
			continue;
		if (level > 0 && !(e & PTE_PS)) {
			walk(e & PTE_ADDR, level - 1, va, kernel, out);
			continue;
		}
		if (!kernel) {
			out->user_pages += entry_span(level) / HAL_PAGE_SIZE;
			continue;
		}
		if (!out->exposed_pages)
			out->first_exposed = canonical(va);
		out->exposed_pages += entry_span(level) / HAL_PAGE_SIZE;
	}
}

void x86_pt_audit(hal_paddr_t root, struct hal_pt_audit *out)
{
	const uint64_t *pml4 = hal_phys_to_virt(root);

	*out = (struct hal_pt_audit){ 0 };
	for (unsigned i = 0; i < ENTRIES; i++) {
		uint64_t e = pml4[i], va = i * entry_span(LEVELS - 1);
		bool kernel = i >= KERNEL_FIRST;

		if (!(e & PTE_P))
			continue;
		out->kernel_roots += kernel;
		if (e & PTE_US)
			walk(e & PTE_ADDR, LEVELS - 2, va, kernel, out);
	}
}
