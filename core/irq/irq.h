/*
 * Core-internal view of interrupt dispatch (core/irq/irq.c): what the
 * tests may read about it.
 */
#ifndef CORE_IRQ_IRQ_H
#define CORE_IRQ_IRQ_H

/* How many HAL_IRQ_IPI interrupts cpu has taken since boot (hal_cpu_kick
 * reached it); 0 for a CPU out of range. */
unsigned long irq_ipis_received(unsigned cpu);

/* How many interrupts (every line: timer, IPI, devices) cpu has taken
 * since boot, for /proc/stat's intr; 0 for a CPU out of range. */
unsigned long irq_count(unsigned cpu);

#endif
