/*
 * Allocation fault injection (<keel/failalloc.h>): the armed count lives
 * in the task (struct task's fail_nth and fail_fired), so only the task
 * that armed it is affected, and each kernel allocation entry point
 * (kmalloc_checked, frame_alloc*) asks failalloc_now() first.
 */
#include "mm/failalloc.h"
#include "mm/frame.h"
#include "mm/heap.h"
#include "sched/sched.h"

#include <keel/failalloc.h>
#include <keel/vm.h>

void failalloc_arm(unsigned n)
{
	struct task *t = task_current();

	if (!t)
		return;
	t->fail_nth = n;
	t->fail_fired = false;
}

unsigned failalloc_pending(void)
{
	struct task *t = task_current();

	return t ? t->fail_nth : 0;
}

bool failalloc_fired(void)
{
	struct task *t = task_current();

	return t && t->fail_fired;
}

bool failalloc_now(void)
{
	struct task *t = task_current();

	if (!t || !t->fail_nth)
		return false;
	if (--t->fail_nth)
		return false;
	t->fail_fired = true;
	return true;
}

void mem_usage(struct mem_usage *u)
{
	u->frames_free = frames_free();
	u->frames_cached = sched_cached_stack_frames();
	heap_usage(&u->heap_objects, &u->heap_bytes);
}
