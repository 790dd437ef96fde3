/*
 * The clocks the time calls share (services/sys/sys_clock.c): reading a
 * Linux clock id, and the conversions to the user structures.
 */
#ifndef SVC_CLOCK_H
#define SVC_CLOCK_H

#include <keel/types.h>
#include <uapi/time.h>

struct proc;

/* Reads clock clockid (CLOCK_*) for process p into *ns. Returns 0, or
 * -EINVAL for a clock Keel does not have. */
int clock_read_ns(struct proc *p, int clockid, uint64_t *ns);

/* ns as a timespec (seconds and nanoseconds). */
struct linux_timespec clock_ns_to_timespec(uint64_t ns);

#endif
