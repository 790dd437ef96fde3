/*
 * What trace.c and trace_decode.c share: the line being formatted and the
 * decoding of one argument or result as strace shows it.
 */
#ifndef SERVICES_SYSCALL_TRACE_INTERNAL_H
#define SERVICES_SYSCALL_TRACE_INTERNAL_H

#include <keel/log.h>
#include <keel/types.h>

struct syscall_desc;

/* A line being formatted: n counts what the whole text needs, as
 * ksnprintf does, even past size. */
struct line {
	char *buf;
	size_t size; /* > 0 */
	int n;
};

void trace_put(struct line *l, const char *fmt, ...) printf_like(2, 3);

/* Appends argument i of call d (raw[i]) decoded as strace would: strings
 * for paths (and the data of read/write buffers), AT_FDCWD, O_*, PROT_*
 * and MAP_* names, octal modes, hex addresses; anything else by its kind.
 * ret is the call's result (returned: it has one), for read's data. */
void trace_put_arg(struct line *l, const struct syscall_desc *d, unsigned i,
		   const uint64_t *raw, bool returned, long ret);

/* Appends " = result" as strace: "-1 ENAME" for an error, hex for the
 * calls that return addresses, "?" when the call did not return. */
void trace_put_result(struct line *l, const struct syscall_desc *d,
		      bool returned, long ret);

#endif
