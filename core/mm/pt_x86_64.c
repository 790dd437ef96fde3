/*
 * The x86-64 4-level page-table format (Intel SDM vol. 3, 4.5): 9 index
 * bits per level, 48-bit canonical addresses, physical address in bits
 * 12..51. A present entry is always readable; NX forbids execution. A
 * mapped page without access keeps P clear and a software bit set, so the
 * hardware faults on it while the walker still sees its frame.
 */
#include "mm/pt.h"

#define X86_P (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_US (1ull << 2)
#define X86_A (1ull << 5)
#define X86_D (1ull << 6)
#define X86_PS (1ull << 7)
#define X86_G (1ull << 8)
#define X86_SW_COW (1ull << 9)   /* software bits 9..11 */
#define X86_SW_NONE (1ull << 10) /* mapped, no access: P is clear */
#define X86_SW_SHARED (1ull << 11)
#define X86_NX (1ull << 63)
#define X86_ADDR_MASK 0x000ffffffffff000ull

static pte_t x86_make_leaf(hal_paddr_t pa, unsigned flags)
{
	pte_t pte = pa & X86_ADDR_MASK;

	if (flags & PT_PROT_MASK) {
		pte |= X86_P;
		if (flags & PT_WRITE)
			pte |= X86_RW;
		if (!(flags & PT_EXEC))
			pte |= X86_NX;
	} else {
		pte |= X86_SW_NONE;
	}
	if (flags & PT_USER)
		pte |= X86_US;
	if (flags & PT_ACCESSED)
		pte |= X86_A;
	if (flags & PT_DIRTY)
		pte |= X86_D;
	if (flags & PT_GLOBAL)
		pte |= X86_G;
	if (flags & PT_COW)
		pte |= X86_SW_COW;
	if (flags & PT_SHARED)
		pte |= X86_SW_SHARED;
	return pte;
}

/* Tables grant everything: the leaf decides. */
static pte_t x86_make_table(hal_paddr_t pa)
{
	return (pa & X86_ADDR_MASK) | X86_P | X86_RW | X86_US;
}

static bool x86_is_valid(pte_t pte)
{
	return (pte & (X86_P | X86_SW_NONE)) != 0;
}

static bool x86_is_leaf(pte_t pte, unsigned level)
{
	return level == 0 || (pte & X86_PS);
}

static hal_paddr_t x86_pte_pa(pte_t pte)
{
	return pte & X86_ADDR_MASK;
}

static unsigned x86_leaf_flags(pte_t pte)
{
	unsigned flags = 0;

	if (pte & X86_P) {
		flags |= PT_READ;
		if (pte & X86_RW)
			flags |= PT_WRITE;
		if (!(pte & X86_NX))
			flags |= PT_EXEC;
	}
	if (pte & X86_US)
		flags |= PT_USER;
	if (pte & X86_A)
		flags |= PT_ACCESSED;
	if (pte & X86_D)
		flags |= PT_DIRTY;
	if (pte & X86_G)
		flags |= PT_GLOBAL;
	if (pte & X86_SW_COW)
		flags |= PT_COW;
	if (pte & X86_SW_SHARED)
		flags |= PT_SHARED;
	return flags;
}

const struct pt_format pt_format_x86_64 = {
	.name = "x86-64",
	.levels = 4,
	.index_bits = 9,
	.va_bits = 48,
	.pa_bits = 52,
	.make_leaf = x86_make_leaf,
	.make_table = x86_make_table,
	.is_valid = x86_is_valid,
	.is_leaf = x86_is_leaf,
	.pte_pa = x86_pte_pa,
	.leaf_flags = x86_leaf_flags,
};
