/*
 * Interrupt controllers: the local APIC (timer, EOI, self-IPI), the I/O
 * APIC (routes ISA interrupts such as the UART's) and the legacy 8259 PICs,
 * which are remapped away from the exception vectors and masked for good.
 * The register blocks are reached through the direct map, which covers the
 * first 4 GiB (boot.c maps the APIC pages uncached).
 */
#include "x86.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ul << 11)

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_ICR_LO 0x300
#define LAPIC_ICR_HI 0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_NMI (4u << 8)
#define SVR_ENABLE (1u << 8)
#define ICR_SELF (1u << 18)
#define TIMER_DIV_16 0x3

#define IOAPIC_PHYS 0xfec00000ul
#define IOAPIC_REDTBL 0x10
#define IOAPIC_VER 0x01

#define PIC1 0x20
#define PIC2 0xa0
#define PIC_VECTOR_BASE 0xe0

static uintptr_t lapic;
static uintptr_t ioapic;
static uint32_t bsp_apic_id;

static uint32_t lapic_read(unsigned reg)
{
	return mmio_read32(lapic + reg);
}

static void lapic_write(unsigned reg, uint32_t v)
{
	mmio_write32(lapic + reg, v);
}

static uint32_t ioapic_read(unsigned reg)
{
	mmio_write32(ioapic, reg);
	return mmio_read32(ioapic + 0x10);
}

static void ioapic_write(unsigned reg, uint32_t v)
{
	mmio_write32(ioapic, reg);
	mmio_write32(ioapic + 0x10, v);
}

/* Moves the 8259s' vectors to PIC_VECTOR_BASE.. and masks every line: the
 * firmware may have left them pointing at exception vectors. */
static void legacy_pic_disable(void)
{
	outb(PIC1, 0x11);
	outb(PIC2, 0x11);
	outb(PIC1 + 1, PIC_VECTOR_BASE);
	outb(PIC2 + 1, PIC_VECTOR_BASE + 8);
	outb(PIC1 + 1, 4);
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1);
	outb(PIC2 + 1, 1);
	outb(PIC1 + 1, 0xff);
	outb(PIC2 + 1, 0xff);
}

void x86_ioapic_route(unsigned pin, unsigned vector, bool masked)
{
	/* Fixed delivery, physical destination, edge, active high. */
	ioapic_write(IOAPIC_REDTBL + 2 * pin + 1, bsp_apic_id << 24);
	ioapic_write(IOAPIC_REDTBL + 2 * pin,
		     vector | (masked ? LVT_MASKED : 0));
}

void x86_apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	unsigned pins, pin;

	legacy_pic_disable();
	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic = mmio_va(base & ~0xffful);
	ioapic = mmio_va(IOAPIC_PHYS);
	bsp_apic_id = lapic_read(LAPIC_ID) >> 24;

	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot */
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);

	pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (pin = 0; pin < pins; pin++)
		x86_ioapic_route(pin, 0, true);
}

void x86_apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void x86_apic_self_ipi(unsigned vector)
{
	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, vector | ICR_SELF);
}

/* Starts the timer counting down from count (0 stops it). */
void x86_apic_timer_start(uint32_t count)
{
	lapic_write(LAPIC_TIMER_INIT, count);
}

uint32_t x86_apic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CUR);
}
