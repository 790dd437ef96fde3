/*
 * The system call table's internals, for its unit tests.
 */
#ifndef SERVICES_SYSCALL_INTERNAL_H
#define SERVICES_SYSCALL_INTERNAL_H

#include <keel/types.h>

/* Forgets which numbers were reported, so that each is reported again. */
void syscall_reset_reports(void);

/* One more than the highest listed number. */
size_t syscall_table_size(void);

struct proc;
struct thread;
struct syscall_desc;

/* Turns the strace-like log of every call on or off (trace.c). */
void syscall_set_tracing(bool on);
bool syscall_tracing(void);

/*
 * Writes "name(arg, ...) = ret" for call d with raw arguments into buf
 * (size bytes, always terminated when size > 0): each argument decoded
 * as strace shows it (trace_decode.c), an error as "-1 EBADF", "?" for
 * ret when the call did not return (!returned). Returns the length the
 * whole line needs.
 */
int syscall_format(char *buf, size_t size, const struct syscall_desc *d,
		   const uint64_t *raw, bool returned, long ret);

/* Logs call d of thread t as syscall_format shows it, at the default
 * level. */
void syscall_trace(struct thread *t, const struct syscall_desc *d,
		   const uint64_t *raw, long ret);

#endif
