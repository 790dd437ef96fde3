/*
 * In-kernel tests of several CPUs (run with -smp 2 and 4; on one CPU they
 * still pass, everything then lands on CPU 0): affinity pins a task and
 * moves the caller, wake-ups reach a task sleeping on another CPU, a
 * synchronous wake-up runs the wakee on the waker's CPU (within its
 * affinity), a
 * mutex hammered from every CPU keeps its counter exact, a timer armed on
 * a CPU fires there while the CPU is busy (in the kernel, and in user
 * mode), and a page unmapped on one CPU while user code of the same space
 * keeps writing to it on another is written no more once the unmap has
 * returned (no stale TLB entry), also when the unmap comes from a
 * sibling task of the same space on its own CPU. No test depends on
 * timing: loops that wait for another CPU have only a hang guard.
 */
#include <hal/hal.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/page.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/user.h>
#include <keel/vm.h>

#include "ktest_code.h"
#include "sched/sched.h"

/* Loops that wait for another CPU give up (and fail) after this. */
#define HANG_GUARD_NS (20 * NSEC_PER_SEC)

/* The highest CPU: the one "other" than the test's CPU 0 (0 alone). */
static unsigned last_cpu(void)
{
	return cpu_count() - 1;
}

/* A stopped task running fn(arg), pinned to cpu; NULL on failure. */
static struct task *pinned_task(struct ktest_ctx *t, const char *name,
				task_fn fn, void *arg, unsigned cpu)
{
	struct task *w = task_create(name, fn, arg);

	if (!w) {
		ktest_fail_at(t, __FILE__, __LINE__, "task_create");
		return NULL;
	}
	if (task_set_affinity(w, 1ull << cpu) != 0) {
		ktest_fail_at(t, __FILE__, __LINE__, "affinity %u", cpu);
		task_put(w);
		return NULL;
	}
	return w;
}

static void join_put(struct task *w)
{
	task_join(w);
	task_put(w);
}

/* ---- Affinity -------------------------------------------------------- */

struct pin_probe {
	unsigned cpu;      /* where it must run */
	unsigned runs;     /* times it looked */
	unsigned strays;   /* times it found itself elsewhere */
};

static void pin_fn(void *arg)
{
	struct pin_probe *p = arg;

	for (int i = 0; i < 20; i++) {
		p->runs++;
		if (cpu_id() != p->cpu || task_cpu(task_current()) != p->cpu)
			p->strays++;
		task_yield();
	}
}

KTEST(smp, affinity_pins_a_task)
{
	unsigned n = cpu_count();
	struct pin_probe probes[HAL_MAX_CPUS];
	struct task *tasks[HAL_MAX_CPUS];

	KT_EXPECT_EQ(t, cpu_online_mask(), n == 64 ? ~0ull : (1ull << n) - 1);
	for (unsigned c = 0; c < n; c++) {
		probes[c] = (struct pin_probe){ .cpu = c };
		tasks[c] = pinned_task(t, "pinned", pin_fn, &probes[c], c);
		KT_ASSERT(t, tasks[c] != NULL);
		KT_EXPECT_EQ(t, task_get_affinity(tasks[c]), 1ull << c);
		task_start(tasks[c]);
	}
	for (unsigned c = 0; c < n; c++) {
		join_put(tasks[c]);
		KT_EXPECT_EQ(t, probes[c].runs, 20);
		KT_EXPECT_EQ(t, probes[c].strays, 0);
	}
}

KTEST(smp, affinity_moves_the_caller)
{
	struct task *self = task_current();
	unsigned last = last_cpu();

	KT_ASSERT(t, task_set_affinity(self, 1ull << last) == 0);
	KT_EXPECT_EQ(t, cpu_id(), last); /* moved before returning */
	KT_EXPECT_EQ(t, task_cpu(self), last);
	task_yield();
	KT_EXPECT_EQ(t, cpu_id(), last);
	KT_ASSERT(t, task_set_affinity(self, 1) == 0);
	KT_EXPECT_EQ(t, cpu_id(), 0);
}

KTEST(smp, affinity_without_an_online_cpu_is_refused)
{
	struct task *self = task_current();
	uint64_t before = task_get_affinity(self);

	KT_EXPECT_EQ(t, task_set_affinity(self, 0), -EINVAL);
	if (cpu_count() < 64)
		KT_EXPECT_EQ(t, task_set_affinity(self, 1ull << 63), -EINVAL);
	KT_EXPECT_EQ(t, task_get_affinity(self), before);
	/* Offline bits are kept but ignored. */
	KT_EXPECT_EQ(t, task_set_affinity(self, 1 | 1ull << 63), 0);
	KT_EXPECT_EQ(t, task_get_affinity(self),
		     cpu_count() < 64 ? 1 : 1 | 1ull << 63);
	KT_EXPECT_EQ(t, cpu_id(), 0);
}

/* ---- Wake-ups across CPUs -------------------------------------------- */

#define PINGS 200

struct pingpong {
	struct waitq to_partner, to_test;
	unsigned ball;      /* 1: the partner's turn, 0: the test's */
	unsigned returned;  /* balls the partner sent back */
	unsigned strays;    /* the partner woke up on another CPU */
	unsigned cpu;
};

static void partner_fn(void *arg)
{
	struct pingpong *p = arg;

	for (int i = 0; i < PINGS; i++) {
		WAITQ_WAIT_EVENT(&p->to_partner,
				 __atomic_load_n(&p->ball, __ATOMIC_ACQUIRE) ==
					 1);
		if (cpu_id() != p->cpu)
			p->strays++;
		p->returned++;
		__atomic_store_n(&p->ball, 0, __ATOMIC_RELEASE);
		waitq_wake_all(&p->to_test);
	}
}

KTEST(smp, wakeups_reach_a_task_on_another_cpu)
{
	struct pingpong p = { .cpu = last_cpu() };
	struct task *w;

	waitq_init(&p.to_partner, "ping");
	waitq_init(&p.to_test, "pong");
	w = pinned_task(t, "partner", partner_fn, &p, p.cpu);
	KT_ASSERT(t, w != NULL);
	task_start(w);
	for (int i = 0; i < PINGS; i++) {
		__atomic_store_n(&p.ball, 1, __ATOMIC_RELEASE);
		waitq_wake_all(&p.to_partner);
		WAITQ_WAIT_EVENT(&p.to_test,
				 __atomic_load_n(&p.ball, __ATOMIC_ACQUIRE) ==
					 0);
		KT_EXPECT_EQ(t, cpu_id(), 0);
	}
	join_put(w);
	KT_EXPECT_EQ(t, p.returned, PINGS);
	KT_EXPECT_EQ(t, p.strays, 0);
}

/* ---- Synchronous (wake-affine) wake-ups ------------------------------ */

/* A task that keeps its (last) CPU busy, yielding, until told to stop, so
 * that this CPU neither idles nor pulls work from others. */
static void yielder_fn(void *arg)
{
	unsigned *stop = arg;

	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE))
		task_yield();
}

/* Whether w sleeps, off every CPU (read under its queue's lock). */
static bool asleep_off_cpu(struct task *w)
{
	struct cpu *c = task_rq_lock(w);
	bool asleep = w->state == TASK_SLEEPING && !w->on_cpu;

	spin_unlock(&c->rq.lock);
	return asleep;
}

/* Yields until w sleeps off its CPU; false after the hang guard. */
static bool wait_asleep(struct task *w)
{
	uint64_t guard = time_now_ns() + HANG_GUARD_NS;

	while (!asleep_off_cpu(w))
		if (time_now_ns() > guard)
			return false;
		else
			task_yield();
	return true;
}

struct echo {
	struct waitq to_partner, to_test;
	unsigned ball;        /* 1: the partner's turn, 0: the test's */
	unsigned ran_on[2];   /* the CPU each answer came from */
};

static void echo_fn(void *arg)
{
	struct echo *e = arg;

	for (int i = 0; i < 2; i++) {
		WAITQ_WAIT_EVENT(&e->to_partner,
				 __atomic_load_n(&e->ball, __ATOMIC_ACQUIRE) ==
					 1);
		e->ran_on[i] = cpu_id();
		__atomic_store_n(&e->ball, 0, __ATOMIC_RELEASE);
		waitq_wake_all(&e->to_test);
	}
}

/*
 * Serves the ball to the partner, once it sleeps, with wake
 * (waitq_wake_sync or waitq_wake) and waits for the answer; *queued_on
 * gets the CPU the wake-up queued the partner on, before this task slept.
 */
static void serve(struct ktest_ctx *t, struct echo *e, struct task *w,
		  unsigned (*wake)(struct waitq *, unsigned, unsigned long),
		  unsigned *queued_on)
{
	KT_ASSERT(t, wait_asleep(w));
	__atomic_store_n(&e->ball, 1, __ATOMIC_RELEASE);
	KT_EXPECT_EQ(t, wake(&e->to_partner, UINT32_MAX, 0), 1);
	*queued_on = task_cpu(w); /* kernel code is not preempted */
	WAITQ_WAIT_EVENT(&e->to_test,
			 __atomic_load_n(&e->ball, __ATOMIC_ACQUIRE) == 0);
}

/*
 * A partner that last ran on the other CPU, woken while that CPU is busy
 * (a yielder pinned there, so it neither idles nor pulls work): a sync
 * wake-up queues it on the waker's CPU, where it runs once the waker
 * sleeps. (A plain one may put it on either CPU, both running one task;
 * it is served one only to see that it still answers.) Deterministic:
 * nothing here depends on how fast a CPU is.
 */
KTEST(smp, sync_wakeup_runs_the_wakee_on_the_wakers_cpu)
{
	struct echo e = { .ball = 0 };
	unsigned other = last_cpu(), here, stop = 0, sync_on, plain_on;
	struct task *w, *y = NULL;

	KT_ASSERT(t, task_set_affinity(task_current(), 1) == 0);
	here = cpu_id();
	waitq_init(&e.to_partner, "echo");
	waitq_init(&e.to_test, "echo back");
	w = pinned_task(t, "echo", echo_fn, &e, other);
	KT_ASSERT(t, w != NULL);
	if (other != here) {
		y = pinned_task(t, "yielder", yielder_fn, &stop, other);
		KT_ASSERT(t, y != NULL);
		task_start(y);
	}
	task_start(w);
	KT_ASSERT(t, wait_asleep(w));
	KT_ASSERT(t, task_set_affinity(w, CPU_MASK_ALL) == 0);
	serve(t, &e, w, waitq_wake_sync, &sync_on);
	serve(t, &e, w, waitq_wake, &plain_on);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	join_put(w);
	if (y)
		join_put(y);
	KT_EXPECT_EQ(t, sync_on, here);
	KT_EXPECT_EQ(t, e.ran_on[0], here);
	KT_EXPECT(t, task_set_affinity(task_current(), CPU_MASK_ALL) == 0);
}

/* A sync wake-up of a task that may not run on the waker's CPU queues it
 * where it may, as a plain one. */
KTEST(smp, sync_wakeup_keeps_the_wakees_affinity)
{
	struct echo e = { .ball = 0 };
	unsigned other = last_cpu(), queued_on;
	struct task *w;

	KT_ASSERT(t, task_set_affinity(task_current(), 1) == 0);
	waitq_init(&e.to_partner, "echo");
	waitq_init(&e.to_test, "echo back");
	w = pinned_task(t, "echo", echo_fn, &e, other);
	KT_ASSERT(t, w != NULL);
	task_start(w);
	serve(t, &e, w, waitq_wake_sync, &queued_on);
	KT_EXPECT_EQ(t, queued_on, other);
	KT_EXPECT_EQ(t, e.ran_on[0], other);
	serve(t, &e, w, waitq_wake_sync, &queued_on);
	join_put(w);
	KT_EXPECT_EQ(t, e.ran_on[1], other);
	KT_EXPECT(t, task_set_affinity(task_current(), CPU_MASK_ALL) == 0);
}

/* ---- A mutex from every CPU ------------------------------------------ */

#define HAMMER_ROUNDS 2000
#define HAMMERS_PER_CPU 2

struct hammer {
	struct mutex m;
	unsigned long counter; /* only under m, read and written apart */
	unsigned strays;       /* atomic */
};

struct hammer_arg {
	struct hammer *h;
	unsigned cpu;
};

static void hammer_fn(void *arg)
{
	struct hammer_arg *a = arg;
	struct hammer *h = a->h;

	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		unsigned long v;

		mutex_lock(&h->m);
		v = __atomic_load_n(&h->counter, __ATOMIC_RELAXED);
		if (i % 64 == 0)
			task_yield(); /* holding it: others must sleep */
		else
			hal_cpu_relax(); /* a window for a broken lock */
		__atomic_store_n(&h->counter, v + 1, __ATOMIC_RELAXED);
		mutex_unlock(&h->m);
		if (cpu_id() != a->cpu)
			__atomic_add_fetch(&h->strays, 1, __ATOMIC_RELAXED);
	}
}

KTEST(smp, mutex_from_every_cpu_keeps_its_count)
{
	unsigned n = cpu_count() * HAMMERS_PER_CPU;
	struct hammer h = { .counter = 0 };
	struct hammer_arg args[HAL_MAX_CPUS * HAMMERS_PER_CPU];
	struct task *tasks[HAL_MAX_CPUS * HAMMERS_PER_CPU];

	mutex_init(&h.m, "hammer");
	for (unsigned i = 0; i < n; i++) {
		args[i] = (struct hammer_arg){ &h, i % cpu_count() };
		tasks[i] = pinned_task(t, "hammer", hammer_fn, &args[i],
				       args[i].cpu);
		KT_ASSERT(t, tasks[i] != NULL);
	}
	for (unsigned i = 0; i < n; i++)
		task_start(tasks[i]);
	for (unsigned i = 0; i < n; i++)
		join_put(tasks[i]);
	KT_EXPECT_EQ(t, h.counter, (unsigned long)n * HAMMER_ROUNDS);
	KT_EXPECT_EQ(t, h.strays, 0);
	KT_EXPECT(t, !mutex_held(&h.m));
}

/* ---- Timers fire on a busy CPU --------------------------------------- */

struct busy_timer {
	struct ktimer kt;
	bool want_user;        /* fire only in user mode (else re-arm) */
	unsigned rearms;       /* times it came while the CPU was not */
	unsigned fired;        /* atomic */
	unsigned fired_on;
	bool fired_in_user;    /* the CPU was running user code */
	struct task *spinner;  /* notified by the callback, if set */
	unsigned cpu;
	bool timed_out, strayed;
	enum user_event ev;
};

/* Most re-arms while waiting for user mode (the hang guard). */
#define MAX_REARMS 20000

/*
 * Records where and in what the CPU was when the timer fired. One that
 * wants user mode and comes while its CPU is still in the kernel (on the
 * way to user mode, slow under a loaded TCG host) tries again a
 * millisecond later, so that no timing decides the test.
 */
static void busy_timer_fn(struct ktimer *kt, void *arg)
{
	struct busy_timer *b = arg;
	bool in_user = __atomic_load_n(&this_cpu()->in_user,
				       __ATOMIC_RELAXED);

	if (b->want_user && !in_user && b->rearms++ < MAX_REARMS) {
		ktimer_arm(kt, time_now_ns() + NSEC_PER_MSEC);
		return;
	}
	b->fired_on = hal_cpu_id();
	b->fired_in_user = in_user;
	__atomic_store_n(&b->fired, 1, __ATOMIC_RELEASE);
	if (b->spinner)
		task_notify(b->spinner);
}

/* Arms the timer here, then spins in the kernel (never yields) until it
 * fired: only this CPU's own timer interrupt can end the loop. */
static void kernel_spinner_fn(void *arg)
{
	struct busy_timer *b = arg;
	uint64_t guard = time_now_ns() + HANG_GUARD_NS;

	ktimer_arm(&b->kt, time_now_ns() + NSEC_PER_MSEC);
	while (!__atomic_load_n(&b->fired, __ATOMIC_ACQUIRE)) {
		if (time_now_ns() > guard) {
			b->timed_out = true;
			break;
		}
		hal_cpu_relax();
	}
	ktimer_cancel(&b->kt);
	b->strayed = cpu_id() != b->cpu;
}

KTEST(smp, timer_fires_on_its_cpu_busy_in_the_kernel)
{
	struct busy_timer b = { .cpu = last_cpu() };
	struct task *w;

	ktimer_init(&b.kt, busy_timer_fn, &b);
	w = pinned_task(t, "kspinner", kernel_spinner_fn, &b, b.cpu);
	KT_ASSERT(t, w != NULL);
	task_start(w);
	join_put(w);
	KT_EXPECT(t, !b.timed_out);
	KT_EXPECT(t, !b.strayed);
	KT_EXPECT_EQ(t, b.fired, 1);
	KT_EXPECT_EQ(t, b.fired_on, b.cpu);
	KT_EXPECT(t, !b.fired_in_user);
}

#if defined(HAL_PT_X86_64)
static const uint8_t code_spin[] = { 0xeb, 0xfe }; /* jmp . */
/* 1: incl 0xc00000; jmp 1b */
static const uint8_t code_count[] = {
	0xff, 0x04, 0x25, 0x00, 0x00, 0xc0, 0x00, 0xeb, 0xf7,
};
/* code_count at 0 and, at SIBLING_OFF, syscall; jmp . */
static const uint8_t code_pair[] = {
	0xff, 0x04, 0x25, 0x00, 0x00, 0xc0, 0x00, 0xeb, 0xf7,
	[32] = 0x0f, 0x05, 0xeb, 0xfe,
};
#elif defined(HAL_PT_SV39)
static const uint8_t code_spin[] = { 0x6f, 0x00, 0x00, 0x00 }; /* j . */
static const uint8_t code_count[] = {
	0xb7, 0x02, 0xc0, 0x00, /* lui t0, 0xc00 (t0 = 0xc00000) */
	0x03, 0xa3, 0x02, 0x00, /* 1: lw t1, 0(t0) */
	0x13, 0x03, 0x13, 0x00, /* addi t1, t1, 1 */
	0x23, 0xa0, 0x62, 0x00, /* sw t1, 0(t0) */
	0x6f, 0xf0, 0x5f, 0xff, /* j 1b */
};
static const uint8_t code_pair[] = {
	0xb7, 0x02, 0xc0, 0x00, 0x03, 0xa3, 0x02, 0x00, 0x13, 0x03,
	0x13, 0x00, 0x23, 0xa0, 0x62, 0x00, 0x6f, 0xf0, 0x5f, 0xff,
	[32] = 0x73, 0x00, 0x00, 0x00, /* ecall */
	0x6f, 0x00, 0x00, 0x00,        /* j . */
};
#else
#error "unknown page-table format: which instruction set is this?"
#endif

#define COUNT_VA 0xc00000ul
#define SIBLING_OFF 32 /* the sibling's code in code_pair */

/* Arms the timer on its CPU, then runs user code that only spins, until
 * the timer's callback notifies it. */
static void user_spinner_fn(void *arg)
{
	struct busy_timer *b = arg;
	struct user_event_info info;

	ktimer_arm(&b->kt, time_now_ns() + NSEC_PER_MSEC);
	do {
		b->ev = user_run(&info);
	} while (b->ev == USER_EVENT_INTERRUPT && !task_notify_clear());
	ktimer_cancel(&b->kt);
	b->strayed = cpu_id() != b->cpu;
}

KTEST(smp, timer_fires_on_its_cpu_busy_in_user_mode)
{
	struct busy_timer b = { .cpu = last_cpu(), .want_user = true };
	struct vm_space *vs = kt_code_space(t, code_spin, sizeof(code_spin));
	struct task *w;

	KT_ASSERT(t, vs != NULL);
	ktimer_init(&b.kt, busy_timer_fn, &b);
	w = pinned_task(t, "uspinner", user_spinner_fn, &b, b.cpu);
	if (!w)
		vm_space_put(vs);
	KT_ASSERT(t, w != NULL);
	task_set_vm(w, vs);
	vm_space_put(vs);
	uctx_init(task_user_ctx(w), KT_CODE_VA, KT_STACK_VA);
	b.spinner = w;
	task_start(w);
	join_put(w);
	KT_EXPECT_EQ(t, b.ev, USER_EVENT_INTERRUPT);
	KT_EXPECT(t, !b.strayed);
	KT_EXPECT_EQ(t, b.fired, 1);
	KT_EXPECT_EQ(t, b.fired_on, b.cpu);
	KT_EXPECT(t, b.fired_in_user);
}

/* ---- No stale TLB after an unmap ------------------------------------- */

struct writer {
	enum user_event ev;
	struct user_event_info info;
	unsigned cpu;
	bool strayed;
};

/* Runs code_count until an event other than an interrupt: the fault on
 * the page unmapped under it. */
static void writer_fn(void *arg)
{
	struct writer *w = arg;

	do {
		w->ev = user_run(&w->info);
	} while (w->ev == USER_EVENT_INTERRUPT);
	w->strayed = cpu_id() != w->cpu;
}

static uint32_t page_count(struct vm_page *pg)
{
	uint32_t v = 0;

	vm_page_read(pg, 0, &v, sizeof(v));
	return v;
}

KTEST(smp, unmapped_page_is_not_written_through_a_stale_tlb)
{
	struct writer wr = { .cpu = last_cpu() };
	struct vm_space *vs = kt_code_space(t, code_count, sizeof(code_count));
	struct vm_page *pg = vm_page_alloc();
	struct task *w = NULL;
	uint64_t guard = time_now_ns() + HANG_GUARD_NS;
	uint32_t at_unmap;

	KT_ASSERT(t, vs && pg);
	KT_ASSERT(t, vm_map_page(vs, COUNT_VA, pg, VM_READ | VM_WRITE,
				  VM_MAP_SHARED) == 0);
	w = pinned_task(t, "writer", writer_fn, &wr, wr.cpu);
	KT_ASSERT(t, w != NULL);
	task_set_vm(w, vs);
	uctx_init(task_user_ctx(w), KT_CODE_VA, KT_STACK_VA);
	task_start(w);
	/* Wait until user code writes the page (sleeping: on one CPU the
	 * writer needs this one). */
	while (page_count(pg) < 1000 && time_now_ns() < guard)
		sleep_ns(NSEC_PER_MSEC);
	KT_EXPECT(t, page_count(pg) >= 1000);
	KT_EXPECT_EQ(t, vm_unmap(vs, COUNT_VA, PAGE_SIZE), 0);
	at_unmap = page_count(pg);
	join_put(w);
	/* Not one write landed after vm_unmap returned. */
	KT_EXPECT_EQ(t, page_count(pg), at_unmap);
	KT_EXPECT_EQ(t, wr.ev, USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, wr.info.addr, COUNT_VA);
	KT_EXPECT(t, !wr.strayed);
	vm_page_put(pg);
	vm_space_put(vs);
}

/*
 * The sibling: a second task of the writer's space, on another CPU. Its
 * user code makes a system call at once, which this "handles" as a
 * munmap of the page the writer keeps writing: once the writer is
 * running, it unmaps the page from the space both run, as a thread
 * calling munmap would.
 */
struct sibling {
	struct vm_page *pg;
	enum user_event ev;
	int err;
	uint32_t at_unmap;
	unsigned cpu;
	bool strayed, timed_out;
};

static void sibling_fn(void *arg)
{
	struct sibling *s = arg;
	struct user_event_info info;
	uint64_t guard = time_now_ns() + HANG_GUARD_NS;

	do {
		s->ev = user_run(&info);
	} while (s->ev == USER_EVENT_INTERRUPT);
	if (s->ev != USER_EVENT_SYSCALL)
		return;
	while (page_count(s->pg) < 1000 && !s->timed_out) {
		sleep_ns(NSEC_PER_MSEC); /* on one CPU the writer needs it */
		s->timed_out = time_now_ns() > guard;
	}
	s->err = vm_unmap(task_vm(task_current()), COUNT_VA, PAGE_SIZE);
	s->at_unmap = page_count(s->pg);
	s->strayed = cpu_id() != s->cpu;
}

/* A task of vs pinned to cpu, starting at KT_CODE_VA + off. */
static struct task *space_task(struct ktest_ctx *t, const char *name,
			       task_fn fn, void *arg, unsigned cpu,
			       struct vm_space *vs, uintptr_t off)
{
	struct task *w = pinned_task(t, name, fn, arg, cpu);

	if (w) {
		task_set_vm(w, vs);
		uctx_init(task_user_ctx(w), KT_CODE_VA + off, KT_STACK_VA);
	}
	return w;
}

KTEST(smp, munmap_by_a_sibling_leaves_no_stale_tlb)
{
	struct writer wr = { .cpu = last_cpu() };
	struct sibling sib = { .cpu = 0 };
	struct vm_space *vs = kt_code_space(t, code_pair, sizeof(code_pair));
	struct task *w, *s;

	sib.pg = vm_page_alloc();
	KT_ASSERT(t, vs && sib.pg);
	KT_ASSERT(t, vm_map_page(vs, COUNT_VA, sib.pg, VM_READ | VM_WRITE,
				  VM_MAP_SHARED) == 0);
	w = space_task(t, "writer", writer_fn, &wr, wr.cpu, vs, 0);
	s = space_task(t, "sibling", sibling_fn, &sib, sib.cpu, vs,
		       SIBLING_OFF);
	KT_ASSERT(t, w && s);
	vm_space_put(vs); /* the tasks hold it */
	task_start(w);
	task_start(s);
	join_put(s);
	join_put(w);
	KT_EXPECT_EQ(t, sib.ev, USER_EVENT_SYSCALL);
	KT_EXPECT(t, !sib.timed_out);
	KT_EXPECT_EQ(t, sib.err, 0);
	KT_EXPECT(t, sib.at_unmap >= 1000);
	/* Not one write landed after the sibling's unmap returned. */
	KT_EXPECT_EQ(t, page_count(sib.pg), sib.at_unmap);
	KT_EXPECT_EQ(t, wr.ev, USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, wr.info.addr, COUNT_VA);
	KT_EXPECT(t, !wr.strayed);
	KT_EXPECT(t, !sib.strayed);
	vm_page_put(sib.pg);
}
