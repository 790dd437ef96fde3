/*
 * Paging of the riscv64 backend (Sv39): the kernel page table, the direct
 * map, address spaces and TLB maintenance.
 *
 * The kernel table maps, in the upper half only: the direct map of every
 * RAM range of the device tree and of the devices' registers (read/write,
 * never executable, with the largest pages alignment allows), and the
 * kernel image at KERNEL_VIRT with 4 KiB pages: text read/execute, read-only
 * data read-only, data and bss read/write. Every user root gets the same
 * kernel half (root entries 256..511) copied in by hal_as_init; the tables
 * below those entries are shared, and never change after boot, except the
 * leaves of the kernel stack area (kstack.c), which every space sees.
 *
 * satp is switched lazily: after a trap from user mode the CPU keeps the
 * user root loaded until it runs another address space, so a syscall
 * costs no TLB flush. Each struct hal_as records which CPUs have it loaded;
 * TLB maintenance reaches exactly those, and hal_as_destroy makes them all
 * drop it before the core frees the root.
 */
#include "../common/bm.h"
#include "riscv.h"

#include <keel/string.h>

#define PT_ENTRIES 512
#define LEVEL_SHIFT(l) (12 + 9 * (l))
#define LEVEL_SIZE(l) (1ull << LEVEL_SHIFT(l))
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define KERNEL_HALF 256
/* Beyond this many pages a range flush becomes a full one. */
#define FLUSH_ALL_PAGES 64

extern char _kernel_start[], _etext[], _erodata[], _edata[];
extern char __ksyms_start[], _end[];

static uint64_t kernel_root[PT_ENTRIES] __attribute__((aligned(4096)));
static uint64_t kernel_satp;
static hal_paddr_t (*table_alloc)(void);

/* RAM of the direct map, for code that must not fault (backtraces). */
static struct hal_mem_region dmap_ram[HAL_MAX_MEM_REGIONS];
static size_t dmap_nram;

void *hal_phys_to_virt(hal_paddr_t pa)
{
	return (void *)(uintptr_t)(DMAP_BASE + pa);
}

hal_paddr_t hal_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= (uintptr_t)_kernel_start && v < (uintptr_t)_end)
		return rv_image_to_phys(va);
	return v - DMAP_BASE;
}

hal_paddr_t rv_image_to_phys(const void *p)
{
	return (uintptr_t)p - KERNEL_VOFFSET;
}

uint64_t rv_kernel_satp(void)
{
	return kernel_satp;
}

static uint64_t *table_of(uint64_t pte)
{
	return hal_phys_to_virt((pte >> PTE_PPN_SHIFT) << 12);
}

static uint64_t make_pte(hal_paddr_t pa, uint64_t flags)
{
	return (pa >> 12) << PTE_PPN_SHIFT | flags | PTE_V | PTE_A |
	       (flags & PTE_W ? PTE_D : 0);
}

/*
 * Maps the page of level lvl (0: 4 KiB, 1: 2 MiB, 2: 1 GiB) at va to pa,
 * under table (of level top). A leaf already covering va maps it the same
 * way (the direct map is linear), so it is left alone; where a table
 * already sits in the slot of a large page, the range goes in smaller
 * pages.
 */
static void map_page(uint64_t *table, int top, uintptr_t va, hal_paddr_t pa,
		     int lvl, uint64_t flags)
{
	unsigned idx = (va >> LEVEL_SHIFT(top)) & (PT_ENTRIES - 1);
	uint64_t pte = table[idx];
	unsigned i;

	if (top == lvl) {
		if (!(pte & PTE_V)) {
			table[idx] = make_pte(pa, flags);
			return;
		}
		if (pte & PTE_LEAF)
			return;
		for (i = 0; i < PT_ENTRIES; i++)
			map_page(table_of(pte), top - 1,
				 va + i * LEVEL_SIZE(top - 1),
				 pa + i * LEVEL_SIZE(top - 1), lvl - 1, flags);
		return;
	}
	if (!(pte & PTE_V)) {
		pte = (table_alloc() >> 12) << PTE_PPN_SHIFT | PTE_V;
		table[idx] = pte;
	} else if (pte & PTE_LEAF) {
		return;
	}
	map_page(table_of(pte), top - 1, va, pa, lvl, flags);
}

/* Maps [va, va + size) to pa with the largest pages that fit. */
static void map_range(uintptr_t va, hal_paddr_t pa, uint64_t size,
		      uint64_t flags)
{
	uint64_t end = va + size;

	va &= ~(HAL_PAGE_SIZE - 1);
	pa &= ~(HAL_PAGE_SIZE - 1);
	while (va < end) {
		int lvl = 2;

		while (lvl > 0 && (((va | pa) & (LEVEL_SIZE(lvl) - 1)) ||
				   end - va < LEVEL_SIZE(lvl)))
			lvl--;
		map_page(kernel_root, 2, va, pa, lvl, flags);
		va += LEVEL_SIZE(lvl);
		pa += LEVEL_SIZE(lvl);
	}
}

static void map_dmap(hal_paddr_t base, uint64_t size)
{
	if (base >= DMAP_SIZE)
		return;
	if (size > DMAP_SIZE - base)
		size = DMAP_SIZE - base;
	map_range(DMAP_BASE + base, base, size, PTE_R | PTE_W | PTE_G);
}

static void map_image(const char *start, const char *end, uint64_t flags)
{
	map_range((uintptr_t)start, rv_image_to_phys(start),
		  (uintptr_t)end - (uintptr_t)start, flags | PTE_G);
}

void rv_mmu_init(const struct hal_mem_region *ram, size_t nram,
		 hal_paddr_t (*alloc)(void))
{
	const struct rv_machine *m = &rv_machine;
	size_t i;

	table_alloc = alloc;
	for (i = 0; i < nram; i++) {
		map_dmap(ram[i].base, ram[i].size);
		if (dmap_nram < HAL_MAX_MEM_REGIONS)
			dmap_ram[dmap_nram++] = ram[i];
	}
	map_dmap(m->uart.base, m->uart.size);
	map_dmap(m->plic.base, m->plic.size);
	map_dmap(m->finisher.base, m->finisher.size);
	map_dmap(m->rtc.base, m->rtc.size);
	map_image(_kernel_start, _etext, PTE_R | PTE_X);
	map_image(_etext, _erodata, PTE_R);
	map_image(_erodata, _edata, PTE_R | PTE_W);
	map_image(__ksyms_start, _end, PTE_R);
	rv_kstack_init(kernel_root, alloc);
	kernel_satp = SATP_SV39 | rv_image_to_phys(kernel_root) >> 12;
	sfence_vma_all();
	csr_write(satp, kernel_satp);
	sfence_vma_all();
}

bool rv_is_kernel_memory(uintptr_t va, size_t len)
{
	size_t i;

	if (va + len < va)
		return false;
	if (va >= (uintptr_t)_kernel_start && va + len <= (uintptr_t)_end)
		return true;
	if (bm_kstack_in_area(va))
		return bm_kstack_contains(va, len);
	if (va < DMAP_BASE)
		return false;
	for (i = 0; i < dmap_nram; i++) {
		uint64_t pa = va - DMAP_BASE;

		if (pa >= dmap_ram[i].base &&
		    pa + len <= dmap_ram[i].base + dmap_ram[i].size)
			return true;
	}
	return false;
}

/* ---- Address spaces --------------------------------------------------- */

int hal_as_init(struct hal_as *as, hal_paddr_t root)
{
	uint64_t *r = hal_phys_to_virt(root);

	memcpy(&r[KERNEL_HALF], &kernel_root[KERNEL_HALF],
	       sizeof(uint64_t) * (PT_ENTRIES - KERNEL_HALF));
	as->satp = SATP_SV39 | root >> 12;
	as->cpus = 0;
	as->pend_lo = as->pend_hi = 0;
	as->dying = 0;
	return 0;
}

void rv_as_activate(struct hal_as *as)
{
	struct rv_cpu *c = rv_this_cpu();
	uint64_t bit = 1ull << c->id;

	if (c->as == as)
		return;
	/* Join as's set before loading it, so no flush can miss us. */
	if (as)
		__atomic_fetch_or(&as->cpus, bit, __ATOMIC_SEQ_CST);
	csr_write(satp, as ? as->satp : kernel_satp);
	sfence_vma_all();
	if (c->as)
		__atomic_fetch_and(&c->as->cpus, ~bit, __ATOMIC_SEQ_CST);
	c->as = as;
}

/* c->as stays valid while loaded: hal_as_destroy waits for that. */
void rv_as_drop_request(void)
{
	struct rv_cpu *c = rv_this_cpu();

	if (c->as && __atomic_load_n(&c->as->dying, __ATOMIC_ACQUIRE))
		rv_as_activate(NULL);
}

/*
 * Unloads as from every CPU: marks it dying and kicks the CPUs that have
 * it loaded, then waits until none has (serving such requests itself
 * meanwhile, so two CPUs destroying each other's spaces cannot deadlock).
 * Then clears the kernel half so that the core gets its root back as it
 * made it.
 */
void hal_as_destroy(struct hal_as *as)
{
	struct rv_cpu *self = rv_this_cpu();
	uint64_t others;
	unsigned i;

	__atomic_store_n(&as->dying, 1, __ATOMIC_SEQ_CST);
	if (self->as == as)
		rv_as_activate(NULL);
	others = __atomic_load_n(&as->cpus, __ATOMIC_SEQ_CST);
	for (i = 0; i < rv_ncpus; i++) {
		if (others & (1ull << i))
			rv_sbi_send_ipi(1, rv_cpus[i].hartid);
	}
	while (__atomic_load_n(&as->cpus, __ATOMIC_ACQUIRE)) {
		rv_as_drop_request();
		hal_cpu_relax();
	}
	memset((uint64_t *)hal_phys_to_virt((as->satp & ((1ull << 44) - 1))
					    << 12) + KERNEL_HALF,
	       0, sizeof(uint64_t) * (PT_ENTRIES - KERNEL_HALF));
	as->satp = 0;
}

/* ---- TLB -------------------------------------------------------------- */

static void flush_local(uintptr_t va, size_t len)
{
	size_t pages = (len + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
	size_t i;

	if (pages > FLUSH_ALL_PAGES) {
		sfence_vma_all();
		return;
	}
	for (i = 0; i < pages; i++)
		sfence_vma_addr(va + i * HAL_PAGE_SIZE);
}

/*
 * Flushes [va, va+len) on this CPU at once if it has as loaded, and
 * records the range for the other CPUs, which hal_tlb_flush reaches with
 * one remote fence for the whole batch. The core serialises the calls for
 * one as, so the pending range needs no lock.
 */
static void flush(struct hal_as *as, uintptr_t va, size_t len)
{
	struct rv_cpu *self = rv_this_cpu();
	uint64_t cpus = __atomic_load_n(&as->cpus, __ATOMIC_ACQUIRE);
	uintptr_t end = va + len;

	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* PTE writes first */
	if (cpus & (1ull << self->id))
		flush_local(va, len);
	if (as->pend_lo == as->pend_hi) {
		as->pend_lo = va;
		as->pend_hi = end;
	} else {
		as->pend_lo = va < as->pend_lo ? va : as->pend_lo;
		as->pend_hi = end > as->pend_hi ? end : as->pend_hi;
	}
}

void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot)
{
	(void)pa;
	(void)prot;
	flush(as, va & ~(HAL_PAGE_SIZE - 1), HAL_PAGE_SIZE);
}

void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len)
{
	flush(as, va, len);
}

/* SBI's remote fence returns once the other harts have fenced: this is
 * synchronous. A CPU that loads as later fences everything anyway. */
void hal_tlb_flush(struct hal_as *as)
{
	struct rv_cpu *self = rv_this_cpu();
	uint64_t cpus = __atomic_load_n(&as->cpus, __ATOMIC_ACQUIRE);
	uintptr_t lo = as->pend_lo, len = as->pend_hi - as->pend_lo;
	unsigned i;

	if (len == 0)
		return;
	if (len / HAL_PAGE_SIZE > FLUSH_ALL_PAGES) {
		lo = 0;
		len = (uintptr_t)-1; /* SBI: the whole address space */
	}
	for (i = 0; i < rv_ncpus; i++) {
		if (i != self->id && (cpus & (1ull << i)))
			rv_sbi_remote_sfence_vma(1, rv_cpus[i].hartid, lo, len);
	}
	as->pend_lo = as->pend_hi = 0;
}
