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

#endif
