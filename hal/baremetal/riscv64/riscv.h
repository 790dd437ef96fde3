/*
 * Internal interfaces of the riscv64 backend: CSR access, the memory
 * layout, the per-CPU block and the functions its files share. Nothing
 * outside hal/baremetal/riscv64 includes this.
 *
 * Memory layout (Sv39, the kernel half is 0xffffffc000000000 and up):
 *   0xffffffc000000000 + pa   the direct map of RAM and device registers
 *                             (root entries 256..383, 128 GiB at most)
 *   0xffffffff80200000        the kernel image, linked here and loaded by
 *                             QEMU at physical 0x80200000 (root entry 510)
 * The lower half belongs to user address spaces.
 */
#ifndef HAL_RISCV64_RISCV_H
#define HAL_RISCV64_RISCV_H

#include "layout.h"

#ifndef __ASSEMBLER__

#include <hal/hal.h>

/* ---- CSRs ------------------------------------------------------------- */

#define csr_read(csr)                                                   \
	({                                                              \
		unsigned long __v;                                      \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v)::"memory"); \
		__v;                                                    \
	})
#define csr_write(csr, val) \
	__asm__ volatile("csrw " #csr ", %0" ::"rK"(val) : "memory")
#define csr_set(csr, bits) \
	__asm__ volatile("csrs " #csr ", %0" ::"rK"(bits) : "memory")
#define csr_clear(csr, bits) \
	__asm__ volatile("csrc " #csr ", %0" ::"rK"(bits) : "memory")

/* scounteren: which counters U-mode may read. */
#define SCOUNTEREN_TM (1ul << 1) /* time (rdtime) */

static inline void sfence_vma_all(void)
{
	__asm__ volatile("sfence.vma zero, zero" ::: "memory");
}

static inline void sfence_vma_addr(uintptr_t va)
{
	__asm__ volatile("sfence.vma %0, zero" ::"r"(va) : "memory");
}

/* ---- Per-CPU state ---------------------------------------------------- */

/*
 * One per CPU, reached through tp in kernel mode (and through sscratch
 * while the CPU runs user code). The first fields are used by vector.S at
 * the offsets layout.h names; keep them in sync (checked in cpu.c).
 */
struct rv_cpu {
	uint64_t scratch;       /* PCPU_SCRATCH: t0 spill on user traps */
	struct hal_uctx *uctx;  /* PCPU_UCTX: user context being run */
	uint64_t ksp;           /* PCPU_KSP: kernel sp to return to */
	uint64_t stack_top;     /* PCPU_STACK_TOP: boot stack of this CPU */
	uint64_t scratch2;      /* PCPU_SCRATCH2: t1 spill, kernel traps */
	uint64_t fault_stack;   /* PCPU_FAULT_STACK: top of the fault stack */
	unsigned id;            /* index 0 .. ncpus-1 */
	unsigned long hartid;   /* the SBI/DT hart id */
	unsigned plic_context;  /* PLIC S-mode context of this hart */
	struct hal_as *as;      /* loaded user space, NULL: kernel root */
	unsigned kicked;        /* hal_cpu_kick() pending */
	unsigned started;       /* set once the CPU runs kernel code */
} __attribute__((aligned(1 << PCPU_SIZE_LOG2)));

extern struct rv_cpu rv_cpus[HAL_MAX_CPUS];
extern unsigned rv_ncpus;

static inline struct rv_cpu *rv_this_cpu(void)
{
	struct rv_cpu *c;

	__asm__ volatile("mv %0, tp" : "=r"(c));
	return c;
}

/* ---- What the device tree told us (boot.c, fdt.c) --------------------- */

struct rv_mmio {
	hal_paddr_t base;
	uint64_t size;
};

struct rv_machine {
	struct rv_mmio uart;
	unsigned uart_irq;
	unsigned uart_shift;    /* reg-shift: registers are 1 << shift apart */
	struct rv_mmio plic;
	unsigned plic_ndev;
	struct rv_mmio finisher; /* sifive,test0; size 0 if absent */
	struct rv_mmio rtc;      /* google,goldfish-rtc; size 0 if absent */
	uint64_t timebase_hz;
	unsigned nharts;
	unsigned long harts[HAL_MAX_CPUS]; /* boot hart first */
	unsigned plic_ctx[HAL_MAX_CPUS];   /* S-mode context of each hart */
};

extern struct rv_machine rv_machine;

/* ---- Cross-file functions --------------------------------------------- */

/* boot.c: entered from entry.S on the boot hart, running high. */
__attribute__((__noreturn__)) void rv_boot_main(unsigned long hartid,
					    hal_paddr_t dtb);
/* boot.c: entered from entry.S on a secondary hart, running high. */
__attribute__((__noreturn__)) void rv_secondary_main(unsigned cpu);

/* mmu.c */
uint64_t rv_kernel_satp(void);
/* Builds the final kernel page table (direct map of ram[], devices, the
 * kernel image with W^X) taking table pages from alloc; switches to it. */
void rv_mmu_init(const struct hal_mem_region *ram, size_t nram,
		 hal_paddr_t (*alloc)(void));
/* Loads as (NULL: the kernel root) into satp on this CPU if not loaded. */
void rv_as_activate(struct hal_as *as);
/* kstack.c: builds the kernel stack area's tables under root with alloc. */
void rv_kstack_init(uint64_t *root, hal_paddr_t (*alloc)(void));
/* Unloads this CPU's space if it is being destroyed (IPI). */
void rv_as_drop_request(void);
/* Is [va, va+len) kernel memory that can be read without faulting? */
bool rv_is_kernel_memory(uintptr_t va, size_t len);
/* Physical address of a kernel-image symbol. */
hal_paddr_t rv_image_to_phys(const void *p);

/* console.c */
void rv_console_init(void);
/* The UART raised its interrupt: drain it into the input ring. */
void rv_console_irq(void);
void rv_console_set_irq(bool on);

/* plic.c */
void rv_plic_init(void);
void rv_plic_cpu_init(void);
void rv_plic_enable(unsigned irq, bool on);
/* Claims, handles and completes every pending external interrupt. */
void rv_plic_dispatch(void);

/* timer.c */
void rv_timer_init(void);
/* A secondary hart: its timer off, rdtime readable in user mode. */
void rv_timer_cpu_init(void);
/* The timer fired: silence it (the core re-arms). */
void rv_timer_ack(void);

/* sbi.c */
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
struct sbiret {
	long error;
	long value;
};
void rv_sbi_init(void);
void rv_sbi_set_timer(uint64_t stime);
void rv_sbi_send_ipi(unsigned long hart_mask, unsigned long hart_base);
void rv_sbi_remote_sfence_vma(unsigned long hart_mask,
			      unsigned long hart_base, uintptr_t start,
			      size_t size);
long rv_sbi_hart_start(unsigned long hartid, hal_paddr_t entry,
		       unsigned long opaque);
void rv_sbi_putchar(char c);
void rv_sbi_shutdown(bool failure);

/* trap.c: the trap frame vector.S builds for kernel-mode traps. */
struct rv_frame {
	uint64_t x[32]; /* x[0] holds sepc */
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
	uint64_t pad;
	uint64_t link_fp; /* frame record: the interrupted s0 */
	uint64_t link_ra; /* and pc, as if it had called the handler */
};
void rv_kernel_trap(struct rv_frame *f);
/* probe.c: lands the fault of an armed hal_probe_access (true: f now
 * returns to the probe's caller). */
bool rv_probe_trap(struct rv_frame *f);
/* Handles interrupt scause (interrupts disabled). */
void rv_interrupt(uint64_t scause);

/* vector.S */
void rv_trap_vector(void);
/* What ended a stay in user mode (returned in a0/a1). */
struct rv_trap {
	uint64_t scause;
	uint64_t stval;
};
/* Runs ctx in user mode until a trap (interrupts disabled, sstatus and
 * satp prepared by hal_user_run); ctx then holds the user registers. */
struct rv_trap rv_user_enter(struct hal_uctx *ctx);
void rv_fp_load(const struct hal_uctx *ctx);
void rv_fp_save(struct hal_uctx *ctx);

/* switch.S */
void rv_kctx_start(void);
/* A kernel context's entry function returned (a bug): panics. */
__attribute__((__noreturn__)) void rv_kctx_returned(void);

/* entry.S */
void rv_secondary_entry(void);
extern uint64_t rv_boot_root[512];

/* backtrace.c */
/* Prints the frame-pointer chain starting at fp, pc. */
void rv_backtrace_from(uintptr_t pc, uintptr_t fp, uintptr_t ra);

#endif /* !__ASSEMBLER__ */
#endif
