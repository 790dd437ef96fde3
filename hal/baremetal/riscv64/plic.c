/*
 * The platform-level interrupt controller (riscv,plic0). Every source is
 * routed to the S-mode context of the boot hart only (console input is the
 * one device so far); each hart's S-mode context gets threshold 0 so that
 * any enabled source of priority >= 1 interrupts it.
 */
#include "riscv.h"

#define PLIC_PRIORITY(irq) (4 * (irq))
#define PLIC_ENABLE(ctx) (0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (0x200004 + 0x1000 * (ctx))

static volatile uint32_t *plic_reg(uint64_t off)
{
	return hal_phys_to_virt(rv_machine.plic.base + off);
}

static bool plic_has(uint64_t off)
{
	return rv_machine.plic.size && off + 4 <= rv_machine.plic.size;
}

static bool irq_valid(unsigned irq)
{
	return irq > 0 && (rv_machine.plic_ndev == 0 ||
			   irq <= rv_machine.plic_ndev);
}

void rv_plic_init(void)
{
	unsigned ctx = rv_cpus[0].plic_context;
	unsigned w;

	/* Nothing is enabled for the boot hart until a line is unmasked. */
	for (w = 0; w < 32; w++) {
		if (plic_has(PLIC_ENABLE(ctx) + 4 * w))
			*plic_reg(PLIC_ENABLE(ctx) + 4 * w) = 0;
	}
}

void rv_plic_cpu_init(void)
{
	unsigned ctx = rv_this_cpu()->plic_context;

	if (plic_has(PLIC_THRESHOLD(ctx)))
		*plic_reg(PLIC_THRESHOLD(ctx)) = 0;
}

void rv_plic_enable(unsigned irq, bool on)
{
	unsigned ctx = rv_cpus[0].plic_context;
	uint64_t en = PLIC_ENABLE(ctx) + 4 * (irq / 32);

	if (!irq_valid(irq) || !plic_has(en) || !plic_has(PLIC_PRIORITY(irq)))
		return;
	*plic_reg(PLIC_PRIORITY(irq)) = on ? 1 : 0;
	if (on)
		*plic_reg(en) |= 1u << (irq % 32);
	else
		*plic_reg(en) &= ~(1u << (irq % 32));
}

void rv_plic_dispatch(void)
{
	unsigned ctx = rv_this_cpu()->plic_context;
	uint32_t irq;

	if (!plic_has(PLIC_CLAIM(ctx)))
		return;
	while ((irq = *plic_reg(PLIC_CLAIM(ctx))) != 0) {
		if (irq == rv_machine.uart_irq)
			rv_console_irq();
		*plic_reg(PLIC_CLAIM(ctx)) = irq;
	}
}
