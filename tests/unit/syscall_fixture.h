/*
 * Running a system call in a unit test as the process loop would: the
 * number and six arguments in a fresh user context, dispatched (as p's
 * first thread, or a bare thread of p) through
 * the table for a process the test made, the result read back.
 */
#ifndef TESTS_UNIT_SYSCALL_FIXTURE_H
#define TESTS_UNIT_SYSCALL_FIXTURE_H

#include <stdint.h>

struct proc;

long unit_syscall(struct proc *p, uint64_t nr, const uint64_t args[6]);

#endif
