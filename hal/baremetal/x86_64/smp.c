/*
 * Secondary CPUs (APs) of the x86_64 backend: finding them, starting
 * them, kicking them.
 *
 * Finding: at boot, the MADT (acpi.c, from the RSDP the PVH start info
 * names, else the BIOS-area scan) lists the local APIC ids; CPU 0 is the
 * boot CPU, the others follow in table order, up to HAL_MAX_CPUS. A bad
 * or missing table leaves one CPU and a log line.
 *
 * Starting (hal_cpu_start): the real-mode trampoline (trampoline.S) is
 * copied below 1 MiB and the AP gets INIT, then two start-up IPIs
 * (Intel SDM vol. 3, "MP initialization"). It switches to long mode on a
 * page table of its own (the kernel's upper half plus an identity map of
 * the first GiB), jumps high, takes the boot stack of its CPU index (from
 * its APIC id, so even a late AP can never share a stack), and
 * x86_ap_main sets up its GDT/TSS/IST stacks, IDT, control registers,
 * local APIC (timer stopped), syscall MSRs and XSAVE, checks in, and
 * enters core_secondary_main. hal_cpu_start waits for the check-in; an AP
 * that has not checked in after START_TIMEOUT_NS is given up (-EIO) and
 * halts should it arrive later.
 *
 * Per-CPU data: the GS base holds the CPU's struct x86_cpu in kernel mode
 * (hal_cpu_id reads its id); the NMI handler, which cannot trust GS, maps
 * the local APIC id through x86_apic_to_cpu instead.
 */
#include "x86.h"

#include <keel/errno.h>

#include "../common/bm.h"
#include "acpi.h"

_Static_assert(HAL_MAX_CPUS == HAL_X86_MAX_CPUS, "layout.h agrees");
_Static_assert(HAL_MAX_CPUS == ACPI_MAX_CPUS, "acpi.h agrees");
_Static_assert(HAL_MAX_CPUS <= 64, "CPU masks are 64-bit");

#define MSR_EFER 0xc0000080
#define EFER_AP_BITS 0xd01u /* SCE, LME, NXE: what the trampoline sets */
#define PTE_P 0x1ul
#define PTE_W 0x2ul
#define PML4_KERNEL_FIRST 256
#define PML4_ENTRIES 512

#define INIT_DELAY_NS 10000000ul  /* INIT to start-up IPI: 10 ms */
#define SIPI_DELAY_NS 200000ul    /* between the two start-up IPIs */
#define START_TIMEOUT_NS 10000000000ul /* generous: TCG on a loaded host */

extern uint64_t boot_pml4[512], boot_pdpt_low[512];
extern const char x86_trampoline_start[], x86_trampoline_end[];
extern uint32_t x86_trampoline_cr3, x86_trampoline_efer;

unsigned x86_ncpus = 1;
uint64_t x86_cpus_online = 1;
uint8_t x86_apic_to_cpu[256] = { [0 ... 255] = 0xff };
/* Boot stacks of the APs, indexed by CPU (trampoline.S); [0] unused. */
uint8_t x86_ap_stacks[HAL_MAX_CPUS][BOOT_STACK_SIZE]
	__attribute__((aligned(16)));

static uint64_t trampoline_pml4_pa;
static bool trampoline_copied;
static int start_lock;

static const void *acpi_map(uint64_t pa, uint64_t len, void *ctx)
{
	(void)ctx;
	return x86_phys_map(pa, len);
}

void x86_smp_init(uint64_t rsdp_pa)
{
	struct acpi_cpus found;
	const char *why = NULL;
	uint8_t boot_id = x86_apic_id();

	if (!rsdp_pa)
		rsdp_pa = acpi_rsdp_scan(acpi_map, NULL);
	if (acpi_find_cpus(rsdp_pa, boot_id, acpi_map, NULL, &found, &why))
		bm_printf("keel: ACPI: %s: using one CPU\n", why);
	if (found.dropped)
		bm_printf("keel: ACPI: %u more CPUs than the %u supported, "
			  "ignored\n", found.dropped, HAL_MAX_CPUS);
	for (unsigned i = 0; i < found.ncpus; i++) {
		x86_cpus[i].apic_id = found.apic_id[i];
		x86_apic_to_cpu[found.apic_id[i]] = (uint8_t)i;
	}
	x86_cpus[0].state = X86_CPU_ONLINE;
	x86_cpus[0].root = x86_kernel_pml4;
	x86_ncpus = found.ncpus;
}

/* The trampoline's page table: the kernel's PML4 with the boot identity
 * map of the first GiB (head.S) back in slot 0. The upper-half entries
 * never change after boot, so a copy made now stays right. */
void x86_smp_prepare(uint64_t *(*alloc)(uint64_t *pa))
{
	uint64_t *pml4 = alloc(&trampoline_pml4_pa);

	memcpy(pml4 + PML4_KERNEL_FIRST, boot_pml4 + PML4_KERNEL_FIRST,
	       (PML4_ENTRIES - PML4_KERNEL_FIRST) * sizeof(uint64_t));
	pml4[0] = hal_virt_to_phys(boot_pdpt_low) | PTE_P | PTE_W;
}

/* Puts the trampoline at TRAMPOLINE_PA, once: the page belongs to no one
 * after boot (the HAL keeps all memory below 1 MiB; the start info there
 * has been read). */
static void trampoline_install(void)
{
	uint8_t *page = hal_phys_to_virt(TRAMPOLINE_PA);
	size_t size = (size_t)(x86_trampoline_end - x86_trampoline_start);
	uint32_t cr3 = (uint32_t)trampoline_pml4_pa;
	uint32_t efer = (uint32_t)rdmsr(MSR_EFER) & EFER_AP_BITS;

	if (trampoline_copied)
		return;
	memcpy(page, x86_trampoline_start, size);
	memcpy(page + ((const char *)&x86_trampoline_cr3 -
		       x86_trampoline_start),
	       &cr3, sizeof(cr3));
	memcpy(page + ((const char *)&x86_trampoline_efer -
		       x86_trampoline_start),
	       &efer, sizeof(efer));
	trampoline_copied = true;
}

static void delay_ns(uint64_t ns)
{
	uint64_t t0 = hal_clock_ns();

	while (hal_clock_ns() - t0 < ns)
		hal_cpu_relax();
}

static bool cpu_online(const struct x86_cpu *c)
{
	return __atomic_load_n(&c->state, __ATOMIC_ACQUIRE) == X86_CPU_ONLINE;
}

/* INIT, start-up IPI, a second one if the first went unanswered, then
 * the wait for the check-in. True if the AP checked in. */
static bool cpu_wake(struct x86_cpu *c)
{
	uint64_t t0;

	x86_apic_send_init(c->apic_id);
	delay_ns(INIT_DELAY_NS);
	x86_apic_send_startup(c->apic_id, TRAMPOLINE_PA);
	delay_ns(SIPI_DELAY_NS);
	if (!cpu_online(c))
		x86_apic_send_startup(c->apic_id, TRAMPOLINE_PA);
	t0 = hal_clock_ns();
	while (!cpu_online(c)) {
		if (hal_clock_ns() - t0 > START_TIMEOUT_NS)
			return false;
		hal_cpu_relax();
	}
	return true;
}

/*
 * Starts cpu at core_secondary_main(cpu) and returns once it runs there.
 * -EINVAL for a CPU the machine lacks, -EBUSY for one already started
 * (CPU 0 always is), -EIO if it never checked in (then and ever after).
 * Sleeps in no way, but spins up to START_TIMEOUT_NS; interrupts stay as
 * they are. One start at a time (start_lock).
 */
int hal_cpu_start(unsigned cpu)
{
	unsigned expected = X86_CPU_OFF;
	struct x86_cpu *c;
	int err = 0;

	if (cpu >= x86_ncpus)
		return -EINVAL;
	c = &x86_cpus[cpu];
	if (!__atomic_compare_exchange_n(&c->state, &expected,
					 X86_CPU_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return expected == X86_CPU_FAILED ? -EIO : -EBUSY;
	while (__atomic_exchange_n(&start_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
	trampoline_install();
	if (!cpu_wake(c)) {
		expected = X86_CPU_STARTING;
		if (__atomic_compare_exchange_n(&c->state, &expected,
						X86_CPU_FAILED, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE)) {
			bm_printf("keel: cpu%u (APIC id %u) did not start\n",
				  cpu, c->apic_id);
			err = -EIO;
		}
	}
	__atomic_store_n(&start_lock, 0, __ATOMIC_RELEASE);
	return err;
}

void x86_ap_main(unsigned cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];
	unsigned expected = X86_CPU_STARTING;

	x86_cpu_init(cpu);
	x86_lapic_init();
	x86_user_cpu_init();
	c->root = x86_kernel_pml4;
	if (!__atomic_compare_exchange_n(&c->state, &expected, X86_CPU_ONLINE,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		for (;;) /* given up on by hal_cpu_start: stay out */
			__asm__ volatile("cli; hlt");
	}
	/* From now on shootdowns reach this CPU; whatever it cached before
	 * goes with this CR3 load. */
	__atomic_fetch_or(&x86_cpus_online, 1ull << cpu, __ATOMIC_SEQ_CST);
	write_cr3(x86_kernel_pml4);
	core_secondary_main(cpu);
}

unsigned hal_cpu_id(void)
{
	return (unsigned)this_cpu()->id;
}

/* core_irq(HAL_IRQ_IPI) on cpu (trap.c, VEC_IPI); ignored for a CPU that
 * is not running (the core looks at its state when it starts). */
void hal_cpu_kick(unsigned cpu)
{
	if (cpu >= x86_ncpus)
		return;
	if (cpu == hal_cpu_id()) {
		x86_apic_self_ipi(VEC_IPI);
		return;
	}
	if (cpu_online(&x86_cpus[cpu]))
		x86_apic_send_ipi(x86_cpus[cpu].apic_id, VEC_IPI);
}
