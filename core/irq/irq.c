/*
 * Interrupt dispatch: the HAL's core_irq upcall routes the timer to the
 * time code, the IPI to the scheduler and every other line to the handler
 * a service registered. Also the thin irq_save/restore and console
 * wrappers of <keel/irq.h>.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/log.h>
#include <keel/sync.h>

#include "irq/irq.h"
#include "sched/sched.h"
#include "time/time.h"

_Static_assert(IRQ_CONSOLE == HAL_IRQ_CONSOLE, "console line numbers");

struct irq_slot {
	irq_handler_t handler;
	void *arg;
};

static struct spinlock irq_lock = SPINLOCK_INIT("irq");
static struct irq_slot slots[HAL_IRQ_MAX];
static unsigned long ipis_received[HAL_MAX_CPUS];
static unsigned long irqs_taken[HAL_MAX_CPUS]; /* every line */

unsigned long irq_count(unsigned cpu)
{
	if (cpu >= HAL_MAX_CPUS)
		return 0;
	return __atomic_load_n(&irqs_taken[cpu], __ATOMIC_RELAXED);
}

unsigned long irq_ipis_received(unsigned cpu)
{
	if (cpu >= HAL_MAX_CPUS)
		return 0;
	return __atomic_load_n(&ipis_received[cpu], __ATOMIC_ACQUIRE);
}

/* Lines the core keeps for itself. */
static bool line_reserved(unsigned line)
{
	return line == HAL_IRQ_TIMER || line == HAL_IRQ_IPI;
}

/* Forgets line's handler. */
static void slot_clear(unsigned line)
{
	spin_lock(&irq_lock);
	slots[line].handler = NULL;
	slots[line].arg = NULL;
	spin_unlock(&irq_lock);
}

/*
 * Installs handler for line and unmasks it. Returns -EINVAL for a line
 * out of range or one the machine lacks, -EBUSY if the line has a
 * handler already or belongs to the core (timer, IPI).
 */
int irq_register(unsigned line, irq_handler_t handler, void *arg)
{
	int err;

	if (line >= HAL_IRQ_MAX || !handler)
		return -EINVAL;
	if (line_reserved(line))
		return -EBUSY;
	spin_lock(&irq_lock);
	if (slots[line].handler) {
		spin_unlock(&irq_lock);
		return -EBUSY;
	}
	slots[line].handler = handler;
	slots[line].arg = arg;
	spin_unlock(&irq_lock);
	err = hal_irq_unmask(line);
	if (err)
		slot_clear(line);
	return err;
}

/* Masks line and forgets its handler; a no-op for unknown lines. */
void irq_unregister(unsigned line)
{
	if (line >= HAL_IRQ_MAX || line_reserved(line))
		return;
	hal_irq_mask(line);
	slot_clear(line);
}

void core_irq(unsigned line)
{
	struct irq_slot slot = { NULL, NULL };

	__atomic_fetch_add(&irqs_taken[hal_cpu_id()], 1, __ATOMIC_RELAXED);
	if (line == HAL_IRQ_TIMER) {
		time_irq();
		return;
	}
	if (line == HAL_IRQ_IPI) {
		__atomic_fetch_add(&ipis_received[hal_cpu_id()], 1,
				   __ATOMIC_RELEASE);
		sched_ipi();
		return;
	}
	if (line < HAL_IRQ_MAX) {
		spin_lock(&irq_lock);
		slot = slots[line];
		spin_unlock(&irq_lock);
	}
	if (slot.handler)
		slot.handler(line, slot.arg);
	else
		pr_warn("irq: spurious interrupt on line %u", line);
}

unsigned long irq_save(void)
{
	return hal_irq_save();
}

void irq_restore(unsigned long state)
{
	hal_irq_restore(state);
}

void console_write(const char *buf, size_t len)
{
	hal_console_write(buf, len);
}

size_t console_read(char *buf, size_t len)
{
	return hal_console_read(buf, len);
}

int console_winsize(unsigned *rows, unsigned *cols)
{
	return hal_console_winsize(rows, cols);
}
