/*
 * Shared between the files of the process service.
 */
#ifndef SERVICES_PROC_INTERNAL_H
#define SERVICES_PROC_INTERNAL_H

#include <svc/proc.h>

/* The body of a process's task: runs it in user mode until it exits or
 * is killed, then proc_finish()es it. arg is the struct proc. */
void proc_task_main(void *arg);

/* Ends p from its own task: releases its memory, publishes PROC_EXITED
 * and wakes proc_wait. p must not be touched by its task afterwards. */
void proc_finish(struct proc *p);

#endif
