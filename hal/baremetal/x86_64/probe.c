/*
 * The test and introspection primitives (<hal/probe.h>) on bare-metal
 * x86_64: a probe runs with the space's PML4 in CR3 and interrupts off;
 * x86_kernel_trap hands every kernel exception to x86_probe_catch first
 * (hal/shared/probe_x86_64.c), which lands the probe's own fault. The
 * guards are CR4.SMEP and CR4.SMAP (cpu.c sets them where CPUID has
 * them; the kernel never touches user pages through user addresses, so
 * it needs no stac/clac and RFLAGS.AC stays clear).
 */
#include "x86.h"

#include "../../shared/probe_x86_64.h"

#define CR3_ADDR_MASK 0x000ffffffffff000ul
#define CR4_SMEP (1ul << 20)
#define CR4_SMAP (1ul << 21)
#define RFLAGS_AC (1ul << 18)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)

int hal_probe_access(struct hal_as *as, uintptr_t va, enum hal_probe kind,
		     struct hal_probe_fault *fault)
{
	uint64_t root = as ? as->root : x86_kernel_pml4;
	unsigned long irq = hal_irq_save();
	int r;

	if ((read_cr3() & CR3_ADDR_MASK) != root)
		x86_root_load(root);
	r = x86_probe_run(va, kind, fault);
	hal_irq_restore(irq);
	return r;
}

/* From x86_kernel_trap: whether f is the armed probe's fault (then f is
 * changed to land it). */
bool x86_probe_trap(struct x86_frame *f)
{
	struct hal_probe_fault seen = {
		.ip = f->rip,
		.addr = f->vector == 14 ? read_cr2() : 0,
		.trapno = (unsigned)f->vector,
		.error = f->error,
	};

	if (f->vector == 14) {
		seen.access = x86_pf_access(f->error);
		seen.mapped = f->error & X86_PF_PRESENT;
	}
	return x86_probe_catch(&seen, &f->rip, &f->rsp, &f->rax);
}

unsigned hal_probe_guards(unsigned *available)
{
	uint32_t a, b = 0, c, d;
	uint64_t cr4, rflags;
	unsigned on = 0, have = 0;

	cpuid(0, &a, &b, &c, &d);
	if (a >= 7)
		cpuid(7, &a, &b, &c, &d);
	else
		b = 0;
	have |= b & CPUID7_EBX_SMEP ? HAL_GUARD_NO_USER_EXEC : 0;
	have |= b & CPUID7_EBX_SMAP ? HAL_GUARD_NO_USER_DATA : 0;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("pushfq; popq %0" : "=r"(rflags));
	on |= cr4 & CR4_SMEP ? HAL_GUARD_NO_USER_EXEC : 0;
	/* RFLAGS.AC set would lift SMAP for kernel data accesses. */
	on |= (cr4 & CR4_SMAP) && !(rflags & RFLAGS_AC) ?
		      HAL_GUARD_NO_USER_DATA : 0;
	if (available)
		*available = have;
	return on;
}

void hal_pt_audit(hal_paddr_t root, struct hal_pt_audit *out)
{
	x86_pt_audit(root, out);
}
