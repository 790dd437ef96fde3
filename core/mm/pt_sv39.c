/*
 * The RISC-V Sv39 page-table format (privileged spec, 4.4): 3 levels of 9
 * index bits, 39-bit canonical addresses, the physical page number at bit
 * 10. A valid entry with R=W=X=0 points to the next table; anything else
 * valid is a leaf. W without R is reserved, so a writable leaf is always
 * readable. Leaves get A (and D when writable) from the caller, as a
 * machine without hardware A/D updates faults on them otherwise. There
 * are only two software bits (RSW, 8 and 9): RSW1 marks a shared mapping;
 * RSW0 is copy-on-write on a present leaf and, on a leaf with V clear,
 * "mapped without access" (such a page is never copy-on-write).
 */
#include "mm/pt.h"

#define SV39_V (1ull << 0)
#define SV39_R (1ull << 1)
#define SV39_W (1ull << 2)
#define SV39_X (1ull << 3)
#define SV39_U (1ull << 4)
#define SV39_G (1ull << 5)
#define SV39_A (1ull << 6)
#define SV39_D (1ull << 7)
#define SV39_RSW_COW (1ull << 8)    /* RSW bits 8..9; with V set */
#define SV39_RSW_NONE (1ull << 8)   /* the same bit, V clear */
#define SV39_RSW_SHARED (1ull << 9)
#define SV39_PPN_SHIFT 10
#define SV39_PPN_MASK ((1ull << 44) - 1)

static pte_t sv39_ppn(hal_paddr_t pa)
{
	return ((pa >> 12) & SV39_PPN_MASK) << SV39_PPN_SHIFT;
}

static pte_t sv39_make_leaf(hal_paddr_t pa, unsigned flags)
{
	pte_t pte = sv39_ppn(pa);

	if (flags & PT_PROT_MASK) {
		pte |= SV39_V;
		if (flags & (PT_READ | PT_WRITE))
			pte |= SV39_R;
		if (flags & PT_WRITE)
			pte |= SV39_W;
		if (flags & PT_EXEC)
			pte |= SV39_X;
		if (flags & PT_COW)
			pte |= SV39_RSW_COW;
	} else {
		pte |= SV39_RSW_NONE;
	}
	if (flags & PT_USER)
		pte |= SV39_U;
	if (flags & PT_GLOBAL)
		pte |= SV39_G;
	if (flags & PT_ACCESSED)
		pte |= SV39_A;
	if (flags & PT_DIRTY)
		pte |= SV39_D;
	if (flags & PT_SHARED)
		pte |= SV39_RSW_SHARED;
	return pte;
}

/* Non-leaf: V only; U, A and D must be clear there. */
static pte_t sv39_make_table(hal_paddr_t pa)
{
	return sv39_ppn(pa) | SV39_V;
}

static bool sv39_is_valid(pte_t pte)
{
	return (pte & (SV39_V | SV39_RSW_NONE)) != 0;
}

static bool sv39_is_leaf(pte_t pte, unsigned level)
{
	return level == 0 || (pte & (SV39_R | SV39_W | SV39_X)) != 0;
}

static hal_paddr_t sv39_pte_pa(pte_t pte)
{
	return ((pte >> SV39_PPN_SHIFT) & SV39_PPN_MASK) << 12;
}

static unsigned sv39_leaf_flags(pte_t pte)
{
	unsigned flags = 0;

	if (pte & SV39_V) {
		if (pte & SV39_R)
			flags |= PT_READ;
		if (pte & SV39_W)
			flags |= PT_WRITE;
		if (pte & SV39_X)
			flags |= PT_EXEC;
		if (pte & SV39_RSW_COW)
			flags |= PT_COW;
	}
	if (pte & SV39_U)
		flags |= PT_USER;
	if (pte & SV39_G)
		flags |= PT_GLOBAL;
	if (pte & SV39_A)
		flags |= PT_ACCESSED;
	if (pte & SV39_D)
		flags |= PT_DIRTY;
	if (pte & SV39_RSW_SHARED)
		flags |= PT_SHARED;
	return flags;
}

const struct pt_format pt_format_sv39 = {
	.name = "sv39",
	.levels = 3,
	.index_bits = 9,
	.va_bits = 39,
	.pa_bits = 56,
	.make_leaf = sv39_make_leaf,
	.make_table = sv39_make_table,
	.is_valid = sv39_is_valid,
	.is_leaf = sv39_is_leaf,
	.pte_pa = sv39_pte_pa,
	.leaf_flags = sv39_leaf_flags,
};
