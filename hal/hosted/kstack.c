/*
 * Kernel stacks of the hosted backend: a reserved PROT_NONE range of the
 * kernel process cut into slots of HAL_KSTACK_GUARD + HAL_KSTACK_SIZE
 * bytes. hal_kstack_map maps the core's physical pages (the memfd) over
 * the top of a free slot, read/write; the guard below stays PROT_NONE, so
 * an overflow is a SIGSEGV there. The kernel-fault handler runs on the
 * vCPU's sigaltstack (power.c, cpu.c), so it still has a stack to report
 * from and core_kernel_fault names the task.
 *
 * The stack is a second mapping of frames the direct map also covers; the
 * core never touches a stack's frames through the direct map while it is
 * one. Slots are taken and given back with atomic bit operations, so this
 * needs no lock.
 */
#include "hosted.h"

#include <err.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#define KSTACK_SLOT (HAL_KSTACK_GUARD + HAL_KSTACK_SIZE)
#define KSTACK_SLOTS 4096 /* 128 MiB of address space */
#define SLOT_WORDS (KSTACK_SLOTS / 64)

static char *area;
static uint64_t slot_used[SLOT_WORDS];
static pthread_once_t area_once = PTHREAD_ONCE_INIT;

static void area_reserve(void)
{
	void *p = mmap(NULL, (size_t)KSTACK_SLOT * KSTACK_SLOTS, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		err(1, "keel: cannot reserve the kernel stack area");
	area = p;
}

/* Claims a free slot; -1 if all are taken. */
static int slot_claim(void)
{
	for (unsigned w = 0; w < SLOT_WORDS; w++) {
		uint64_t used = __atomic_load_n(&slot_used[w], __ATOMIC_RELAXED);

		while (~used) {
			unsigned bit = (unsigned)__builtin_ctzll(~used);
			uint64_t mask = 1ull << bit;

			used = __atomic_fetch_or(&slot_used[w], mask,
						 __ATOMIC_ACQ_REL);
			if (!(used & mask))
				return (int)(w * 64 + bit);
		}
	}
	return -1;
}

static void slot_release(unsigned slot)
{
	__atomic_fetch_and(&slot_used[slot / 64], ~(1ull << (slot % 64)),
			   __ATOMIC_ACQ_REL);
}

void *hal_kstack_map(hal_paddr_t pa)
{
	char *stack;
	int slot;

	pthread_once(&area_once, area_reserve);
	if (pa + HAL_KSTACK_SIZE > hosted_phys_size() ||
	    pa % HAL_PAGE_SIZE != 0)
		abort(); /* a core bug: not a range of its frames */
	slot = slot_claim();
	if (slot < 0)
		return NULL;
	stack = area + (size_t)slot * KSTACK_SLOT + HAL_KSTACK_GUARD;
	if (mmap(stack, HAL_KSTACK_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_FIXED, hosted_phys_fd(),
		 (off_t)pa) == MAP_FAILED) {
		slot_release((unsigned)slot);
		return NULL; /* vm.max_map_count, most likely */
	}
	return stack;
}

void hal_kstack_unmap(void *stack)
{
	char *p = stack;
	size_t off = (size_t)(p - area);

	if (!area || p < area || off % KSTACK_SLOT != HAL_KSTACK_GUARD ||
	    off / KSTACK_SLOT >= KSTACK_SLOTS)
		abort(); /* a core bug: not a stack hal_kstack_map made */
	/* Back to a reservation: the slot is all guard again. */
	if (mmap(p, HAL_KSTACK_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		err(1, "keel: cannot unmap a kernel stack");
	slot_release((unsigned)(off / KSTACK_SLOT));
}
