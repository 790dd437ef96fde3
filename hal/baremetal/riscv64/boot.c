/*
 * Boot of the riscv64 backend, in C: entry.S calls rv_boot_main on the
 * boot hart with the boot page table loaded and the kernel running high.
 * It reads the device tree, works out which RAM the core may have (all of
 * /memory minus reserved ranges, the kernel image, the initrd, the DTB and
 * the page tables built here), switches to the final kernel page table,
 * brings up the console, interrupt controller and timer, and calls
 * core_main. Secondary harts come through rv_secondary_main.
 */
#include "../common/bm.h"
#include "devtree.h"
#include "fdt.h"

#include <keel/string.h>

#define AVAIL_MAX 64
#define CMDLINE_MAX 1024

struct rv_machine rv_machine;

extern char _end[];

static struct hal_boot_info boot_info;
static char cmdline[CMDLINE_MAX];
static struct dt_info dt;

/* Free RAM, page aligned; boot allocations come off the lowest range. */
static struct dt_range avail[AVAIL_MAX];
static unsigned navail;

static __attribute__((__noreturn__)) void boot_fail(const char *why)
{
	bm_printf("riscv64: cannot boot: %s\n", why);
	hal_power_off(1);
}

static void avail_add(uint64_t base, uint64_t end)
{
	base = (base + HAL_PAGE_SIZE - 1) & ~(HAL_PAGE_SIZE - 1);
	end &= ~(HAL_PAGE_SIZE - 1);
	if (end > DMAP_SIZE)
		end = DMAP_SIZE; /* beyond the direct map: unusable */
	if (base >= end)
		return;
	if (navail == AVAIL_MAX) {
		bm_printf("riscv64: too many RAM ranges, dropping some\n");
		return;
	}
	avail[navail].base = base;
	avail[navail].size = end - base;
	navail++;
}

/* Removes [base, base + size), rounded out to pages, from avail. */
static void avail_remove(uint64_t base, uint64_t size)
{
	struct dt_range old[AVAIL_MAX];
	uint64_t start = base & ~(HAL_PAGE_SIZE - 1);
	uint64_t end = base + size < base ? UINT64_MAX : base + size;
	unsigned i, nold = navail;

	if (size == 0)
		return;
	memcpy(old, avail, sizeof(old[0]) * nold);
	navail = 0;
	for (i = 0; i < nold; i++) {
		uint64_t rb = old[i].base, re = rb + old[i].size;

		if (re <= start || rb >= end) {
			avail_add(rb, re);
			continue;
		}
		if (rb < start)
			avail_add(rb, start);
		if (re > end)
			avail_add(end, re); /* avail_add rounds end up */
	}
}

static void avail_sort(void)
{
	unsigned i, j;

	for (i = 1; i < navail; i++) {
		struct dt_range r = avail[i];

		for (j = i; j > 0 && avail[j - 1].base > r.base; j--)
			avail[j] = avail[j - 1];
		avail[j] = r;
	}
}

/* A zeroed page for the kernel page table, from the lowest free range. */
static hal_paddr_t boot_alloc(void)
{
	unsigned i;

	for (i = 0; i < navail; i++) {
		hal_paddr_t pa;

		if (avail[i].size < HAL_PAGE_SIZE)
			continue;
		pa = avail[i].base;
		avail[i].base += HAL_PAGE_SIZE;
		avail[i].size -= HAL_PAGE_SIZE;
		memset(hal_phys_to_virt(pa), 0, HAL_PAGE_SIZE);
		return pa;
	}
	boot_fail("out of memory for page tables");
}

static void compute_memory(hal_paddr_t dtb, uint32_t dtb_size)
{
	unsigned i;

	for (i = 0; i < dt.nram; i++)
		avail_add(dt.ram[i].base, dt.ram[i].base + dt.ram[i].size);
	for (i = 0; i < dt.nreserved; i++)
		avail_remove(dt.reserved[i].base, dt.reserved[i].size);
	avail_remove(KERNEL_PHYS, rv_image_to_phys(_end) - KERNEL_PHYS);
	avail_remove(dtb, dtb_size);
	if (dt.initrd_end)
		avail_remove(dt.initrd_start, dt.initrd_end - dt.initrd_start);
	avail_sort();
}

static void fill_boot_info(void)
{
	unsigned i;

	boot_info.cmdline = cmdline;
	for (i = 0; i < navail; i++) {
		if (avail[i].size == 0)
			continue;
		if (boot_info.nmem == HAL_MAX_MEM_REGIONS) {
			bm_printf("riscv64: more than %d RAM regions\n",
				  HAL_MAX_MEM_REGIONS);
			break;
		}
		boot_info.mem[boot_info.nmem].base = avail[i].base;
		boot_info.mem[boot_info.nmem].size = avail[i].size;
		boot_info.nmem++;
	}
	if (dt.initrd_end && dt.initrd_end <= DMAP_SIZE) { /* inside RAM */
		boot_info.initrd_base = dt.initrd_start;
		boot_info.initrd_size = dt.initrd_end - dt.initrd_start;
	}
	boot_info.ncpus = rv_ncpus;
}

static void setup_cpus(void)
{
	static char fault_stacks[HAL_MAX_CPUS][FAULT_STACK_SIZE]
		__attribute__((aligned(16)));
	unsigned i;

	rv_ncpus = rv_machine.nharts;
	for (i = 0; i < rv_ncpus; i++) {
		rv_cpus[i].fault_stack =
			(uint64_t)(uintptr_t)(fault_stacks[i] + FAULT_STACK_SIZE);
		rv_cpus[i].id = i;
		rv_cpus[i].hartid = rv_machine.harts[i];
		rv_cpus[i].plic_context = rv_machine.plic_ctx[i];
	}
	rv_cpus[0].started = 1;
}

/* The DTB through the boot direct map; its size, or 0 if unusable. */
static uint32_t dtb_size(hal_paddr_t dtb)
{
	const uint64_t mapped = (uint64_t)BOOT_DMAP_GIGS << 30;
	uint32_t size;

	if (dtb == 0 || (dtb & 3) || dtb >= mapped - 64)
		return 0;
	size = fdt_total_size(hal_phys_to_virt(dtb));
	if (size > mapped - dtb)
		return 0;
	return size;
}

void rv_boot_main(unsigned long hartid, hal_paddr_t dtb)
{
	struct hal_mem_region ram[DT_MAX_RANGES];
	uint32_t size;
	unsigned i;

	rv_cpus[0].hartid = hartid;
	rv_sbi_init();
	size = dtb_size(dtb);
	if (!size)
		boot_fail("no device tree");
	if (!rv_devtree_parse(hal_phys_to_virt(dtb), size, hartid, &dt))
		boot_fail("bad device tree");
	if (dt.bootargs) /* now: the final page table may not map the DTB */
		boot_info.cmdline_cut = kstrlcpy(cmdline, dt.bootargs,
						 sizeof(cmdline)) >=
					sizeof(cmdline);
	setup_cpus();
	rv_console_init();
	compute_memory(dtb, size);
	for (i = 0; i < dt.nram; i++) {
		ram[i].base = dt.ram[i].base;
		ram[i].size = dt.ram[i].size;
	}
	rv_mmu_init(ram, dt.nram, boot_alloc);
	fill_boot_info();
	rv_plic_init();
	rv_plic_cpu_init();
	rv_timer_init();
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	core_main(&boot_info);
}

void rv_secondary_main(unsigned cpu)
{
	struct rv_cpu *c = rv_this_cpu();

	(void)cpu;
	csr_write(satp, rv_kernel_satp());
	sfence_vma_all();
	rv_plic_cpu_init();
	rv_timer_cpu_init();
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	core_secondary_main(c->id);
}
