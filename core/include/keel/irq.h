/*
 * Interrupt lines and interrupt state for services that drive devices
 * (console input, later network). Handlers run with interrupts disabled.
 */
#ifndef KEEL_IRQ_H
#define KEEL_IRQ_H

#include <keel/types.h>

#define IRQ_CONSOLE 2 /* same number as HAL_IRQ_CONSOLE */

typedef void (*irq_handler_t)(unsigned line, void *arg);

/* Installs handler for line and unmasks it. -EINVAL for a line the
 * machine lacks, -EBUSY if the line already has a handler. */
int irq_register(unsigned line, irq_handler_t handler, void *arg);
void irq_unregister(unsigned line);

/* Interrupt state, for code that shares data with a handler without a
 * spinlock (rarely right; prefer a spinlock). */
unsigned long irq_save(void);
void irq_restore(unsigned long state);

/* Console access for services (the tty). */
void console_write(const char *buf, size_t len);
size_t console_read(char *buf, size_t len); /* non-blocking */
/* The terminal's size, when the machine knows it: 0, else -ENOTTY. A
 * change raises IRQ_CONSOLE. */
int console_winsize(unsigned *rows, unsigned *cols);

#endif
