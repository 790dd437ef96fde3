/*
 * Fixtures shared by the unit tests that need a process: one process with
 * one thread, its registered state set up as init's programs get it
 * (proc_state_fork with no parent) and its pid in the process table, so
 * that system calls and signal senders find it; and its teardown.
 */
#ifndef TESTS_UNIT_PROC_FIXTURES_H
#define TESTS_UNIT_PROC_FIXTURES_H

#include "unit.h" /* first: check.h before the keel headers */

#include <svc/proc.h>

/* Makes *p (pid, name "test") with the single thread *t (tid pid). */
void fixture_proc(struct proc *p, struct thread *t, int pid);

/* Adds *t to p as a further thread (tid), named as p; and takes it out
 * again (as its exit does). */
void fixture_thread(struct proc *p, struct thread *t, int tid);
void fixture_thread_leave(struct thread *t);

/* Takes p out of the table and releases its state (t goes with it). */
void fixture_proc_done(struct proc *p);

/* fixture_proc_done in its two steps: p exits (its threads gone, its
 * state released, a zombie still in the table), then is reaped. */
void fixture_proc_zombie(struct proc *p);
void fixture_proc_reap(struct proc *p);

#endif
