/*
 * Kernel stacks with guard pages, shared by the bare-metal backends: the
 * stack area (at bm_kstack_base, KSTACK_SLOTS slots of HAL_KSTACK_GUARD +
 * HAL_KSTACK_SIZE bytes) and its slot bitmap. hal_kstack_map fills the top
 * HAL_KSTACK_SIZE bytes of a free slot with 4 KiB pages; the guard below
 * is never mapped, so an overflow faults there. The architecture provides
 * the page tables (built whole at boot, so mapping allocates nothing and
 * the kernel half every address space copies never changes), the leaf
 * entry format and the TLB flush (see bm.h).
 */
#include <hal/hal.h>

#include "bm.h"

#define SLOT_WORDS (BM_KSTACK_SLOTS / 64)
#define STACK_PAGES (HAL_KSTACK_SIZE / HAL_PAGE_SIZE)

_Static_assert(BM_KSTACK_SLOT == HAL_KSTACK_GUARD + HAL_KSTACK_SIZE,
	       "a slot is a guard and a stack");

static uint64_t slot_used[SLOT_WORDS];

/* Claims a free slot; -1 if all are taken. Lock-free (atomic bits). */
static int slot_claim(void)
{
	for (unsigned w = 0; w < SLOT_WORDS; w++) {
		uint64_t used = __atomic_load_n(&slot_used[w], __ATOMIC_RELAXED);

		while (~used) {
			unsigned bit = 0; /* the first clear one (no libgcc) */
			uint64_t mask;

			while (used & (1ull << bit))
				bit++;
			mask = 1ull << bit;

			used = __atomic_fetch_or(&slot_used[w], mask,
						 __ATOMIC_ACQ_REL);
			if (!(used & mask))
				return (int)(w * 64 + bit);
		}
	}
	return -1;
}

void *hal_kstack_map(hal_paddr_t pa)
{
	uintptr_t stack;
	int slot = slot_claim();
	unsigned i;

	if (slot < 0)
		return NULL;
	stack = bm_kstack_base + (uintptr_t)slot * BM_KSTACK_SLOT +
		HAL_KSTACK_GUARD;
	/* The entries were invalid, which no TLB caches: no flush. */
	for (i = 0; i < STACK_PAGES; i++)
		*bm_kstack_pte(stack + i * HAL_PAGE_SIZE) =
			bm_kstack_leaf(pa + i * HAL_PAGE_SIZE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (void *)stack;
}

void hal_kstack_unmap(void *stack)
{
	uintptr_t va = (uintptr_t)stack, off = va - bm_kstack_base;
	unsigned i, slot = (unsigned)(off / BM_KSTACK_SLOT);

	if (va < bm_kstack_base || off % BM_KSTACK_SLOT != HAL_KSTACK_GUARD ||
	    slot >= BM_KSTACK_SLOTS) {
		bm_printf("keel: hal_kstack_unmap(%p): not a kernel stack\n",
			  stack);
		core_kernel_fault("hal_kstack_unmap", va, va);
	}
	for (i = 0; i < STACK_PAGES; i++)
		*bm_kstack_pte(va + i * HAL_PAGE_SIZE) = 0;
	bm_kstack_flush(va, HAL_KSTACK_SIZE);
	__atomic_fetch_and(&slot_used[slot / 64], ~(1ull << (slot % 64)),
			   __ATOMIC_ACQ_REL);
}

bool bm_kstack_in_area(uintptr_t va)
{
	return va >= bm_kstack_base &&
	       va - bm_kstack_base < (uintptr_t)BM_KSTACK_SLOTS * BM_KSTACK_SLOT;
}

bool bm_kstack_contains(uintptr_t va, size_t len)
{
	uintptr_t off = va - bm_kstack_base;

	if (!bm_kstack_in_area(va) || len == 0 || off + len < off ||
	    off + len > (uintptr_t)BM_KSTACK_SLOTS * BM_KSTACK_SLOT)
		return false;
	if (off % BM_KSTACK_SLOT < HAL_KSTACK_GUARD ||
	    (off + len - 1) / BM_KSTACK_SLOT != off / BM_KSTACK_SLOT)
		return false; /* in a guard, or across two slots */
	return *bm_kstack_pte(va) != 0 && *bm_kstack_pte(va + len - 1) != 0;
}
