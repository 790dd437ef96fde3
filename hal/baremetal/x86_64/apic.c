/*
 * Interrupt controllers: the local APIC of each CPU (timer, EOI, IPIs to
 * itself and to other CPUs: fixed, NMI, INIT and start-up), the I/O APIC
 * (routes ISA interrupts such as the UART's, to the boot CPU) and the
 * legacy 8259 PICs, which are remapped away from the exception vectors
 * and masked for good. The register blocks are reached through the direct
 * map, which covers the first 4 GiB (boot.c maps the APIC pages
 * uncached); every CPU sees its own local APIC at the same address.
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
#define ICR_NMI (4u << 8)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_PENDING (1u << 12) /* delivery status: not yet accepted */
#define ICR_ASSERT (1u << 14)
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

/* Enables the calling CPU's local APIC: no task priority, LINT0 masked,
 * LINT1 as NMI, the timer one-shot and stopped. */
void x86_lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER); /* one-shot */
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
}

void x86_apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	unsigned pins, pin;

	legacy_pic_disable();
	lapic = mmio_va(base & ~0xffful);
	ioapic = mmio_va(IOAPIC_PHYS);
	x86_lapic_init();
	bsp_apic_id = x86_apic_id();

	pins = ((ioapic_read(IOAPIC_VER) >> 16) & 0xff) + 1;
	for (pin = 0; pin < pins; pin++)
		x86_ioapic_route(pin, 0, true);
}

void x86_apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint8_t x86_apic_id(void)
{
	return (uint8_t)(lapic_read(LAPIC_ID) >> 24);
}

/* Waits until the local APIC accepted the last IPI. */
static void icr_wait(void)
{
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		__asm__ volatile("pause");
}

/* Sends command (a vector and a delivery mode) to apic_id, or to this CPU
 * with ICR_SELF. Interrupts off across the ICR pair, so that a handler
 * sending its own IPI cannot slip between the two writes. */
static void icr_send(uint8_t apic_id, uint32_t command)
{
	unsigned long irq = hal_irq_save();

	icr_wait();
	lapic_write(LAPIC_ICR_HI, (uint32_t)apic_id << 24);
	lapic_write(LAPIC_ICR_LO, command);
	icr_wait();
	hal_irq_restore(irq);
}

void x86_apic_self_ipi(unsigned vector)
{
	icr_send(0, vector | ICR_SELF);
}

void x86_apic_send_ipi(uint8_t apic_id, unsigned vector)
{
	icr_send(apic_id, vector);
}

void x86_apic_send_nmi(uint8_t apic_id)
{
	icr_send(apic_id, ICR_NMI | ICR_ASSERT);
}

void x86_apic_send_init(uint8_t apic_id)
{
	icr_send(apic_id, ICR_INIT | ICR_ASSERT);
}

void x86_apic_send_startup(uint8_t apic_id, uint64_t start_pa)
{
	icr_send(apic_id, ICR_STARTUP | ICR_ASSERT |
				  (uint32_t)(start_pa >> 12));
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
