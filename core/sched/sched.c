/*
 * The scheduler: round-robin per CPU (run queues and balancing in
 * runq.c), switching kernel contexts with hal_kctx_switch. Kernel code is
 * not preempted (PREEMPT_NONE): a task gives up the CPU by sleeping,
 * yielding or exiting; the timer only sets need_resched, which user_run
 * and task_should_yield act on.
 *
 * The CPU's run-queue lock is held across every context switch and
 * released by the task switched to (sched_finish_switch), so no other CPU
 * or interrupt handler ever sees a task half switched: a task's state and
 * on_cpu are read and written under the lock of its CPU's queue, which a
 * switch holds from its start to its end.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/heap.h>
#include <keel/log.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/vm.h>

#include "mm/frame.h"
#include "sched/sched.h"
#include "time/time.h"

/* ---- Stack guard ---------------------------------------------------- */

#define STACK_GUARD_WORDS 8
#define STACK_GUARD_MAGIC 0x6b65656c53544b21ull /* "keelSTK!" */

static void stack_guard_set(struct task *t)
{
	uint64_t *g = t->stack;

	for (int i = 0; i < STACK_GUARD_WORDS; i++)
		g[i] = STACK_GUARD_MAGIC;
}

/* Debug builds check the guard at the bottom of the stack of every task
 * they switch away from: an overflow is found close to where it
 * happened. */
static void stack_guard_check(const struct task *t)
{
#if defined(KEEL_DEBUG) && KEEL_DEBUG
	const uint64_t *g = t->stack;

	if (!g)
		return; /* the boot stack belongs to the HAL */
	for (int i = 0; i < STACK_GUARD_WORDS; i++)
		if (g[i] != STACK_GUARD_MAGIC)
			panic("kernel stack overflow in task %u '%s'", t->id,
			      t->name);
#else
	(void)t;
#endif
}

/* ---- Stack cache ---------------------------------------------------- */

/*
 * A kernel stack is TASK_STACK_SIZE bytes of contiguous frames that the
 * HAL maps in its stack area with an unmapped guard below
 * (hal_kstack_map), so an overflow faults there and panics naming the
 * task (sched_stack_guard_owner) instead of corrupting what lies below.
 *
 * Stacks of dead tasks are kept for new tasks (as Linux caches thread
 * stacks): spawning skips the frame allocator and the HAL's mapping
 * (a host mmap on hosted), and memory that served as a stack stays a
 * stack.
 */
#define STACK_CACHE_MAX 64
#define STACK_ORDER 2 /* 4 pages */
_Static_assert(TASK_STACK_SIZE == PAGE_SIZE << STACK_ORDER,
	       "STACK_ORDER matches the HAL's stack size");

struct kstack {
	void *base;
	hal_paddr_t pa;
};

static struct spinlock stack_lock = SPINLOCK_INIT("stacks");
static struct kstack stack_cache[STACK_CACHE_MAX];
static unsigned nr_cached_stacks;

/* Gives t a stack; false when memory or the HAL's stack area runs out. */
static bool stack_alloc(struct task *t)
{
	struct kstack ks = { NULL, 0 };

	spin_lock(&stack_lock);
	if (nr_cached_stacks > 0)
		ks = stack_cache[--nr_cached_stacks];
	spin_unlock(&stack_lock);
	if (!ks.base) {
		ks.pa = frame_alloc(STACK_ORDER);
		if (!ks.pa)
			return false;
		ks.base = hal_kstack_map(ks.pa);
		if (!ks.base) {
			frame_free(ks.pa);
			return false;
		}
	}
	t->stack = ks.base;
	t->stack_pa = ks.pa;
	return true;
}

static void stack_free(struct task *t)
{
	struct kstack ks = { t->stack, t->stack_pa };

	if (!ks.base)
		return;
	t->stack = NULL;
	spin_lock(&stack_lock);
	if (nr_cached_stacks < STACK_CACHE_MAX) {
		stack_cache[nr_cached_stacks++] = ks;
		ks.base = NULL;
	}
	spin_unlock(&stack_lock);
	if (ks.base) {
		hal_kstack_unmap(ks.base);
		frame_free(ks.pa);
	}
}

size_t sched_cached_stack_frames(void)
{
	unsigned n;

	spin_lock(&stack_lock);
	n = nr_cached_stacks;
	spin_unlock(&stack_lock);
	return (size_t)n << STACK_ORDER;
}

struct task *sched_stack_guard_owner(uintptr_t addr)
{
	struct task *cur = task_current();
	uintptr_t bottom;

	if (!cur || !cur->stack)
		return NULL; /* no task yet, or the HAL's boot stack */
	bottom = (uintptr_t)cur->stack;
	return addr < bottom && addr >= bottom - HAL_KSTACK_GUARD ? cur : NULL;
}

/* ---- Switching ------------------------------------------------------ */

/* The next task for cpu: its queue's first, after pulling one from a
 * busier CPU when the queue is empty or much shorter; else its idle
 * task. cpu's queue lock held. */
static struct task *pick_next_locked(struct cpu *cpu)
{
	struct task *next;

	runq_pull_trylock(cpu);
	next = runq_pop(cpu);
	return next ? next : cpu->idle;
}

/*
 * Picks the next task for cpu and switches to it. cpu's queue lock held,
 * interrupts disabled; returns (with the lock held again, taken by
 * whoever switched back, maybe on another CPU) when the current task
 * next runs. A dead task is left in cpu->reap for the next task to
 * release, one that may no longer run here in cpu->push for it to queue
 * elsewhere.
 */
static void switch_locked(struct cpu *cpu)
{
	struct task *prev = cpu->current, *next;

	if (prev->state == TASK_RUNNING && prev != cpu->idle) {
		prev->state = TASK_RUNNABLE;
		if (task_allowed_on(prev, cpu->id))
			runq_add(cpu, prev);
		else
			cpu->push = prev;
	}
	next = pick_next_locked(cpu);
	__atomic_store_n(&cpu->need_resched, false, __ATOMIC_RELAXED);
	cpu->slice_end_ns = hal_clock_ns() + SCHED_SLICE_NS;
	next->state = TASK_RUNNING;
	if (next == prev)
		return;
	stack_guard_check(prev);
	if (prev->state == TASK_DEAD)
		cpu->reap = prev;
	prev->on_cpu = false;
	next->on_cpu = true;
	stat_note_sleep(prev);
	cputime_switch(&prev->cputime, &next->cputime, hal_clock_ns());
	__atomic_store_n(&cpu->current, next, __ATOMIC_RELAXED);
	hal_kctx_switch(&prev->kctx, &next->kctx);
}

void sched_finish_switch(void)
{
	struct cpu *cpu = this_cpu();
	struct task *dead = cpu->reap, *push = cpu->push;

	cpu->reap = NULL;
	cpu->push = NULL;
	spin_unlock(&cpu->rq.lock);
	if (push)
		place_task(push, PLACE_PUSH);
	if (dead)
		task_put(dead); /* the scheduler's reference */
	time_reprogram(); /* the new task's slice and CPU timers */
}

void schedule(void)
{
	unsigned long irq = hal_irq_save();
	struct cpu *cpu = this_cpu();

	spin_lock(&cpu->rq.lock);
	switch_locked(cpu);
	sched_finish_switch();
	hal_irq_restore(irq);
}

int sched_sleep(void)
{
	unsigned long irq = hal_irq_save();
	struct cpu *cpu = this_cpu();
	struct task *cur;
	bool intr;

	spin_lock(&cpu->rq.lock);
	cur = cpu->current;
	intr = cur->sleep_interruptible;
	if (cur->state == TASK_SLEEPING && intr && task_notify_pending(cur))
		cur->state = TASK_RUNNING; /* notified before it slept */
	if (cur->state == TASK_SLEEPING) {
		switch_locked(cpu);
		sched_finish_switch();
	} else {
		spin_unlock(&cpu->rq.lock);
	}
	hal_irq_restore(irq);
	return intr && task_notify_pending(cur) ? -EINTR : 0;
}

void sched_prepare_sleep(unsigned flags)
{
	struct cpu *cpu;
	struct task *cur;
	unsigned long irq = hal_irq_save();

	cpu = this_cpu();
	spin_lock(&cpu->rq.lock);
	cur = cpu->current;
	cur->state = TASK_SLEEPING;
	cur->sleep_interruptible = flags & WAIT_INTERRUPTIBLE;
	spin_unlock(&cpu->rq.lock);
	hal_irq_restore(irq);
}

void sched_cancel_sleep(void)
{
	struct cpu *cpu;
	struct task *cur;
	unsigned long irq = hal_irq_save();

	cpu = this_cpu();
	spin_lock(&cpu->rq.lock);
	cur = cpu->current;
	if (cur->state == TASK_SLEEPING)
		cur->state = TASK_RUNNING;
	spin_unlock(&cpu->rq.lock);
	hal_irq_restore(irq);
}

bool sched_wake(struct task *t)
{
	return place_task(t, WAKE_ANY);
}

bool sched_wake_sync(struct task *t)
{
	return place_task(t, WAKE_SYNC);
}

/* ---- Notification --------------------------------------------------- */

/*
 * Kicks the CPU on which t is running user code, if it is another one,
 * so that its hal_user_run returns at once (Linux's kick_process). On
 * this CPU there is nothing to do: we are in an interrupt handler that
 * already ends user mode (hosted kicks the stub after every interrupt),
 * or t is not in user mode. Holding t's queue lock keeps t current there.
 */
static void kick_user(struct task *t)
{
	struct cpu *c = task_rq_lock(t);

	if (t->state == TASK_RUNNING && c->current == t &&
	    c->id != hal_cpu_id() &&
	    __atomic_load_n(&c->in_user, __ATOMIC_SEQ_CST))
		hal_cpu_kick(c->id);
	spin_unlock(&c->rq.lock);
}

void sched_kick_task_cpu(struct task *t)
{
	struct cpu *c = task_rq_lock(t);

	if (c->current == t && c->id != hal_cpu_id())
		hal_cpu_kick(c->id);
	spin_unlock(&c->rq.lock);
}

void sched_ipi(void)
{
	time_reprogram();
}

/*
 * The flag is set before t's queue lock is taken to wake t, and
 * sched_sleep reads it under that lock after t was marked sleeping:
 * either the notifier finds t sleeping or t finds the flag, so no
 * notification is lost. Uninterruptible sleepers are left alone. The
 * same holds for user mode with in_user (see enter_user in user.c).
 */
void task_notify(struct task *t)
{
	__atomic_store_n(&t->notified, 1, __ATOMIC_SEQ_CST);
	if (!place_task(t, WAKE_INTERRUPTIBLE))
		kick_user(t);
}

bool task_notify_pending(const struct task *t)
{
	return __atomic_load_n(&t->notified, __ATOMIC_SEQ_CST) != 0;
}

bool task_notify_clear(void)
{
	return __atomic_exchange_n(&task_current()->notified, 0,
				   __ATOMIC_SEQ_CST) != 0;
}

/* ---- Ticks and slices ----------------------------------------------- */

void sched_tick(uint64_t now_ns)
{
	struct cpu *cpu = this_cpu();

	if (cpu->current && cpu->current != cpu->idle &&
	    now_ns >= cpu->slice_end_ns) {
		sched_set_need_resched();
		/* Work waits here while a CPU may idle (a wake-affine guess
		 * that did not hold): let an idle one pull it. */
		if (runq_len(cpu) > 0)
			runq_kick_idle_for(cpu);
	}
}

/*
 * How often the timer fires while a reschedule is pending in user mode.
 * An interrupt in user code makes hal_user_run return and user_run yield,
 * so normally the first one does it. But enter_user sets in_user, and
 * arms the slice, before hal_user_run enters user mode: a slice that ends
 * in between (its deadline passed while the vCPU was descheduled: under
 * TCG on a loaded host) sets need_resched after enter_user's last look at
 * it, and with the timer off the task would then run user code forever.
 */
#define SCHED_RESCHED_RETRY_NS (SCHED_SLICE_NS / 10)

uint64_t sched_slice_deadline(void)
{
	struct cpu *cpu = this_cpu();
	bool in_user = __atomic_load_n(&cpu->in_user, __ATOMIC_RELAXED);

	if (!cpu->current || cpu->current == cpu->idle)
		return HAL_TIMER_OFF;
	if (__atomic_load_n(&cpu->need_resched, __ATOMIC_RELAXED))
		return in_user ? hal_clock_ns() + SCHED_RESCHED_RETRY_NS :
				 HAL_TIMER_OFF; /* the kernel acts on it */
	if (in_user || runq_len(cpu) > 0)
		return cpu->slice_end_ns;
	return HAL_TIMER_OFF;
}

void sched_set_need_resched(void)
{
	__atomic_store_n(&this_cpu()->need_resched, true, __ATOMIC_RELAXED);
}

bool task_should_yield(void)
{
	return __atomic_load_n(&this_cpu()->need_resched, __ATOMIC_RELAXED);
}

void task_yield(void)
{
	schedule();
}

/* ---- Task life cycle ------------------------------------------------ */

/* First code of every new task: the switch to it left the scheduler lock
 * held and interrupts disabled. */
static void task_entry(void *arg)
{
	struct task *t = arg;

	sched_finish_switch();
	hal_irq_enable();
	t->fn(t->arg);
	task_exit();
}

static unsigned next_task_id = 1;

/* A task without a stack, not runnable, with one reference. */
static struct task *task_alloc_bare(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	kassert(IS_ALIGNED((uintptr_t)t, _Alignof(struct task)));
	t->id = __atomic_fetch_add(&next_task_id, 1, __ATOMIC_RELAXED);
	kstrlcpy(t->name, name, sizeof(t->name));
	t->state = TASK_NEW;
	t->refcount = 1;
	/* Where and on what its creator may run (Linux's fork keeps the
	 * mask too); the boot task's is every CPU. */
	t->cpu = hal_cpu_id();
	t->affinity = task_current() ? task_current()->affinity :
				       CPU_MASK_ALL;
	list_init(&t->run_link);
	cputime_clear(&t->cputime);
	waitq_init(&t->exit_wq, "task-exit");
	return t;
}

struct task *task_create(const char *name, task_fn fn, void *arg)
{
	struct task *t = task_alloc_bare(name);

	if (!t)
		return NULL;
	if (!stack_alloc(t)) {
		kfree(t);
		return NULL;
	}
	stack_guard_set(t);
	t->fn = fn;
	t->arg = arg;
	hal_kctx_init(&t->kctx, t->stack, TASK_STACK_SIZE, task_entry, t);
	return t;
}

/* Makes a new task runnable; the scheduler takes its own reference,
 * dropped once the task has died and been switched away from. */
void task_start(struct task *t)
{
	task_get(t);
	kassert(t->state == TASK_NEW);
	stat_note_task(1);
	place_task(t, PLACE_NEW);
}

struct task *task_spawn(const char *name, task_fn fn, void *arg)
{
	struct task *t = task_create(name, fn, arg);

	if (t)
		task_start(t);
	return t;
}

void task_get(struct task *t)
{
	__atomic_add_fetch(&t->refcount, 1, __ATOMIC_RELAXED);
}

/* Frees t when the last reference goes; t must be dead or never started
 * by then, so nothing runs on its stack. */
void task_put(struct task *t)
{
	if (__atomic_sub_fetch(&t->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	kassert(t->state == TASK_DEAD || t->state == TASK_NEW);
	if (t->vm)
		vm_space_put(t->vm);
	stack_free(t);
	kfree(t);
}

/*
 * Ends the calling task: drops its address space, wakes joiners and
 * switches away for good. The scheduler's reference (and with it the
 * stack) is released by the next task, after the switch.
 */
void task_exit(void)
{
	struct task *cur = task_current();
	struct cpu *cpu;

	kassert(cur != this_cpu()->idle);
	cputime_exit(&cur->cputime);
	stat_note_task(-1);
	task_set_vm(cur, NULL);
	__atomic_store_n(&cur->exited, true, __ATOMIC_RELEASE);
	waitq_wake_all(&cur->exit_wq);
	hal_irq_save();
	cpu = this_cpu();
	spin_lock(&cpu->rq.lock);
	cur->state = TASK_DEAD;
	switch_locked(cpu);
	panic("dead task %u '%s' ran again", cur->id, cur->name);
}

void task_join(struct task *t)
{
	kassert(t != task_current());
	WAITQ_WAIT_EVENT(&t->exit_wq,
			 __atomic_load_n(&t->exited, __ATOMIC_ACQUIRE));
}

const char *task_name(const struct task *t)
{
	return t->name;
}

unsigned task_id(const struct task *t)
{
	return t->id;
}

void task_set_owner(struct task *t, void *owner)
{
	t->owner = owner;
}

void *task_owner(const struct task *t)
{
	return t->owner;
}

/* Takes a reference to vs (may be NULL) and drops the old space's. */
void task_set_vm(struct task *t, struct vm_space *vs)
{
	struct vm_space *old = t->vm;

	if (vs)
		vm_space_get(vs);
	t->vm = vs;
	if (old)
		vm_space_put(old);
}

struct vm_space *task_vm(const struct task *t)
{
	return t->vm;
}

/* ---- Idle and boot -------------------------------------------------- */

/* Runs when nothing else can: takes work from other CPUs or waits for an
 * interrupt, then schedules. */
static void idle_loop(void *unused)
{
	(void)unused;
	for (;;) {
		struct cpu *cpu;

		hal_irq_save();
		cpu = this_cpu();
		if (runq_len(cpu) == 0)
			runq_pull(cpu);
		spin_lock(&cpu->rq.lock);
		if (runq_len(cpu) > 0) {
			switch_locked(cpu);
			sched_finish_switch();
		} else {
			spin_unlock(&cpu->rq.lock);
			/* Interrupts stay off until hal_cpu_idle waits, so
			 * no wake-up can slip in between: a task queued here
			 * after the look kicks this CPU. */
			hal_cpu_idle();
		}
		hal_irq_enable();
	}
}

void sched_init(void)
{
	struct cpu *cpu;
	struct task *boot;

	runq_init_cpus();
	cpu = this_cpu();
	boot = task_alloc_bare("boot");
	if (!boot)
		panic("no memory for the boot task");
	boot->state = TASK_RUNNING;
	boot->on_cpu = true;
	/* Accounted as on the CPU from now on. */
	cputime_switch(&boot->cputime, &boot->cputime, hal_clock_ns());
	task_get(boot); /* the scheduler's reference */
	stat_note_task(1);
	cpu->idle = task_create("idle0", idle_loop, NULL);
	if (!cpu->idle)
		panic("no memory for the idle task");
	cpu->idle->state = TASK_RUNNABLE; /* never queued: picked when idle */
	cpu->idle->cputime.idle = true; /* its time is CPU 0's idle time */
	cpu->slice_end_ns = hal_clock_ns() + SCHED_SLICE_NS;
	__atomic_store_n(&cpu->current, boot, __ATOMIC_RELEASE);
	runq_set_online(cpu->id);
}

/* The secondary's boot stack (the HAL's) becomes its idle task's: a task
 * without a stack of the core's, as CPU 0's boot task. */
void sched_secondary_enter(unsigned id)
{
	struct cpu *cpu = &sched_cpus[id];
	char name[TASK_NAME_MAX];
	struct task *idle;

	kassert(id == hal_cpu_id());
	ksnprintf(name, sizeof(name), "idle%u", id);
	idle = task_alloc_bare(name);
	if (!idle)
		panic("no memory for the idle task of CPU %u", id);
	idle->state = TASK_RUNNING;
	idle->on_cpu = true;
	idle->affinity = 1ull << id;
	idle->cputime.idle = true;
	cputime_switch(&idle->cputime, &idle->cputime, hal_clock_ns());
	cpu->idle = idle;
	cpu->slice_end_ns = hal_clock_ns() + SCHED_SLICE_NS;
	__atomic_store_n(&cpu->current, idle, __ATOMIC_RELEASE);
	runq_set_online(id);
	idle_loop(NULL);
	panic("idle loop of CPU %u returned", id);
}
