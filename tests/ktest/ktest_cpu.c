/*
 * In-kernel tests of the secondary CPUs through the HAL: every CPU the
 * machine offers starts (hal_cpu_start: 0, or -EBUSY if the core started
 * it already) and reaches core_secondary_main, the first CPU the machine
 * lacks and every later one are -EINVAL, and a kick (hal_cpu_kick) to
 * each started CPU arrives there as HAL_IRQ_IPI. Once they run, kernel
 * stacks come and go (a task spawned and joined), which on SMP machines
 * shoots the unmapped stack down on every CPU: that must come back, also
 * when two CPUs shoot at each other with interrupts off, one of them
 * spinning on a lock the other holds.
 *
 * Named so that it runs early: the tests after it run with every CPU up.
 * Core-side test: it may use the HAL and core internals.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/sync.h>
#include <keel/task.h>

#include "irq/irq.h"
#include "mm/frame.h"

/* Generous bounds for a CPU to react, on TCG on a loaded host: only a
 * broken machine gets near them (never a timing assertion). */
#define KICK_WAIT_NS 10000000000ull
#define KICK_REPEAT_NS 1000000ull

#define EXPECT_MSG(t, cond, ...)                                          \
	do {                                                              \
		if (!(cond))                                              \
			ktest_fail_at(t, __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)

/* Starts CPUs 1.. until the first the machine lacks; their count. */
static unsigned start_all(struct ktest_ctx *t)
{
	unsigned cpu;

	for (cpu = 1; cpu < HAL_MAX_CPUS; cpu++) {
		int err = hal_cpu_start(cpu);

		if (err == -EINVAL)
			break;
		EXPECT_MSG(t, err == 0 || err == -EBUSY,
			      "hal_cpu_start(%u) = %d", cpu, err);
	}
	for (unsigned later = cpu; later < HAL_MAX_CPUS + 2; later++)
		EXPECT_MSG(t, hal_cpu_start(later) == -EINVAL,
			      "hal_cpu_start(%u) past the last CPU", later);
	return cpu - 1;
}

/* Kicks cpu until it has taken one more IPI than before (repeating,
 * since a CPU still on its way up may miss the first). */
static bool kick_arrives(unsigned cpu)
{
	unsigned long before = irq_ipis_received(cpu);
	uint64_t start = hal_clock_ns(), last = 0;

	while (irq_ipis_received(cpu) == before) {
		uint64_t now = hal_clock_ns();

		if (now - start > KICK_WAIT_NS)
			return false;
		if (last == 0 || now - last > KICK_REPEAT_NS) {
			hal_cpu_kick(cpu);
			last = now;
		}
		hal_cpu_relax();
	}
	return true;
}

static void nothing(void *arg)
{
	(void)arg;
}

KTEST(cpu, every_cpu_starts_and_takes_a_kick)
{
	unsigned started = start_all(t);

	for (unsigned cpu = 1; cpu <= started; cpu++) {
		EXPECT_MSG(t, hal_cpu_start(cpu) == -EBUSY,
			      "cpu%u started twice", cpu);
		EXPECT_MSG(t, kick_arrives(cpu), "cpu%u never got its kick",
			      cpu);
	}
	/* A kick to this CPU still arrives, and one out of range is
	 * ignored. */
	KT_EXPECT(t, kick_arrives(hal_cpu_id()));
	hal_cpu_kick(HAL_MAX_CPUS + 1);
}

KTEST(cpu, stacks_unmap_with_every_cpu_up)
{
	start_all(t);
	for (int i = 0; i < 8; i++) {
		struct task *w = task_spawn("cpu-stack", nothing, NULL);

		KT_ASSERT(t, w != NULL);
		task_join(w);
		task_put(w);
	}
}

/* ---- Shootdowns that cross ----------------------------------------- */

#define CROSS_ROUNDS 200

struct crossfire {
	struct spinlock lock;   /* held across a shootdown by one side */
	unsigned go;            /* both sides started */
	unsigned done[2];       /* rounds each side finished */
	bool no_memory;
};

/* One round: a stack mapped and unmapped (the unmap shoots it down on
 * every other CPU), with interrupts off and, every other round, the
 * shared spinlock held, so that the other side either shoots back or
 * spins on the lock, interrupts off, while this one waits for its ack. */
static bool cross_round(struct crossfire *c, unsigned round)
{
	hal_paddr_t pa = frame_alloc(2);
	unsigned long irq;
	void *stack;

	if (!pa)
		return false;
	if (round & 1)
		spin_lock(&c->lock);
	irq = hal_irq_save();
	stack = hal_kstack_map(pa);
	if (stack)
		hal_kstack_unmap(stack);
	hal_irq_restore(irq);
	if (round & 1)
		spin_unlock(&c->lock);
	frame_free(pa);
	return stack != NULL;
}

static void cross_side(struct crossfire *c, unsigned side)
{
	__atomic_fetch_add(&c->go, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&c->go, __ATOMIC_ACQUIRE) < 2)
		hal_cpu_relax();
	for (unsigned r = 0; r < CROSS_ROUNDS; r++) {
		if (!cross_round(c, r + side)) {
			c->no_memory = true;
			break;
		}
		__atomic_store_n(&c->done[side], r + 1, __ATOMIC_RELEASE);
	}
}

static void cross_partner(void *arg)
{
	cross_side(arg, 1);
}

/*
 * Two CPUs unmap kernel stacks at the same time, interrupts off, one of
 * them often holding a spinlock the other is spinning on: every
 * shootdown must still complete (a shootdown by maskable IPI would hang
 * here; the test fails by never finishing).
 */
KTEST(cpu, shootdowns_cross_with_interrupts_off)
{
	struct crossfire c = { .lock = SPINLOCK_INIT("crossfire") };
	struct task *self = task_current(), *w;
	uint64_t before = task_get_affinity(self);

	KT_ASSERT(t, task_set_affinity(self, 1) == 0);
	w = task_create("crossfire", cross_partner, &c);
	KT_ASSERT(t, w != NULL);
	KT_ASSERT(t, task_set_affinity(w, 1ull << (cpu_count() - 1)) == 0);
	if (cpu_count() == 1)
		__atomic_fetch_add(&c.go, 1, __ATOMIC_ACQ_REL); /* alone */
	task_start(w);
	cross_side(&c, 0);
	task_join(w);
	task_put(w);
	KT_EXPECT(t, !c.no_memory);
	KT_EXPECT_EQ(t, c.done[0], CROSS_ROUNDS);
	KT_EXPECT_EQ(t, c.done[1], CROSS_ROUNDS);
	task_set_affinity(self, before);
}
