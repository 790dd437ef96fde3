/*
 * The console: the ns16550a UART of the device tree. Output is polled
 * (a transmit-holding-register-empty wait per byte) and works from any
 * context; before the UART is known it goes through the SBI legacy
 * console. Input is interrupt driven once the core unmasks
 * HAL_IRQ_CONSOLE: the interrupt drains the receive FIFO into a ring (so
 * the level-triggered line quiets down even if nobody reads yet) and
 * raises core_irq(HAL_IRQ_CONSOLE); hal_console_read takes from the ring,
 * then polls the UART.
 */
#include "riscv.h"

#include <keel/errno.h>

#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5

#define IER_RX_AVAIL 0x01
#define FCR_ENABLE_CLEAR 0x07
#define LCR_8N1 0x03
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

#define RING_SIZE 256

static volatile uint8_t *uart;
static unsigned reg_shift;
static bool irq_on;

/* Console output lock: an owner CPU, so that a fault or interrupt on the
 * CPU that holds it still prints (interleaved) instead of deadlocking. */
static int out_owner = -1;

static struct {
	char buf[RING_SIZE];
	unsigned head, tail; /* free-running; head - tail = bytes held */
} ring;

static uint8_t reg_read(unsigned r)
{
	return uart[r << reg_shift];
}

static void reg_write(unsigned r, uint8_t v)
{
	uart[r << reg_shift] = v;
}

void rv_console_init(void)
{
	const struct rv_machine *m = &rv_machine;

	if (m->uart.size == 0 || m->uart.base >= DMAP_SIZE)
		return;
	reg_shift = m->uart_shift;
	uart = hal_phys_to_virt(m->uart.base);
	reg_write(UART_IER, 0);
	reg_write(UART_LCR, LCR_8N1);
	reg_write(UART_FCR, FCR_ENABLE_CLEAR);
	reg_write(UART_MCR, MCR_DTR_RTS_OUT2);
}

static void put_byte(char c)
{
	if (!uart) {
		rv_sbi_putchar(c);
		return;
	}
	while (!(reg_read(UART_LSR) & LSR_THR_EMPTY))
		;
	reg_write(UART_THR, (uint8_t)c);
}

void hal_console_write(const char *buf, size_t len)
{
	int me = (int)rv_this_cpu()->id, expected = -1;
	bool locked = false;
	size_t i;

	if (__atomic_load_n(&out_owner, __ATOMIC_RELAXED) != me) {
		while (!__atomic_compare_exchange_n(&out_owner, &expected, me,
						    false, __ATOMIC_ACQUIRE,
						    __ATOMIC_RELAXED)) {
			expected = -1;
			hal_cpu_relax();
		}
		locked = true;
	}
	for (i = 0; i < len; i++)
		put_byte(buf[i]);
	if (locked)
		__atomic_store_n(&out_owner, -1, __ATOMIC_RELEASE);
}

/* Moves what the UART holds into the ring (dropping bytes it has no room
 * for). Interrupts disabled. */
static void drain_uart(void)
{
	while (uart && (reg_read(UART_LSR) & LSR_DATA_READY)) {
		char c = (char)reg_read(UART_RBR);

		if (ring.head - ring.tail < RING_SIZE)
			ring.buf[ring.head++ % RING_SIZE] = c;
	}
}

/* A serial line has no size (Linux's serial ttys report 0x0 too). */
int hal_console_winsize(unsigned *rows, unsigned *cols)
{
	return -ENOTTY;
}

size_t hal_console_read(char *buf, size_t len)
{
	unsigned long irq = hal_irq_save();
	size_t n = 0;

	drain_uart();
	while (n < len && ring.tail != ring.head)
		buf[n++] = ring.buf[ring.tail++ % RING_SIZE];
	hal_irq_restore(irq);
	return n;
}

void rv_console_irq(void)
{
	drain_uart();
	if (irq_on && ring.head != ring.tail)
		core_irq(HAL_IRQ_CONSOLE);
}

void rv_console_set_irq(bool on)
{
	unsigned long irq = hal_irq_save();

	irq_on = on;
	if (uart && rv_machine.uart_irq) {
		reg_write(UART_IER, on ? IER_RX_AVAIL : 0);
		rv_plic_enable(rv_machine.uart_irq, on);
	}
	hal_irq_restore(irq);
}
