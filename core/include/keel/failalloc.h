/*
 * Allocation fault injection (issue 11, item 4), as Linux's per-task
 * fail-nth: a task arms a count N, and the Nth kernel allocation made on
 * its behalf afterwards fails as if memory were exhausted: kmalloc,
 * kzalloc, kcalloc and kstrdup return NULL, frame_alloc returns 0
 * (frames the heap takes for itself count once, as the kmalloc that
 * needed them). A test sweeps N over a system call to check that every
 * allocation it makes is followed by a clean failure path: the Linux
 * errno, and everything it took given back (mem_usage before and after).
 * Counting is per task, so other tasks' allocations do not move it.
 */
#ifndef KEEL_FAILALLOC_H
#define KEEL_FAILALLOC_H

#include <keel/types.h>

/* Arms the current task: its nth allocation from now on fails (n >= 1);
 * 0 disarms. */
void failalloc_arm(unsigned n);

/* Allocations the current task may still make before the armed one
 * fails; 0 once it has failed, or if nothing is armed. */
unsigned failalloc_pending(void);

/* Whether the current task's armed failure has happened since it was
 * armed. */
bool failalloc_fired(void);

/* What the kernel's memory holds now: free frames, frames kept in caches
 * for reuse (dead tasks' stacks: how many depends on how many tasks once
 * lived at the same time), and live heap objects and the bytes of their
 * slots. */
struct mem_usage {
	size_t frames_free;
	size_t frames_cached;
	size_t heap_objects;
	size_t heap_bytes;
};
void mem_usage(struct mem_usage *u);

#endif
