/*
 * Kernel log and panic. Messages go to the console with a level prefix and
 * a timestamp; panic names the place, prints a symbolized backtrace and
 * stops the machine.
 */
#ifndef KEEL_LOG_H
#define KEEL_LOG_H

#include <stdarg.h>
#include <keel/types.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void klog(enum log_level level, const char *fmt, ...) printf_like(2, 3);
void kvlog(enum log_level level, const char *fmt, va_list ap);
/* Messages above this level are dropped (boot option loglevel=N). */
void log_set_level(enum log_level level);

#define pr_err(...) klog(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) klog(LOG_WARN, __VA_ARGS__)
#define pr_info(...) klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* Raw console output, no prefix. */
void kprintf(const char *fmt, ...) printf_like(1, 2);
void kputs(const char *s);

/* printf-style formatting into a buffer: %d %i %u %x %X %o %p %s %c %%
 * with l/ll/z/h/hh modifiers, width, '-', '0'. Returns the length the full
 * output would have (like snprintf) and always terminates when size > 0. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) printf_like(3, 4);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

noreturn void kpanic_at(const char *func, const char *file, int line,
			const char *fmt, ...) printf_like(4, 5);
#define panic(...) kpanic_at(__func__, __FILE__, __LINE__, __VA_ARGS__)

/* Internal invariants only: input from user space never asserts. */
#define kassert(cond)                                              \
	do {                                                       \
		if (unlikely(!(cond)))                             \
			panic("assertion failed: %s", #cond);      \
	} while (0)

#endif
