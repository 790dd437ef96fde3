/*
 * The kernel log and panic. Every message is formatted into a buffer on
 * the stack and written to the console with one hal_console_write, so
 * lines from different CPUs or interrupt handlers do not interleave within
 * a line. Nothing here allocates or takes a lock: it must work in
 * interrupt handlers, before the heap exists and while panicking.
 */
#include <stdarg.h>

#include <hal/hal.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/task.h>

/* Longest line klog/kprintf produce; longer output is cut and marked. */
#define LOG_LINE_MAX 1024

/* Exit status the machine reports after a panic. */
#define PANIC_STATUS 99

static enum log_level log_level = LOG_INFO;
static unsigned panicking;

void log_set_level(enum log_level level)
{
	if (level > LOG_DEBUG)
		level = LOG_DEBUG;
	__atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

/* Writes a formatted buffer of the length kvsnprintf reported, marking
 * output that did not fit. */
static void write_formatted(char *buf, int n)
{
	static const char cut[] = "[...]\n";

	if (n < 0)
		return;
	if (n < LOG_LINE_MAX) {
		hal_console_write(buf, (size_t)n);
		return;
	}
	memcpy(buf + LOG_LINE_MAX - sizeof(cut), cut, sizeof(cut));
	hal_console_write(buf, LOG_LINE_MAX - 1);
}

/*
 * Ends the formatted line in buf (length n as kvsnprintf reported it)
 * with a newline unless it has one: appended when there is room, else the
 * line is marked as cut (n becomes LOG_LINE_MAX, so write_formatted puts
 * "[...]\n" at its end). Returns the new length.
 */
static int end_line(char *buf, int n)
{
	if (n > 0 && n < LOG_LINE_MAX && buf[n - 1] == '\n')
		return n;
	if (n >= LOG_LINE_MAX - 1)
		return LOG_LINE_MAX;
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

/* Clamps a prefix length so that more text can still be appended. */
static int clamp_prefix(int n)
{
	return n < LOG_LINE_MAX - 1 ? n : LOG_LINE_MAX - 1;
}

static const char *level_tag(enum log_level level)
{
	switch (level) {
	case LOG_ERR:
		return "ERR ";
	case LOG_WARN:
		return "WARN";
	case LOG_INFO:
		return "INFO";
	default:
		return "DBG ";
	}
}

/*
 * Logs one message as "[seconds.micros] TAG message", adding the newline
 * if fmt lacks one. Messages above the log level are dropped.
 */
void kvlog(enum log_level level, const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	uint64_t now = hal_clock_ns();
	int n;

	if (level > __atomic_load_n(&log_level, __ATOMIC_RELAXED))
		return;
	n = ksnprintf(buf, sizeof(buf), "[%5llu.%06llu] %s ",
		      (unsigned long long)(now / 1000000000ull),
		      (unsigned long long)(now / 1000ull % 1000000ull),
		      level_tag(level));
	n = clamp_prefix(n);
	n += kvsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	write_formatted(buf, end_line(buf, n));
}

void klog(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvlog(level, fmt, ap);
	va_end(ap);
}

void kprintf(const char *fmt, ...)
{
	char buf[LOG_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write_formatted(buf, n);
}

void kputs(const char *s)
{
	hal_console_write(s, kstrlen(s));
}

/*
 * Stops the machine after printing where and why, the current task and a
 * backtrace. A panic while panicking (say, in the backtrace code) just
 * powers off, so it cannot loop.
 */
void kpanic_at(const char *func, const char *file, int line,
	       const char *fmt, ...)
{
	char buf[LOG_LINE_MAX];
	struct task *cur;
	va_list ap;
	int n;

	hal_irq_save();
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_SEQ_CST)) {
		kputs("PANIC while panicking; powering off\n");
		hal_power_off(PANIC_STATUS);
	}
	n = ksnprintf(buf, sizeof(buf), "PANIC in %s (%s:%d): ", func, file,
		      line);
	n = clamp_prefix(n);
	va_start(ap, fmt);
	n += kvsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	va_end(ap);
	write_formatted(buf, end_line(buf, n));
	cur = task_current();
	if (cur)
		kprintf("  on CPU %u, task %u '%s'\n", hal_cpu_id(),
			task_id(cur), task_name(cur));
	hal_backtrace();
	hal_power_off(PANIC_STATUS);
}
