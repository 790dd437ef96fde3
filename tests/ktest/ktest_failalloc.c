/*
 * In-kernel tests of allocation fault injection (<keel/failalloc.h>): the
 * armed Nth allocation of the current task fails, for the heap and for
 * frames, exactly once; other tasks are not affected; the heap's usage
 * counters move with each object and come back. The sweeps over system
 * calls are the user program tests/user/failalloc.c.
 */
#include "mm/frame.h"

#include <keel/failalloc.h>
#include <keel/heap.h>
#include <keel/ktest.h>
#include <keel/task.h>
#include <keel/vm.h>

KTEST(failalloc, nth_kmalloc_fails_once)
{
	void *a, *b, *c;

	failalloc_arm(2);
	KT_EXPECT_EQ(t, failalloc_pending(), 2);
	a = kmalloc(16);
	KT_EXPECT(t, a != NULL);
	KT_EXPECT(t, !failalloc_fired());
	b = kmalloc(16);
	KT_EXPECT(t, b == NULL);
	KT_EXPECT(t, failalloc_fired());
	KT_EXPECT_EQ(t, failalloc_pending(), 0);
	c = kzalloc(5000); /* the count is spent: no more failures */
	KT_EXPECT(t, c != NULL);
	kfree(a);
	kfree(c);
	failalloc_arm(0);
	KT_EXPECT(t, !failalloc_fired());
}

KTEST(failalloc, frames_and_helpers_fail)
{
	size_t before = frames_free();

	failalloc_arm(1);
	KT_EXPECT_EQ(t, frame_alloc(0), 0);
	failalloc_arm(1);
	KT_EXPECT_EQ(t, frame_alloc_zeroed(2), 0);
	failalloc_arm(1);
	KT_EXPECT(t, kstrdup("x") == NULL);
	failalloc_arm(1);
	KT_EXPECT(t, kcalloc(4, 8) == NULL);
	KT_EXPECT(t, failalloc_fired());
	KT_EXPECT_EQ(t, frames_free(), before);
}

/* A large object takes frames for the heap: one allocation, not two. */
KTEST(failalloc, large_object_counts_once)
{
	void *p;

	failalloc_arm(2);
	p = kmalloc(3 * 4096);
	KT_EXPECT(t, p != NULL);
	KT_EXPECT_EQ(t, failalloc_pending(), 1);
	kfree(p);
	failalloc_arm(0);
}

static void other_task(void *arg)
{
	void **out = arg;

	*out = kmalloc(32);
}

KTEST(failalloc, other_tasks_unaffected)
{
	void *theirs = NULL, *mine;
	struct task *task;

	task = task_spawn("failalloc-other", other_task, &theirs);
	KT_ASSERT(t, task != NULL);
	/* Armed while the other task has (most likely) not run yet; join
	 * lets it run and allocate. */
	failalloc_arm(1);
	task_join(task);
	task_put(task);
	KT_EXPECT(t, theirs != NULL);
	kfree(theirs);
	KT_EXPECT_EQ(t, failalloc_pending(), 1);
	mine = kmalloc(32);
	KT_EXPECT(t, mine == NULL);
	KT_EXPECT(t, failalloc_fired());
	failalloc_arm(0);
}

KTEST(failalloc, usage_follows_objects)
{
	struct mem_usage a, b, c;
	void *p;

	mem_usage(&a);
	p = kmalloc(100);
	KT_ASSERT(t, p != NULL);
	mem_usage(&b);
	KT_EXPECT_EQ(t, b.heap_objects, a.heap_objects + 1);
	KT_EXPECT_EQ(t, b.heap_bytes, a.heap_bytes + 128);
	kfree(p);
	mem_usage(&c);
	KT_EXPECT_EQ(t, c.heap_objects, a.heap_objects);
	KT_EXPECT_EQ(t, c.heap_bytes, a.heap_bytes);
}
