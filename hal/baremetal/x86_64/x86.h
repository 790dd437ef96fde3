/*
 * Internal interfaces of the bare-metal x86_64 backend: the memory layout,
 * segment selectors, the per-CPU block, the trap frame, privileged
 * instructions as inline functions, and the functions the backend's files
 * call in each other. Never included outside hal/baremetal/x86_64.
 */
#ifndef HAL_X86_64_X86_H
#define HAL_X86_64_X86_H

#ifndef KEEL_CORE
#error "hal-internal header"
#endif

#include <hal/hal.h>

#include "layout.h"

/* ---- Per-CPU block (reached through %gs in kernel mode) ------------- */

/* The 64-bit task-state segment: only rsp0 and the IST stacks matter. */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/*
 * A TLB shootdown request (tlb.c): the sender fills its own, marks it
 * pending on each target and sends an NMI; each target applies it and
 * sets its bit in acked.
 */
struct x86_tlb_request {
	uint64_t root;   /* PML4 the entries belong to; 0: the kernel half */
	uintptr_t va;    /* the range, page aligned */
	size_t len;      /* past TLB_FLUSH_ALL_PAGES pages: everything */
	bool drop;       /* instead: stop using root (load the kernel's) */
	uint64_t acked;  /* CPUs done, one bit each */
};

/* Life of a secondary CPU (x86_cpu.state). */
enum x86_cpu_state {
	X86_CPU_OFF,      /* not started */
	X86_CPU_STARTING, /* INIT-SIPI-SIPI sent, not checked in yet */
	X86_CPU_ONLINE,   /* checked in: runs core_secondary_main */
	X86_CPU_FAILED,   /* never checked in: halts if it ever comes */
};

struct x86_cpu {
	/* Fields used by entry.S: offsets fixed in layout.h (PC_*). */
	struct x86_cpu *self;
	uint64_t kernel_rsp;       /* rsp saved by x86_enter_user */
	uint64_t user_rsp;         /* scratch for the syscall entry */
	struct hal_uctx *uctx;     /* context being run in user mode */
	struct hal_trap_info *info;
	uint64_t id;
	struct x86_tss tss;        /* entry.S writes tss.rsp0 */
	/* C-only fields. */
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	uint8_t apic_id;           /* from the MADT (smp.c) */
	unsigned state;            /* enum x86_cpu_state, atomic */
	/* The PML4 this CPU has in CR3 (x86_root_load); other CPUs read
	 * it to find the targets of a shootdown. */
	uint64_t root;
	uint64_t tlb_pending;      /* CPUs with a request for this one */
	struct x86_tlb_request tlb_req; /* this CPU's, as a sender */
};

extern struct x86_cpu x86_cpus[HAL_MAX_CPUS];
/* CPUs found (hal_boot_info.ncpus), and those running (bit per CPU:
 * the boot CPU, then each AP once it checked in). */
extern unsigned x86_ncpus;
extern uint64_t x86_cpus_online;
/* CPU index by local APIC id; 0xff where no CPU has that id. */
extern uint8_t x86_apic_to_cpu[256];

/* ---- Trap frame (built by entry.S on the kernel stack) --------------- */

/* The general registers in struct hal_uregs's order (which is also
 * Linux's pt_regs order), then what the stub and the CPU push. */
struct x86_frame {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10;
	uint64_t r9, r8, rax, rcx, rdx, rsi, rdi;
	uint64_t vector, error;
	uint64_t rip, cs, eflags, rsp, ss; /* pushed by the CPU */
};

/* ---- Privileged instructions --------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline void invlpg(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

static inline uint32_t mmio_read32(uintptr_t va)
{
	return *(volatile uint32_t *)va;
}

static inline void mmio_write32(uintptr_t va, uint32_t v)
{
	*(volatile uint32_t *)va = v;
}

static inline uint64_t mmio_read64(uintptr_t va)
{
	return *(volatile uint64_t *)va;
}

static inline void mmio_write64(uintptr_t va, uint64_t v)
{
	*(volatile uint64_t *)va = v;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP_PAGE(x) \
	(((x) + HAL_PAGE_SIZE - 1) & ~(uint64_t)(HAL_PAGE_SIZE - 1))

/* Kernel virtual address of a device register block (direct map). */
static inline uintptr_t mmio_va(uint64_t pa)
{
	return DIRECT_MAP_BASE + pa;
}

/* ---- Cross-file functions ------------------------------------------ */

/* boot.c: physical address of the kernel's PML4; a pointer to read
 * [pa, pa + len) through the direct map, NULL if it is not covered. */
extern uint64_t x86_kernel_pml4;
const void *x86_phys_map(uint64_t pa, uint64_t len);

/* cpu.c: GDT, TSS, IDT, MSRs and control registers of the calling CPU. */
void x86_cpu_init(unsigned id);

/* entry.S: the entry stub of vector v is at x86_trap_stubs + 16 * v. */
extern const char x86_trap_stubs[];
#define TRAP_STUB_SIZE 16
void x86_syscall_entry(void);
void x86_nmi_entry(void);
/* Enters user mode with ctx's registers; "returns" the enum hal_trap
 * x86_user_trap produced once user code traps. */
int x86_enter_user(struct hal_uctx *ctx);

/* probe.c: lands the fault of an armed hal_probe_access (true: f now
 * returns to the probe's caller). */
bool x86_probe_trap(struct x86_frame *f);

/* trap.c: called by entry.S. */
void x86_kernel_trap(struct x86_frame *f);
int x86_user_trap(struct x86_frame *f);
/* Prints the registers of f and a backtrace from its rip/rbp. */
void x86_dump_frame(const char *what, const struct x86_frame *f);
void x86_backtrace_from(uintptr_t rip, uintptr_t rbp);

/* uart.c: COM1. */
void x86_uart_init(void);
void x86_uart_irq(void);

/* apic.c: local APIC, I/O APIC, legacy PIC. x86_apic_init on the boot
 * CPU (all of them), x86_lapic_init on each other CPU (its local APIC). */
void x86_apic_init(void);
void x86_lapic_init(void);
uint8_t x86_apic_id(void);
/* IPIs to the CPU with local APIC id apic_id: a fixed vector, an NMI,
 * INIT, and a start-up IPI at start_pa (page aligned, below 1 MiB). */
void x86_apic_send_ipi(uint8_t apic_id, unsigned vector);
void x86_apic_send_nmi(uint8_t apic_id);
void x86_apic_send_init(uint8_t apic_id);
void x86_apic_send_startup(uint8_t apic_id, uint64_t start_pa);
void x86_apic_eoi(void);
/* The timer in one-shot mode at the bus clock / 16: starts counting down
 * from count (0 stops it); the current count. */
void x86_apic_timer_start(uint32_t count);
uint32_t x86_apic_timer_current(void);
void x86_apic_self_ipi(unsigned vector);
void x86_ioapic_route(unsigned pin, unsigned vector, bool masked);

/* time.c: HPET clock and the deadline timer on top of the APIC. */
void x86_time_init(void);
void x86_timer_irq(void);

/* user.c: syscall MSRs and the FPU (x86_user_cpu_init: on an AP). */
void x86_user_init(void);
void x86_user_cpu_init(void);

/* smp.c: the CPUs from ACPI (boot CPU, after x86_apic_init), the AP
 * trampoline's page table (before the memory map is final: it allocates),
 * and an AP's C entry (from trampoline.S). */
void x86_smp_init(uint64_t rsdp_pa);
void x86_smp_prepare(uint64_t *(*alloc)(uint64_t *pa));
__attribute__((noreturn)) void x86_ap_main(unsigned cpu);

/* tlb.c: TLB shootdowns by NMI. x86_root_load puts root in CR3 and
 * records it for senders (interrupts off); x86_nmi is the NMI handler
 * (entry.S), which must not use %gs. */
void x86_root_load(uint64_t root);
void x86_tlb_shootdown(uint64_t root, uintptr_t va, size_t len, bool drop);
void x86_tlb_flush_local(uintptr_t va, size_t len);
void x86_nmi(void);
#define TLB_FLUSH_ALL_PAGES 64

/* kstack.c: builds the stack area's tables with alloc (zeroed pages) and
 * returns the PDPT for the PML4. */
uint64_t x86_kstack_init(uint64_t *(*alloc)(uint64_t *pa), bool nx);

/* switch.S: where a fresh kernel context starts (see hal_kctx_init). */
void x86_kctx_trampoline(void);

/* The calling CPU's per-CPU block. */
static inline struct x86_cpu *this_cpu(void)
{
	struct x86_cpu *c;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

#endif
