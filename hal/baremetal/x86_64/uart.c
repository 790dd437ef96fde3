/*
 * The console: a 16550 UART on COM1 (I/O port 0x3f8). Output is polled and
 * synchronous; input raises IRQ 4, routed through the I/O APIC to
 * VEC_UART, whose handler drains the receiver into a ring buffer and then
 * raises HAL_IRQ_CONSOLE in the core when that line is unmasked.
 */
#include "x86.h"

#include <keel/errno.h>

#define COM1 0x3f8
#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IER_RX 0x01
#define UART_ISA_IRQ 4

/* Received bytes not yet read: a power-of-two ring, written by the IRQ
 * handler and read with interrupts off. */
#define RX_SIZE 1024
static char rx_buf[RX_SIZE];
static unsigned rx_head, rx_tail;
static bool console_irq_unmasked;

void x86_uart_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x80); /* divisor latch: 115200 baud */
	outb(COM1 + UART_DATA, 1);
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, 0x03); /* 8N1 */
	outb(COM1 + UART_FCR, 0x07); /* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (IRQ gate) */
}

/* Routes the receive interrupt; needs the I/O APIC up. */
static void uart_enable_rx_irq(void)
{
	x86_ioapic_route(UART_ISA_IRQ, VEC_UART, false);
	outb(COM1 + UART_IER, IER_RX);
}

static void uart_putc(char c)
{
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
		__asm__ volatile("pause");
	outb(COM1 + UART_DATA, (uint8_t)c);
}

/* Console output lock, once other CPUs run: an owner CPU, so that a
 * fault or interrupt on the CPU that holds it still prints (interleaved)
 * instead of deadlocking. */
static int out_owner = -1;

void hal_console_write(const char *buf, size_t len)
{
	bool locked = false;
	size_t i;

	if (__atomic_load_n(&x86_cpus_online, __ATOMIC_RELAXED) != 1) {
		int me = (int)hal_cpu_id(), expected = -1;

		if (__atomic_load_n(&out_owner, __ATOMIC_RELAXED) != me) {
			while (!__atomic_compare_exchange_n(
				&out_owner, &expected, me, false,
				__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
				expected = -1;
				hal_cpu_relax();
			}
			locked = true;
		}
	}
	for (i = 0; i < len; i++)
		uart_putc(buf[i]);
	if (locked)
		__atomic_store_n(&out_owner, -1, __ATOMIC_RELEASE);
}

/* Moves received bytes into the ring; true if there were any. Call with
 * interrupts off. */
static bool uart_drain(void)
{
	bool got = false;

	while (inb(COM1 + UART_LSR) & LSR_DATA_READY) {
		char c = (char)inb(COM1 + UART_DATA);

		if (rx_head - rx_tail < RX_SIZE) /* else drop: buffer full */
			rx_buf[rx_head++ % RX_SIZE] = c;
		got = true;
	}
	return got;
}

/* The receiver and the ring: the interrupt (on the boot CPU) and a
 * reader on any CPU. Taken with interrupts off, never nested. */
static int rx_lock;

static void rx_lock_take(void)
{
	while (__atomic_exchange_n(&rx_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
}

static void rx_lock_drop(void)
{
	__atomic_store_n(&rx_lock, 0, __ATOMIC_RELEASE);
}

void x86_uart_irq(void)
{
	bool got;

	rx_lock_take();
	got = uart_drain();
	rx_lock_drop();
	if (got && console_irq_unmasked)
		core_irq(HAL_IRQ_CONSOLE);
}

/* A serial line has no size (Linux's serial ttys report 0x0 too). */
int hal_console_winsize(unsigned *rows, unsigned *cols)
{
	return -ENOTTY;
}

size_t hal_console_read(char *buf, size_t len)
{
	unsigned long flags = hal_irq_save();
	size_t n = 0;

	rx_lock_take();
	uart_drain(); /* bytes that came while the line was masked */
	while (n < len && rx_tail != rx_head)
		buf[n++] = rx_buf[rx_tail++ % RX_SIZE];
	rx_lock_drop();
	hal_irq_restore(flags);
	return n;
}

int hal_irq_unmask(unsigned line)
{
	switch (line) {
	case HAL_IRQ_TIMER:
	case HAL_IRQ_IPI:
		return 0;
	case HAL_IRQ_CONSOLE:
		if (!console_irq_unmasked)
			uart_enable_rx_irq();
		console_irq_unmasked = true;
		return 0;
	default:
		return -EINVAL;
	}
}

void hal_irq_mask(unsigned line)
{
	if (line == HAL_IRQ_CONSOLE)
		console_irq_unmasked = false;
}
