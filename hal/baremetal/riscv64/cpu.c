/*
 * CPUs of the riscv64 backend: the per-CPU blocks, interrupt enable state
 * (sstatus.SIE), idling, kernel contexts, starting secondary harts through
 * SBI HSM and kicking them with SBI IPIs.
 */
#include <stddef.h>

#include <keel/errno.h>

#include "../common/bm.h"
#include "riscv.h"

struct rv_cpu rv_cpus[HAL_MAX_CPUS];
unsigned rv_ncpus = 1;

extern char rv_boot_stacks[];
extern int32_t rv_starting_cpu; /* entry.S: where a stray hart goes */

_Static_assert(offsetof(struct rv_cpu, scratch) == PCPU_SCRATCH, "pcpu");
_Static_assert(offsetof(struct rv_cpu, uctx) == PCPU_UCTX, "pcpu");
_Static_assert(offsetof(struct rv_cpu, ksp) == PCPU_KSP, "pcpu");
_Static_assert(offsetof(struct rv_cpu, stack_top) == PCPU_STACK_TOP, "pcpu");
_Static_assert(offsetof(struct rv_cpu, scratch2) == PCPU_SCRATCH2, "pcpu");
_Static_assert(offsetof(struct rv_cpu, fault_stack) == PCPU_FAULT_STACK,
	       "pcpu");
_Static_assert(sizeof(struct rv_cpu) == 1 << PCPU_SIZE_LOG2, "pcpu size");
_Static_assert(HAL_MAX_CPUS == 8, "entry.S reserves 8 boot stacks");

unsigned hal_cpu_id(void)
{
	return rv_this_cpu()->id;
}

/*
 * Starts CPU cpu at core_secondary_main(cpu) on its boot stack. Returns
 * -EINVAL for a CPU the machine lacks, -EBUSY if already started, -EIO if
 * the SBI refuses to start the hart.
 */
int hal_cpu_start(unsigned cpu)
{
	struct rv_cpu *c;
	long err;

	if (cpu == 0 || cpu >= rv_ncpus)
		return -EINVAL;
	c = &rv_cpus[cpu];
	if (__atomic_exchange_n(&c->started, 1, __ATOMIC_ACQ_REL))
		return -EBUSY;
	c->stack_top = (uint64_t)(uintptr_t)(rv_boot_stacks +
					     (cpu + 1) * BOOT_STACK_SIZE);
	__atomic_store_n(&rv_starting_cpu, (int32_t)cpu, __ATOMIC_SEQ_CST);
	err = rv_sbi_hart_start(c->hartid,
				rv_image_to_phys((const void *)rv_secondary_entry),
				cpu);
	if (err) {
		bm_printf("riscv64: SBI hart_start(%lu) failed: %ld\n",
			  c->hartid, err);
		__atomic_store_n(&c->started, 0, __ATOMIC_RELEASE);
		return err == SBI_ERR_ALREADY_AVAILABLE ? -EBUSY : -EIO;
	}
	return 0;
}

/* Raises HAL_IRQ_IPI on cpu; the IPI handler (trap.c) consumes kicked. */
void hal_cpu_kick(unsigned cpu)
{
	struct rv_cpu *c;

	if (cpu >= rv_ncpus)
		return;
	c = &rv_cpus[cpu];
	__atomic_store_n(&c->kicked, 1, __ATOMIC_RELEASE);
	if (c == rv_this_cpu()) {
		csr_set(sip, SIE_SSIE);
		return;
	}
	rv_sbi_send_ipi(1, c->hartid);
}

/*
 * Waits for an interrupt without losing one: wfi wakes up for an interrupt
 * that is pending and enabled in sie even while sstatus.SIE is clear, so
 * one that arrives before the wfi is not missed; enabling SIE afterwards
 * takes it.
 */
void hal_cpu_idle(void)
{
	__asm__ volatile("wfi" ::: "memory");
	csr_set(sstatus, SSTATUS_SIE);
	csr_clear(sstatus, SSTATUS_SIE);
}

void hal_cpu_relax(void)
{
	/* Zihintpause "pause" (a fence hint, a no-op where unsupported). */
	__asm__ volatile(".4byte 0x0100000f" ::: "memory");
}

unsigned long hal_irq_save(void)
{
	unsigned long old;

	__asm__ volatile("csrrci %0, sstatus, %1"
			 : "=r"(old)
			 : "i"(SSTATUS_SIE)
			 : "memory");
	return old & SSTATUS_SIE;
}

void hal_irq_restore(unsigned long state)
{
	if (state & SSTATUS_SIE)
		csr_set(sstatus, SSTATUS_SIE);
}

void hal_irq_enable(void)
{
	csr_set(sstatus, SSTATUS_SIE);
}

bool hal_irq_enabled(void)
{
	return csr_read(sstatus) & SSTATUS_SIE;
}

/* The new context starts in rv_kctx_start (switch.S) with entry in s1 and
 * arg in s2, on a 16-byte aligned stack top, with s0 = 0 (end of the
 * frame chain). */
void hal_kctx_init(struct hal_kctx *ctx, void *stack, size_t stack_size,
		   void (*entry)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)stack + stack_size) & ~(uintptr_t)15;

	memset(ctx, 0, sizeof(*ctx));
	ctx->ra = (uint64_t)(uintptr_t)rv_kctx_start;
	ctx->sp = top;
	ctx->s[1] = (uint64_t)(uintptr_t)entry;
	ctx->s[2] = (uint64_t)(uintptr_t)arg;
}

void rv_kctx_returned(void)
{
	core_kernel_fault("kernel task entry returned", 0, 0);
}
