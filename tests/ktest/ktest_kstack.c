/*
 * In-kernel tests of kernel stacks with guard pages: a task runs on a
 * stack the HAL mapped (hal_kstack_map) and the core recognises an address
 * in the guard below it, and nothing else, as an overflow of that task;
 * hal_kstack_map maps exactly the frames it was given, keeps stacks a
 * guard apart, fails cleanly (NULL) when its area is full and takes
 * slots back on unmap. The overflow itself, which ends the machine, is the
 * harden suite's `selftest=kstack` case.
 *
 * Core-side test: it may use the HAL and the scheduler's internals.
 */
#include <hal/hal.h>
#include <keel/heap.h>
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/task.h>

#include "mm/frame.h"
#include "sched/sched.h"

#define STACK_ORDER 2 /* HAL_KSTACK_SIZE in pages, as log2 */

KTEST(kstack, task_runs_on_its_mapped_stack)
{
	struct task *self = task_current();
	uintptr_t bottom = (uintptr_t)self->stack;
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);

	KT_ASSERT(t, self->stack != NULL);
	KT_EXPECT(t, IS_ALIGNED(bottom, PAGE_SIZE));
	KT_EXPECT(t, here > bottom && here < bottom + HAL_KSTACK_SIZE);
	/* Its own mapping, not the direct map's. */
	KT_EXPECT(t, hal_phys_to_virt(self->stack_pa) != self->stack);
}

KTEST(kstack, only_the_guard_is_an_overflow)
{
	struct task *self = task_current();
	uintptr_t bottom = (uintptr_t)self->stack;

	KT_EXPECT(t, sched_stack_guard_owner(bottom - 1) == self);
	KT_EXPECT(t, sched_stack_guard_owner(bottom - HAL_KSTACK_GUARD) ==
			     self);
	KT_EXPECT(t, sched_stack_guard_owner(bottom - HAL_KSTACK_GUARD - 1) ==
			     NULL);
	KT_EXPECT(t, sched_stack_guard_owner(bottom) == NULL);
	KT_EXPECT(t, sched_stack_guard_owner(bottom + HAL_KSTACK_SIZE - 8) ==
			     NULL);
	KT_EXPECT(t, sched_stack_guard_owner(0) == NULL);
}

KTEST(kstack, map_shows_the_given_frames)
{
	hal_paddr_t pa = frame_alloc(STACK_ORDER);
	uint8_t *direct, *stack;

	KT_ASSERT(t, pa != 0);
	direct = hal_phys_to_virt(pa);
	memset(direct, 0x5a, HAL_KSTACK_SIZE);
	stack = hal_kstack_map(pa);
	KT_ASSERT(t, stack != NULL);
	KT_EXPECT(t, IS_ALIGNED((uintptr_t)stack, PAGE_SIZE));
	KT_EXPECT_EQ(t, stack[0], 0x5a);
	KT_EXPECT_EQ(t, stack[HAL_KSTACK_SIZE - 1], 0x5a);
	/* Each page is the matching frame. (Only ever written through the
	 * direct map: memcheck does not know the two views alias.) */
	for (unsigned i = 0; i < HAL_KSTACK_SIZE / PAGE_SIZE; i++)
		direct[i * PAGE_SIZE + 7] = (uint8_t)i;
	for (unsigned i = 0; i < HAL_KSTACK_SIZE / PAGE_SIZE; i++)
		KT_EXPECT_EQ(t, stack[i * PAGE_SIZE + 7], i);
	hal_kstack_unmap(stack);
	frame_free(pa);
}

/* Distance between two addresses. */
static uintptr_t gap(const void *a, const void *b)
{
	return a > b ? (uintptr_t)a - (uintptr_t)b : (uintptr_t)b - (uintptr_t)a;
}

KTEST(kstack, stacks_are_a_guard_apart)
{
	hal_paddr_t pa = frame_alloc(STACK_ORDER);
	void *a, *b;

	KT_ASSERT(t, pa != 0);
	a = hal_kstack_map(pa);
	b = hal_kstack_map(pa); /* the same frames twice: allowed */
	KT_EXPECT(t, a && b && a != b);
	if (a && b)
		KT_EXPECT(t, gap(a, b) >= HAL_KSTACK_SIZE + HAL_KSTACK_GUARD);
	if (a)
		hal_kstack_unmap(a);
	if (b)
		hal_kstack_unmap(b);
	frame_free(pa);
}

/* More than any backend's area holds (hosted has the most: 4096). */
#define MANY_STACKS 8192

KTEST(kstack, full_area_returns_null_and_unmap_frees_slots)
{
	hal_paddr_t pa = frame_alloc(STACK_ORDER);
	void **stacks = kmalloc(MANY_STACKS * sizeof(*stacks));
	unsigned n = 0;
	void *again;

	KT_ASSERT(t, pa != 0 && stacks != NULL);
	/* One set of frames mapped into every free slot. */
	while (n < MANY_STACKS && (stacks[n] = hal_kstack_map(pa)))
		n++;
	KT_EXPECT(t, n > 0);
	KT_EXPECT(t, n < MANY_STACKS); /* it ran out, and said so */
	KT_EXPECT(t, hal_kstack_map(pa) == NULL);
	if (n > 0) {
		hal_kstack_unmap(stacks[n - 1]);
		again = hal_kstack_map(pa); /* the slot is free again */
		KT_EXPECT(t, again != NULL);
		stacks[n - 1] = again;
		if (!again)
			n--;
	}
	while (n > 0)
		hal_kstack_unmap(stacks[--n]);
	/* Spawning works again once there is room. */
	again = hal_kstack_map(pa);
	KT_EXPECT(t, again != NULL);
	if (again)
		hal_kstack_unmap(again);
	kfree(stacks);
	frame_free(pa);
}
