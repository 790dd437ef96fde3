/*
 * Boot on the x86_64 backend, in C: called by head.S on the boot stack in
 * the higher half. Brings up the console and the CPU tables, builds the
 * direct map of RAM and the device pages (slot DIRECT_MAP_PML4_SLOT of the
 * kernel PML4, 2 MiB pages, NX), reads the PVH start info (memory map,
 * command line, initrd module), drops the identity mapping, starts the
 * interrupt controllers, the clock and the syscall MSRs, and hands the
 * core its boot info.
 *
 * Physical memory the HAL keeps for itself: everything below 1 MiB
 * (firmware, the start info), the kernel image from KERNEL_PHYS to its
 * end, the direct-map page tables allocated right after the image, and
 * the initrd. The CPU count comes from ACPI (smp.c); the secondary CPUs
 * are started later, by the core, through hal_cpu_start.
 */
#include "x86.h"

#include "../common/bm.h"

#define PVH_MAGIC 0x336ec578u
#define E820_RAM 1

#define PTE_P 0x1ul
#define PTE_W 0x2ul
#define PTE_PWT 0x8ul
#define PTE_PCD 0x10ul
#define PTE_PS 0x80ul
#define PTE_NX (1ul << 63)

#define MSR_EFER 0xc0000080
#define EFER_NXE (1ul << 11)

#define GiB (1ul << 30)
#define MiB (1ul << 20)
#define LOW_MEMORY_END MiB
#define DIRECT_MAP_MIN (4 * GiB) /* always: device registers live there */
#define DIRECT_MAP_MAX (512 * GiB) /* one PDPT */
/* 2 MiB pages at and above this address hold the APIC/HPET registers. */
#define DEVICE_WINDOW 0xfe000000ul

/* The PVH start info (Xen's public start_info.h, version 1). */
struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

extern uint64_t boot_pml4[512], boot_pdpt_high[512];
extern char __kernel_start[], _etext[], __data_start[], __ksyms_start[],
	__kernel_end[];

uint64_t x86_kernel_pml4;

static struct hal_boot_info boot_info;
static char cmdline[2048];
/* Page-table pages come from just after the kernel image. */
static uint64_t boot_alloc_next;
static uint64_t direct_map_end;
static uint64_t *direct_pdpt;
static bool direct_map_ready;

static uint64_t kernel_pa(const void *va)
{
	return (uintptr_t)va - KERNEL_VMA;
}

static __attribute__((noreturn)) void boot_fail(const char *why)
{
	bm_printf("keel: boot failed: %s\n", why);
	hal_power_off(1);
}

/* A zeroed page right after the image, reached through the direct map
 * once it exists, before that through the boot mapping of the first GiB
 * at KERNEL_VMA. */
static uint64_t *boot_alloc_page(uint64_t *pa)
{
	uint64_t *page;

	*pa = boot_alloc_next;
	if (*pa + HAL_PAGE_SIZE > GiB)
		boot_fail("kernel image too large");
	boot_alloc_next += HAL_PAGE_SIZE;
	if (direct_map_ready)
		page = hal_phys_to_virt(*pa);
	else
		page = (uint64_t *)(KERNEL_VMA + *pa);
	memset(page, 0, HAL_PAGE_SIZE);
	return page;
}

static bool cpu_has_nx(void)
{
	return rdmsr(MSR_EFER) & EFER_NXE;
}

/* Extends the direct map up to end (a GiB multiple). */
static void direct_map_extend(uint64_t end)
{
	uint64_t nx = cpu_has_nx() ? PTE_NX : 0;

	for (; direct_map_end < end; direct_map_end += GiB) {
		uint64_t pd_pa, *pd = boot_alloc_page(&pd_pa);
		unsigned i;

		for (i = 0; i < 512; i++) {
			uint64_t pa = direct_map_end + ((uint64_t)i << 21);
			uint64_t flags = PTE_P | PTE_W | PTE_PS | nx;

			if (pa >= DEVICE_WINDOW && pa < DIRECT_MAP_MIN)
				flags |= PTE_PCD | PTE_PWT;
			pd[i] = pa | flags;
		}
		direct_pdpt[direct_map_end / GiB] = pd_pa | PTE_P | PTE_W;
	}
}

static void direct_map_init(void)
{
	uint64_t pdpt_pa;

	boot_alloc_next = ALIGN_UP_PAGE(kernel_pa(__kernel_end));
	direct_pdpt = boot_alloc_page(&pdpt_pa);
	direct_map_extend(DIRECT_MAP_MIN);
	boot_pml4[DIRECT_MAP_PML4_SLOT] = pdpt_pa | PTE_P | PTE_W;
	x86_kernel_pml4 = kernel_pa(boot_pml4);
	write_cr3(x86_kernel_pml4);
	direct_map_ready = true;
	/* image_map_protect unmaps what follows the image at KERNEL_VMA. */
	direct_pdpt = hal_phys_to_virt(pdpt_pa);
}

/* Permissions of the image page at va (W^X; see kernel.lds). */
static uint64_t image_page_flags(uintptr_t va, uint64_t nx)
{
	if (va < ALIGN_UP_PAGE((uintptr_t)_etext))
		return PTE_P;
	if (va >= (uintptr_t)__data_start && va < (uintptr_t)__ksyms_start)
		return PTE_P | PTE_W | nx;
	return PTE_P | nx;
}

/*
 * Replaces the boot mapping of the first GiB at KERNEL_VMA (2 MiB pages,
 * all writable and executable) with 4 KiB pages over the image alone, so
 * that kernel text cannot be written and data cannot be executed.
 */
static void image_map_protect(void)
{
	uint64_t nx = cpu_has_nx() ? PTE_NX : 0;
	uint64_t pd_pa, *pd = boot_alloc_page(&pd_pa);
	uintptr_t va;

	for (va = (uintptr_t)__kernel_start; va < (uintptr_t)__kernel_end;
	     va += HAL_PAGE_SIZE) {
		unsigned pdi = (va >> 21) & 511, pti = (va >> 12) & 511;
		uint64_t *pt;

		if (!(pd[pdi] & PTE_P)) {
			uint64_t pt_pa;

			boot_alloc_page(&pt_pa);
			pd[pdi] = pt_pa | PTE_P | PTE_W;
		}
		pt = hal_phys_to_virt(pd[pdi] & ~(HAL_PAGE_SIZE - 1));
		pt[pti] = kernel_pa((void *)va) | image_page_flags(va, nx);
	}
	boot_pdpt_high[(KERNEL_VMA >> 30) & 511] = pd_pa | PTE_P | PTE_W;
	write_cr3(x86_kernel_pml4);
}

/* A core bug: an address the direct map does not cover. The core's
 * panic prints the backtrace. */
static __attribute__((noreturn, noinline)) void
direct_map_bug(const char *what, uintptr_t addr)
{
	bm_printf("keel: %s(0x%lx) outside the direct map\n", what,
		  (unsigned long)addr);
	core_kernel_fault(what, (uintptr_t)__builtin_return_address(0), addr);
}

void *hal_phys_to_virt(hal_paddr_t pa)
{
	if (pa >= direct_map_end)
		direct_map_bug("hal_phys_to_virt", pa);
	return (void *)(DIRECT_MAP_BASE + pa);
}

const void *x86_phys_map(uint64_t pa, uint64_t len)
{
	if (pa >= direct_map_end || len > direct_map_end - pa)
		return NULL;
	return hal_phys_to_virt(pa);
}

hal_paddr_t hal_virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= (uintptr_t)__kernel_start && v < (uintptr_t)__kernel_end)
		return v - KERNEL_VMA; /* a static in the kernel image */
	if (v < DIRECT_MAP_BASE || v - DIRECT_MAP_BASE >= direct_map_end)
		direct_map_bug("hal_virt_to_phys", v);
	return v - DIRECT_MAP_BASE;
}

/* ---- The memory map ------------------------------------------------ */

static void region_add(struct hal_boot_info *bi, uint64_t base, uint64_t end)
{
	if (end <= base)
		return;
	if (bi->nmem == HAL_MAX_MEM_REGIONS) {
		bm_printf("keel: memory region %lx-%lx ignored (table full)\n",
			  (unsigned long)base, (unsigned long)end);
		return;
	}
	bi->mem[bi->nmem].base = base;
	bi->mem[bi->nmem].size = end - base;
	bi->nmem++;
}

/* Removes [base, end) from every region, splitting where needed. */
static void region_carve(struct hal_boot_info *bi, uint64_t base,
			 uint64_t end)
{
	size_t i, n = bi->nmem;

	base &= ~(HAL_PAGE_SIZE - 1);
	end = ALIGN_UP_PAGE(end);
	for (i = 0; i < n; i++) {
		struct hal_mem_region *r = &bi->mem[i];
		uint64_t rb = r->base, re = r->base + r->size;

		if (end <= rb || base >= re)
			continue;
		r->size = 0;
		region_add(bi, rb, base > rb ? base : rb);
		region_add(bi, end < re ? end : re, re);
	}
	/* Drop the emptied entries. */
	for (i = 0, n = 0; i < bi->nmem; i++) {
		if (bi->mem[i].size)
			bi->mem[n++] = bi->mem[i];
	}
	bi->nmem = n;
}

static uint64_t ram_end(const struct hvm_memmap_entry *map, unsigned n)
{
	uint64_t end = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (map[i].type == E820_RAM && map[i].addr + map[i].size > end)
			end = map[i].addr + map[i].size;
	}
	return end;
}

static void memory_init(struct hal_boot_info *bi,
			const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *map;
	uint64_t top;
	unsigned i;

	if (si->version < 1 || si->memmap_paddr == 0 || !si->memmap_entries)
		boot_fail("PVH start info without a memory map");
	map = hal_phys_to_virt(si->memmap_paddr);
	top = (ram_end(map, si->memmap_entries) + GiB - 1) & ~(GiB - 1);
	if (top > DIRECT_MAP_MAX) {
		bm_printf("keel: using the first 512 GiB of RAM only\n");
		top = DIRECT_MAP_MAX;
	}
	direct_map_extend(top);

	for (i = 0; i < si->memmap_entries; i++) {
		uint64_t base = map[i].addr, end = map[i].addr + map[i].size;

		if (map[i].type != E820_RAM)
			continue;
		base = ALIGN_UP_PAGE(base < LOW_MEMORY_END ? LOW_MEMORY_END
							   : base);
		end = (end > top ? top : end) & ~(HAL_PAGE_SIZE - 1);
		region_add(bi, base, end);
	}
	/* The image and the page tables after it (allocation is over). */
	region_carve(bi, KERNEL_PHYS, boot_alloc_next);
	if (bi->initrd_size)
		region_carve(bi, bi->initrd_base,
			     bi->initrd_base + bi->initrd_size);
}

static void modules_init(struct hal_boot_info *bi,
			 const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *mod;

	if (si->nr_modules == 0 || si->modlist_paddr == 0)
		return;
	mod = hal_phys_to_virt(si->modlist_paddr);
	bi->initrd_base = mod->paddr;
	bi->initrd_size = mod->size;
	if (mod->paddr < boot_alloc_next &&
	    mod->paddr + mod->size > KERNEL_PHYS)
		boot_fail("the initrd overlaps the kernel image");
	if (si->nr_modules > 1)
		bm_printf("keel: %u boot modules, using the first as initrd\n",
			  si->nr_modules);
}

static void cmdline_init(struct hal_boot_info *bi,
			 const struct hvm_start_info *si)
{
	const char *src;
	size_t i = 0;

	if (si->cmdline_paddr) {
		src = hal_phys_to_virt(si->cmdline_paddr);
		for (; i < sizeof(cmdline) - 1 && src[i]; i++)
			cmdline[i] = src[i];
		bi->cmdline_cut = src[i] != '\0';
	}
	cmdline[i] = '\0';
	bi->cmdline = cmdline;
}

__attribute__((noreturn)) void x86_boot_main(uint32_t start_info_pa);

void x86_boot_main(uint32_t start_info_pa)
{
	struct hal_boot_info *bi = &boot_info;
	const struct hvm_start_info *si;

	x86_uart_init();
	x86_cpu_init(0);
	direct_map_init();
	image_map_protect();
	boot_pml4[KSTACK_PML4_SLOT] =
		x86_kstack_init(boot_alloc_page, cpu_has_nx()) | PTE_P | PTE_W;
	si = hal_phys_to_virt(start_info_pa);
	if (si->magic != PVH_MAGIC)
		boot_fail("no PVH start info (boot with qemu -kernel)");
	cmdline_init(bi, si);
	modules_init(bi, si);
	x86_smp_prepare(boot_alloc_page);
	memory_init(bi, si);
	/* Nothing runs from low addresses any more. */
	boot_pml4[0] = 0;
	write_cr3(x86_kernel_pml4);

	x86_apic_init();
	x86_smp_init(si->rsdp_paddr);
	x86_time_init();
	x86_user_init();
	bi->ncpus = x86_ncpus;
	core_main(bi);
}
