/*
 * Per-CPU setup, run by every CPU (the boot CPU in x86_boot_main, the
 * others in x86_ap_main): the GDT (kernel and user segments, the TSS with
 * the CPU's own IST stacks), the IDT pointing at entry.S's stubs (built
 * once, shared), the control registers (SSE for user code, alignment
 * checks, SMEP/SMAP where the CPU has them), the per-CPU block in GS; and
 * the kernel-context primitives that depend on the stack layout
 * (hal_kctx_init) and the interrupt state. Starting and kicking CPUs:
 * smp.c.
 */
#include "x86.h"

#include <stddef.h>

#include "../common/bm.h"

_Static_assert(offsetof(struct x86_cpu, self) == PC_SELF, "PC_SELF");
_Static_assert(offsetof(struct x86_cpu, kernel_rsp) == PC_KERNEL_RSP, "rsp");
_Static_assert(offsetof(struct x86_cpu, user_rsp) == PC_USER_RSP, "ursp");
_Static_assert(offsetof(struct x86_cpu, uctx) == PC_UCTX, "PC_UCTX");
_Static_assert(offsetof(struct x86_cpu, info) == PC_INFO, "PC_INFO");
_Static_assert(offsetof(struct x86_cpu, id) == PC_ID, "PC_ID");
_Static_assert(offsetof(struct x86_cpu, tss) == PC_TSS, "PC_TSS");
_Static_assert(offsetof(struct x86_tss, rsp[0]) == TSS_RSP0, "TSS_RSP0");
_Static_assert(sizeof(struct x86_frame) == 22 * 8, "frame size");

#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

#define CR0_MP (1ul << 1)
#define CR0_EM (1ul << 2)
#define CR0_TS (1ul << 3)
#define CR0_NE (1ul << 5)
#define CR0_AM (1ul << 18)
#define CR4_OSFXSR (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)

/* IST slots (1-based in the gate) and their stacks. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3

struct x86_cpu x86_cpus[HAL_MAX_CPUS];

static uint64_t idt[IDT_VECTORS * 2] __attribute__((aligned(16)));
static uint8_t ist_stacks[HAL_MAX_CPUS][3][IST_STACK_SIZE]
	__attribute__((aligned(16)));

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static uint64_t segment(uint64_t access, uint64_t flags)
{
	return 0xffff | (access << 40) | (0xful << 48) | (flags << 52);
}

/* Fills the GDT of c; the TSS descriptor takes two slots. */
static void gdt_fill(struct x86_cpu *c)
{
	uint64_t base = (uintptr_t)&c->tss;
	uint64_t limit = sizeof(c->tss) - 1;

	c->gdt[0] = 0;
	c->gdt[KERNEL_CS >> 3] = segment(0x9a, 0xa); /* 64-bit code, DPL 0 */
	c->gdt[KERNEL_DS >> 3] = segment(0x92, 0xc);
	c->gdt[USER_BASE >> 3] = segment(0xfa, 0xc); /* 32-bit code, DPL 3 */
	c->gdt[USER_DS >> 3] = segment(0xf2, 0xc);
	c->gdt[USER_CS >> 3] = segment(0xfa, 0xa);
	c->gdt[TSS_SEL >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			       (0x89ul << 40) | ((limit >> 16) << 48) |
			       ((base >> 24 & 0xff) << 56);
	c->gdt[(TSS_SEL >> 3) + 1] = base >> 32;
}

/* Loads c's GDT, reloads every segment register and the task register. */
static void gdt_load(struct x86_cpu *c)
{
	struct desc_ptr p = { sizeof(c->gdt) - 1, (uintptr_t)c->gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "mov %3, %%fs\n\t"
			 "mov %3, %%gs\n\t"
			 "ltr %w4"
			 :
			 : "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(0),
			   "r"(TSS_SEL)
			 : "rax", "memory");
}

static void idt_set_at(unsigned vec, uintptr_t off, unsigned dpl,
		       unsigned ist)
{
	idt[2 * vec] = (off & 0xffff) | ((uint64_t)KERNEL_CS << 16) |
		       ((uint64_t)ist << 32) |
		       ((uint64_t)(0x8e | dpl << 5) << 40) |
		       ((off >> 16 & 0xffff) << 48);
	idt[2 * vec + 1] = off >> 32;
}

static void idt_set(unsigned vec, unsigned dpl, unsigned ist)
{
	idt_set_at(vec, (uintptr_t)x86_trap_stubs + TRAP_STUB_SIZE * vec, dpl,
		   ist);
}

/* The IDT is shared by all CPUs: built once. */
static void idt_build(void)
{
	unsigned v;

	for (v = 0; v < IDT_VECTORS; v++)
		idt_set(v, 0, 0);
	idt_set(3, 3, 0); /* int3 from user mode is a breakpoint, not #GP */
	idt_set(4, 3, 0);
	idt_set_at(2, (uintptr_t)x86_nmi_entry, 0, IST_NMI); /* shootdowns */
	idt_set(8, 0, IST_DOUBLE_FAULT);
	idt_set(18, 0, IST_MACHINE_CHECK);
}

static void idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

static uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* SSE for user code (fxsave/fxrstor, #XM), alignment checks for user
 * code, write protection everywhere; SMEP/SMAP when present, since the
 * kernel never executes or touches user pages through user addresses. */
static void control_regs_init(void)
{
	uint32_t a, b, c, d;
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	cr0 = (cr0 | CR0_MP | CR0_NE | CR0_AM) & ~(CR0_EM | CR0_TS);
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(0, &a, &b, &c, &d);
	if (a >= 7) {
		cpuid(7, &a, &b, &c, &d);
		if (b & (1u << 7))
			cr4 |= CR4_SMEP;
		if (b & (1u << 20))
			cr4 |= CR4_SMAP;
	}
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));
	__asm__ volatile("fninit");
}

void x86_cpu_init(unsigned id)
{
	struct x86_cpu *c = &x86_cpus[id];

	c->self = c;
	c->id = id;
	c->tss.iomap_base = sizeof(c->tss); /* no I/O bitmap: ring 3 has none */
	c->tss.ist[IST_DOUBLE_FAULT - 1] =
		(uintptr_t)ist_stacks[id][0] + IST_STACK_SIZE;
	c->tss.ist[IST_NMI - 1] = (uintptr_t)ist_stacks[id][1] + IST_STACK_SIZE;
	c->tss.ist[IST_MACHINE_CHECK - 1] =
		(uintptr_t)ist_stacks[id][2] + IST_STACK_SIZE;
	gdt_fill(c);
	gdt_load(c);
	/* After the selector loads: they may clear the base. */
	wrmsr(MSR_GS_BASE, (uintptr_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	if (id == 0)
		idt_build();
	idt_load();
	control_regs_init();
}

/* ---- CPUs ---------------------------------------------------------- */

void hal_cpu_idle(void)
{
	/* sti's one-instruction shadow makes "sti; hlt" atomic: an interrupt
	 * pending before it wakes the hlt instead of being lost. */
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

void hal_cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* ---- Interrupt state ----------------------------------------------- */

#define RFLAGS_IF 0x200ul

unsigned long hal_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags & RFLAGS_IF;
}

void hal_irq_restore(unsigned long state)
{
	if (state & RFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

void hal_irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

bool hal_irq_enabled(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return flags & RFLAGS_IF;
}

/* ---- Kernel contexts ----------------------------------------------- */

/*
 * The stack hal_kctx_switch expects: r15 r14 r13 r12 rbx rbp, then the
 * return address. r12/r13 carry entry and arg to x86_kctx_trampoline,
 * rbp = 0 ends backtraces, and the slot above the return address keeps
 * the trampoline's call 16-byte aligned as the ABI wants.
 */
void hal_kctx_init(struct hal_kctx *ctx, void *stack, size_t stack_size,
		   void (*entry)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack + stack_size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 16);

	*--sp = (uintptr_t)x86_kctx_trampoline;
	*--sp = 0;                /* rbp */
	*--sp = 0;                /* rbx */
	*--sp = (uintptr_t)entry; /* r12 */
	*--sp = (uintptr_t)arg;   /* r13 */
	*--sp = 0;                /* r14 */
	*--sp = 0;                /* r15 */
	ctx->rsp = (uintptr_t)sp;
}
