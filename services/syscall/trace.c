/*
 * System call tracing, strace-like, from the descriptors SYSCALL_DEFINE
 * records: with the boot option `strace`, every call a handler answers is
 * logged after it returns, its arguments shown by kind,
 *
 *     keel: pid 3 (hello): write(1, 0x401000, 6) = 6
 *     keel: pid 3 (hello): write(5, 0x401000, 6) = -9 EBADF
 *     keel: pid 3 (hello): exit_group(0) = ?
 *
 * (ints and longs signed, unsigned ones in decimal, user addresses in hex,
 * NULL for 0; "?" when the call ended the process).
 */
#include <stdarg.h>

#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <svc/syscall.h>

#include "syscall_internal.h"

static bool tracing;

void syscall_set_tracing(bool on)
{
	__atomic_store_n(&tracing, on, __ATOMIC_RELAXED);
}

bool syscall_tracing(void)
{
	return __atomic_load_n(&tracing, __ATOMIC_RELAXED);
}

/* A line being formatted: n counts what the whole text needs, as
 * ksnprintf does, even past size. */
struct line {
	char *buf;
	size_t size; /* > 0 */
	int n;
};

static void put(struct line *l, const char *fmt, ...) printf_like(2, 3);

static void put(struct line *l, const char *fmt, ...)
{
	size_t at = MIN((size_t)l->n, l->size - 1);
	va_list ap;

	va_start(ap, fmt);
	l->n += kvsnprintf(l->buf + at, l->size - at, fmt, ap);
	va_end(ap);
}

/* Appends argument raw, shown as its kind says. */
static void put_arg(struct line *l, enum sysarg_kind kind, uint64_t raw)
{
	switch (kind) {
	case SYSARG_INT:
		put(l, "%d", (int)raw);
		return;
	case SYSARG_UINT:
		put(l, "%u", (unsigned int)raw);
		return;
	case SYSARG_LONG:
		put(l, "%lld", (long long)raw);
		return;
	case SYSARG_ULONG:
		put(l, "%llu", (unsigned long long)raw);
		return;
	case SYSARG_UPTR:
		if (raw)
			put(l, "0x%llx", (unsigned long long)raw);
		else
			put(l, "NULL");
		return;
	}
	put(l, "?");
}

int syscall_format(char *buf, size_t size, const struct syscall_desc *d,
		   const uint64_t *raw, bool returned, long ret)
{
	struct line l = { buf, size, 0 };

	if (size == 0)
		return 0;
	buf[0] = '\0';
	put(&l, "%s(", d->name);
	for (unsigned i = 0; i < d->nargs; i++) {
		if (i)
			put(&l, ", ");
		put_arg(&l, d->args[i].kind, raw[i]);
	}
	if (!returned)
		put(&l, ") = ?");
	else if (ret < 0 && ret >= -MAX_ERRNO)
		put(&l, ") = %ld %s", ret, errno_name((int)-ret));
	else
		put(&l, ") = %ld", ret);
	return l.n;
}

void syscall_trace(struct thread *t, const struct syscall_desc *d,
		   const uint64_t *raw, long ret)
{
	struct proc *p = t->proc;
	char line[160];

	syscall_format(line, sizeof(line), d, raw,
		       !p->exiting && !t->exiting, ret);
	if (t->tid == p->pid)
		pr_info("keel: pid %d (%s): %s\n", p->pid, p->name, line);
	else
		pr_info("keel: pid %d tid %d (%s): %s\n", p->pid, t->tid,
			p->name, line);
}

/* Tracing starts at boot when the command line says `strace`. */
static int trace_init(void)
{
	const char *value;
	size_t len;

	syscall_set_tracing(boot_option("strace", &value, &len));
	return 0;
}
SERVICE_INIT(strace, SVC_LEVEL_EARLY, trace_init);
