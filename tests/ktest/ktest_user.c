/*
 * In-kernel tests of user mode through user_run(): a spinning user task
 * is preempted by the timer (else this test, sleeping meanwhile, could
 * never wake up) and comes back only when notified, a system call comes
 * back as USER_EVENT_SYSCALL with its number, and unresolved faults and
 * illegal instructions come back as events with the right details. The
 * kick protocol: a notification from an interrupt ends the user run in
 * progress, a task notified while preempted does not enter user mode
 * again, and hal_user_run called with interrupts disabled and a kick
 * pending returns before any user instruction (no lost kick).
 *
 * The user code is a few machine instructions written into a fresh
 * address space; the page-table format tells which instruction set the
 * machine runs (core-side test, so it may look at the HAL's definitions).
 */
#include <hal/hal.h>
#include <keel/ktest.h>
#include <keel/stat.h>
#include <keel/string.h>
#include <keel/task.h>
#include <keel/time.h>
#include <keel/user.h>
#include <keel/vm.h>

#include "ktest_code.h"
#include "mm/mm.h"
#include "sched/sched.h"

#define CODE_VA KT_CODE_VA
#define STACK_VA KT_STACK_VA

#if defined(HAL_PT_X86_64)
static const uint8_t code_spin[] = { 0xeb, 0xfe };             /* jmp . */
static const uint8_t code_syscall[] = {
	0xb8, 0x2a, 0x00, 0x00, 0x00, /* mov $42, %eax */
	0x0f, 0x05,                   /* syscall */
	0xeb, 0xfe,                   /* jmp . */
};
#define SYSCALL_END 7 /* ip after the syscall instruction */
static const uint8_t code_store[] = {
	0xc6, 0x04, 0x25, 0x00, 0x00, 0xc0, 0x00, 0x01, /* movb $1, 0xc00000 */
	0xeb, 0xfe,
};
static const uint8_t code_illegal[] = { 0x0f, 0x0b }; /* ud2 */
#elif defined(HAL_PT_SV39)
static const uint8_t code_spin[] = { 0x6f, 0x00, 0x00, 0x00 }; /* j . */
static const uint8_t code_syscall[] = {
	0x93, 0x08, 0xa0, 0x02, /* li a7, 42 */
	0x73, 0x00, 0x00, 0x00, /* ecall */
	0x6f, 0x00, 0x00, 0x00, /* j . */
};
#define SYSCALL_END 8
static const uint8_t code_store[] = {
	0xb7, 0x02, 0xc0, 0x00, /* lui t0, 0xc00 (t0 = 0xc00000) */
	0x23, 0x80, 0x02, 0x00, /* sb zero, 0(t0) */
	0x6f, 0x00, 0x00, 0x00,
};
static const uint8_t code_illegal[] = { 0x00, 0x00, 0x00, 0x00 };
#else
#error "unknown page-table format: which instruction set is this?"
#endif

#define FAULT_VA 0xc00000ul

/*
 * Runs code (len bytes) in user mode on the current task, in a space of
 * its own, until the first event other than an interrupt; returns that
 * event with its details in *i, or -1 when the space could not be built
 * (reported). The task's user context stays as the event left it.
 */
static int run_code(struct ktest_ctx *t, const void *code, size_t len,
		    struct user_event_info *i)
{
	struct vm_space *vs = kt_code_space(t, code, len);
	enum user_event ev;

	if (!vs)
		return -1;
	ev = kt_run_code(vs, i);
	vm_space_put(vs);
	return (int)ev;
}

struct spinner {
	unsigned interrupts; /* USER_EVENT_INTERRUPT: only when notified */
	enum user_event unexpected; /* last non-interrupt event */
	bool saw_unexpected;
};

static void spinner_fn(void *arg)
{
	struct spinner *s = arg;
	struct user_event_info info;

	for (;;) {
		enum user_event ev = user_run(&info);

		if (ev != USER_EVENT_INTERRUPT) {
			s->unexpected = ev;
			s->saw_unexpected = true;
			return;
		}
		s->interrupts++;
		if (task_notify_clear())
			return;
	}
}

KTEST(user, timer_preempts_spinning_user_code)
{
	struct spinner s = { .interrupts = 0 };
	struct vm_space *vs = kt_code_space(t, code_spin, sizeof(code_spin));
	struct task *spin;
	uint64_t start;

	KT_ASSERT(t, vs != NULL);
	spin = task_create("spinner", spinner_fn, &s);
	KT_ASSERT(t, spin != NULL);
	task_set_vm(spin, vs);
	vm_space_put(vs); /* the task holds the space now */
	uctx_init(task_user_ctx(spin), CODE_VA, STACK_VA);
	task_start(spin);

	start = time_now_ns();
	/* The spinner never blocks: only the timer preempting it lets this
	 * task run again. */
	sleep_ns(50 * NSEC_PER_MSEC);
	KT_EXPECT(t, time_now_ns() - start >= 50 * NSEC_PER_MSEC);
	task_notify(spin);
	task_join(spin);
	/* The slice ends brought it into the kernel (we ran), but only the
	 * notification made user_run return. */
	KT_EXPECT_EQ(t, s.interrupts, 1);
	KT_EXPECT(t, !s.saw_unexpected);
	KT_EXPECT(t, task_vm(spin) == NULL); /* dropped at exit */
	task_put(spin);
}

KTEST(user, syscall_round_trip)
{
	struct user_ctx *uc = task_user_ctx(task_current());
	struct user_event_info info;

	KT_ASSERT(t, run_code(t, code_syscall, sizeof(code_syscall), &info) ==
			     USER_EVENT_SYSCALL);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_SYSNR), 42);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_IP), CODE_VA + SYSCALL_END);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_SP), STACK_VA);
	uctx_set(uc, UREG_RET, 7);
	KT_EXPECT_EQ(t, uctx_get(uc, UREG_RET), 7);
}

KTEST(user, unresolved_fault_is_reported)
{
	struct user_event_info info = { .exception = USER_EXC_NONE };

	KT_EXPECT_EQ(t, run_code(t, code_store, sizeof(code_store), &info),
		     USER_EVENT_PAGE_FAULT);
	KT_EXPECT_EQ(t, info.addr, FAULT_VA);
	KT_EXPECT(t, info.access & USER_ACCESS_WRITE);
}

KTEST(user, illegal_instruction_is_reported)
{
	struct user_event_info info = { .exception = USER_EXC_NONE };

	KT_EXPECT_EQ(t, run_code(t, code_illegal, sizeof(code_illegal), &info),
		     USER_EVENT_EXCEPTION);
	KT_EXPECT_EQ(t, info.exception, USER_EXC_ILLEGAL);
}

/* ---- CPU time in user mode ------------------------------------------- */

struct user_burn {
	struct spinner spin;
	unsigned fired;
	uint64_t user_at_fire;
};

/* A CPU-time timer on the spinner: records its user time and stops it. */
static void user_burn_fired(struct cputimer *ct, void *arg)
{
	struct user_burn *b = arg;
	uint64_t user, sys;

	task_cpu_times(ct->task, &user, &sys);
	b->user_at_fire = user;
	__atomic_add_fetch(&b->fired, 1, __ATOMIC_RELEASE);
	task_notify(ct->task); /* user_run returns: the spinner stops */
}

/* A spinner task on fresh code_spin, created stopped; NULL on failure. */
static struct task *make_spinner(struct ktest_ctx *t, struct spinner *s)
{
	struct vm_space *vs = kt_code_space(t, code_spin, sizeof(code_spin));
	struct task *spin;

	if (!vs)
		return NULL;
	spin = task_create("cpu-spinner", spinner_fn, s);
	if (spin) {
		task_set_vm(spin, vs);
		uctx_init(task_user_ctx(spin), CODE_VA, STACK_VA);
	}
	vm_space_put(vs);
	return spin;
}

/*
 * Runs a user spinner under a CPU-time timer on clock that expires after
 * 5 ms of that clock; samples the spinner's times while it runs. Checks
 * that the timer fired once, at or past its expiry, that user time only
 * grew, and that this (kernel) task gained no user time.
 */
static void check_spin_timer(struct ktest_ctx *t, enum cputimer_clock clock)
{
	struct user_burn b = { .fired = 0 };
	uint64_t prev_user = 0, user, sys, start;
	struct cputimer ct;
	struct task *spin = make_spinner(t, &b.spin);
	bool monotone = true;

	KT_ASSERT(t, spin != NULL);
	cputimer_init(&ct, user_burn_fired, &b);
	KT_ASSERT(t, cputimer_arm(&ct, spin, clock, 5 * NSEC_PER_MSEC) == 0);
	task_start(spin);
	start = time_now_ns();
	/* Hang guard only: the timer stops the spinner. */
	while (!__atomic_load_n(&b.fired, __ATOMIC_ACQUIRE) &&
	       time_now_ns() - start < 60 * NSEC_PER_SEC) {
		sleep_ns(NSEC_PER_MSEC);
		task_cpu_times(spin, &user, &sys);
		monotone = monotone && user >= prev_user;
		prev_user = user;
	}
	task_notify(spin); /* in case the timer did not */
	task_join(spin);
	KT_EXPECT_EQ(t, b.fired, 1);
	KT_EXPECT(t, monotone);
	task_cpu_times(spin, &user, &sys);
	/*
	 * Only the user clock promises user time. The profiling clock may
	 * expire on kernel time alone: a vCPU the host deschedules while the
	 * spinner is still in the kernel (before its first entry to user
	 * mode) charges those milliseconds as system time. That user time
	 * counts towards it shows otherwise: a spinner that only spins in
	 * user mode would not stop, and fired would be 0.
	 */
	if (clock == CPUTIMER_USER)
		KT_EXPECT(t, b.user_at_fire >= 5 * NSEC_PER_MSEC);
	KT_EXPECT(t, user >= b.user_at_fire);
	KT_EXPECT(t, user + sys >= 5 * NSEC_PER_MSEC);
	KT_EXPECT(t, !b.spin.saw_unexpected);
	task_cpu_times(task_current(), &user, &sys);
	KT_EXPECT_EQ(t, user, 0);
	KT_EXPECT(t, !cputimer_cancel(&ct));
	task_put(spin);
}

KTEST(user, user_spin_grows_user_time_and_fires_virtual_timer)
{
	check_spin_timer(t, CPUTIMER_USER);
}

KTEST(user, user_spin_fires_prof_timer)
{
	check_spin_timer(t, CPUTIMER_PROF);
}

/* ---- Kicks ------------------------------------------------------------ */

/* A task spinning in user mode and what it saw when user_run returned. */
struct kick_probe {
	struct task *target;
	struct ktimer kt;
	unsigned long entries_at_notify, entries_at_return;
	enum user_event ev;
	bool notified;
};

static void run_once(void *arg)
{
	struct kick_probe *p = arg;
	struct user_event_info info;
	struct cpu *cpu;

	p->ev = user_run(&info);
	cpu = this_cpu();
	p->entries_at_return = cpu->user_entries;
	p->notified = task_notify_clear();
}

/* Creates the spinner of p on a space of its own (not started). */
static bool make_probe_task(struct ktest_ctx *t, struct kick_probe *p)
{
	struct vm_space *vs = kt_code_space(t, code_spin, sizeof(code_spin));

	if (!vs)
		return false;
	p->target = task_create("spinner", run_once, p);
	if (!p->target) {
		vm_space_put(vs);
		return false;
	}
	task_set_vm(p->target, vs);
	vm_space_put(vs);
	uctx_init(task_user_ctx(p->target), CODE_VA, STACK_VA);
	return true;
}

static void notify_from_interrupt(struct ktimer *kt, void *arg)
{
	struct kick_probe *p = arg;
	struct cpu *cpu = this_cpu();

	(void)kt;
	p->entries_at_notify = cpu->user_entries;
	task_notify(p->target);
}

/*
 * The run in progress ends and user_run returns for the notification
 * (interrupts that leave nothing pending do not return). That it returns
 * at once rather than at a later interrupt is not measured here (a slow
 * host, memcheck, may end the slice first anyway): the two tests below
 * check the lost kick deterministically.
 */
KTEST(user, notify_from_an_interrupt_ends_the_user_run)
{
	struct kick_probe p = { .ev = USER_EVENT_SYSCALL };

	KT_ASSERT(t, make_probe_task(t, &p));
	ktimer_init(&p.kt, notify_from_interrupt, &p);
	task_start(p.target);
	/* While we sleep the spinner is all there is to run: the notifying
	 * interrupt lands in its user code (or between two entries). */
	ktimer_arm(&p.kt, time_now_ns() + NSEC_PER_MSEC);
	task_join(p.target);
	KT_EXPECT_EQ(t, p.ev, USER_EVENT_INTERRUPT);
	KT_EXPECT(t, p.notified);
	/* Back from the run that was going on: no entry after it. */
	KT_EXPECT_EQ(t, p.entries_at_return, p.entries_at_notify);
	task_put(p.target);
}

KTEST(user, task_notified_while_preempted_does_not_reenter_user_mode)
{
	struct kick_probe p = { .ev = USER_EVENT_SYSCALL };
	unsigned long before;

	KT_ASSERT(t, make_probe_task(t, &p));
	before = this_cpu()->user_entries;
	task_start(p.target);
	/* We run again only when its slice ends and it yields to us from
	 * user_run, on its way back to user mode. */
	while (this_cpu()->user_entries == before)
		task_yield();
	p.entries_at_notify = this_cpu()->user_entries;
	task_notify(p.target);
	task_join(p.target);
	KT_EXPECT_EQ(t, p.ev, USER_EVENT_INTERRUPT);
	KT_EXPECT(t, p.notified);
	KT_EXPECT_EQ(t, p.entries_at_return, p.entries_at_notify);
	task_put(p.target);
}

/* The HAL half: with interrupts disabled, a kick sent before
 * hal_user_run ends the run before the first user instruction. */
KTEST(user, kick_pending_before_hal_user_run_is_not_lost)
{
	static struct hal_uctx ctx; /* large (FPU area): not on the stack */
	struct vm_space *vs = kt_code_space(t, code_syscall, sizeof(code_syscall));
	struct hal_trap_info info;
	enum hal_trap trap;
	unsigned long irq;

	KT_ASSERT(t, vs != NULL);
	hal_uctx_init(&ctx, CODE_VA, STACK_VA);
	irq = hal_irq_save();
	hal_cpu_kick(hal_cpu_id());
	trap = hal_user_run(&ctx, vm_space_hal(vs), &info);
	KT_EXPECT(t, !hal_irq_enabled()); /* the caller's state */
	hal_irq_restore(irq);
	KT_EXPECT_EQ(t, trap, HAL_TRAP_INTERRUPT);
	KT_EXPECT_EQ(t, hal_uctx_get(&ctx, HAL_UREG_IP), CODE_VA);

	/* Without a kick the code runs (other interrupts may come first). */
	do {
		irq = hal_irq_save();
		trap = hal_user_run(&ctx, vm_space_hal(vs), &info);
		hal_irq_restore(irq);
	} while (trap == HAL_TRAP_INTERRUPT);
	KT_EXPECT_EQ(t, trap, HAL_TRAP_SYSCALL);
	KT_EXPECT_EQ(t, hal_uctx_get(&ctx, HAL_UREG_IP), CODE_VA + SYSCALL_END);
	KT_EXPECT(t, hal_irq_enabled());
	vm_space_put(vs);
}

/* ---- Per-CPU user time ------------------------------------------------ */

/*
 * A spinner pinned to one CPU burns 5 ms of user time there (its
 * user-time timer stops it): that CPU's user column grows by at least
 * the spinner's user time, since nothing else counts there and the
 * spinner ran nowhere else.
 */
KTEST(user, spinner_user_time_shows_in_its_cpu_user_column)
{
	struct user_burn b = { .fired = 0 };
	struct cpu_stat before, after;
	struct task *spin = make_spinner(t, &b.spin);
	unsigned cpu = cpu_count() - 1;
	uint64_t user, sys, start;
	struct cputimer ct;

	KT_ASSERT(t, spin != NULL);
	KT_ASSERT(t, task_set_affinity(spin, 1ull << cpu) == 0);
	cputimer_init(&ct, user_burn_fired, &b);
	KT_ASSERT(t, cputimer_arm(&ct, spin, CPUTIMER_USER,
				  5 * NSEC_PER_MSEC) == 0);
	KT_ASSERT(t, cpu_stat(cpu, &before) == 0);
	task_start(spin);
	start = time_now_ns();
	/* Hang guard only: the timer stops the spinner. */
	while (!__atomic_load_n(&b.fired, __ATOMIC_ACQUIRE) &&
	       time_now_ns() - start < 60 * NSEC_PER_SEC)
		sleep_ns(NSEC_PER_MSEC);
	task_notify(spin); /* in case the timer did not */
	task_join(spin);
	KT_ASSERT(t, cpu_stat(cpu, &after) == 0);
	task_cpu_times(spin, &user, &sys);
	KT_EXPECT_EQ(t, b.fired, 1);
	KT_EXPECT(t, user >= 5 * NSEC_PER_MSEC);
	KT_EXPECT(t, after.user_ns - before.user_ns >= user);
	KT_EXPECT(t, !cputimer_cancel(&ct));
	task_put(spin);
}
