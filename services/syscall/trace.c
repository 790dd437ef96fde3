/*
 * System call tracing, strace-like, from the descriptors SYSCALL_DEFINE
 * records: with the boot option `strace`, every call a handler answers is
 * logged after it returns, by every process on every target, decoded as
 * strace shows it (trace_decode.c: strings, flag names, AT_FDCWD, hex
 * addresses; other values by kind: ints and longs signed, unsigned ones in
 * decimal, user addresses in hex, NULL for 0),
 *
 *     keel: pid 3 (hello): openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
 *     keel: pid 3 (hello): write(1, "hi\n", 3) = 3
 *     keel: pid 3 (hello): write(5, "hi\n", 3) = -1 EBADF
 *     keel: pid 3 (hello): exit_group(0) = ?
 *
 * ("?" when the call ended the process).
 */
#include <stdarg.h>

#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/log.h>
#include <svc/proc.h>
#include <svc/service.h>
#include <svc/syscall.h>

#include "syscall_internal.h"
#include "trace_internal.h"

static bool tracing;

void syscall_set_tracing(bool on)
{
	__atomic_store_n(&tracing, on, __ATOMIC_RELAXED);
}

bool syscall_tracing(void)
{
	return __atomic_load_n(&tracing, __ATOMIC_RELAXED);
}

int syscall_format(char *buf, size_t size, const struct syscall_desc *d,
		   const uint64_t *raw, bool returned, long ret)
{
	struct line l = { buf, size, 0 };

	if (size == 0)
		return 0;
	buf[0] = '\0';
	trace_put(&l, "%s(", d->name);
	for (unsigned i = 0; i < d->nargs; i++) {
		if (i)
			trace_put(&l, ", ");
		trace_put_arg(&l, d, i, raw, returned, ret);
	}
	trace_put(&l, ")");
	trace_put_result(&l, d, returned, ret);
	return l.n;
}

void syscall_trace(struct thread *t, const struct syscall_desc *d,
		   const uint64_t *raw, long ret)
{
	struct proc *p = t->proc;
	char line[384];

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
