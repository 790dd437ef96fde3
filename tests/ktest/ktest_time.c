/*
 * In-kernel tests of time: the monotonic clock, real time (plausible,
 * moving with the monotonic clock, settable without moving the monotonic
 * one), sleeping at least as long as asked (never an upper bound: machines
 * under load are slow), kernel timer expiry, ordering, re-arming and
 * cancellation.
 */
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/sync.h>
#include <keel/task.h>
#include <keel/time.h>

KTEST(time, clock_is_monotonic)
{
	uint64_t prev = time_now_ns();

	for (int i = 0; i < 1000; i++) {
		uint64_t now = time_now_ns();

		KT_ASSERT(t, now >= prev);
		prev = now;
	}
}

/* 2020-01-01T00:00:00Z and 2100-01-01T00:00:00Z. */
#define REALTIME_2020_NS (1577836800ull * NSEC_PER_SEC)
#define REALTIME_2100_NS (4102444800ull * NSEC_PER_SEC)

KTEST(time, realtime_is_plausible)
{
	uint64_t now = time_realtime_ns();

	/* Every machine here has an RTC set from the host's clock. */
	KT_EXPECT(t, now > REALTIME_2020_NS);
	KT_EXPECT(t, now < REALTIME_2100_NS);
}

KTEST(time, realtime_moves_with_monotonic)
{
	uint64_t r1 = time_realtime_ns(), m1 = time_now_ns(), m2, r2;

	sleep_ns(2 * NSEC_PER_MSEC);
	m2 = time_now_ns();
	r2 = time_realtime_ns();
	/* The real-time reads bracket the monotonic ones. */
	KT_EXPECT(t, m2 - m1 >= 2 * NSEC_PER_MSEC);
	KT_EXPECT(t, r2 - r1 >= m2 - m1);
}

/* A jump no test run could mistake for elapsed time: about 11.6 days. */
#define SETTIME_JUMP_NS (1000000ull * NSEC_PER_SEC)

KTEST(time, settime_moves_realtime_not_monotonic)
{
	uint64_t r0 = time_realtime_ns(), m0 = time_now_ns();
	uint64_t target = r0 + SETTIME_JUMP_NS, r1, m1, back;

	KT_ASSERT(t, time_set_realtime_ns(target) == 0);
	r1 = time_realtime_ns();
	m1 = time_now_ns();
	KT_EXPECT(t, r1 >= target);
	KT_EXPECT(t, m1 >= m0);
	KT_EXPECT(t, m1 - m0 < SETTIME_JUMP_NS); /* no jump in monotonic */
	/* Backwards is allowed too: put real time back where it was. */
	back = r0 + (time_now_ns() - m0);
	KT_EXPECT_EQ(t, time_set_realtime_ns(back), 0);
	KT_EXPECT(t, time_realtime_ns() >= back);
	KT_EXPECT(t, time_realtime_ns() < target);
}

KTEST(time, settime_rejects_bad_values)
{
	uint64_t before = time_realtime_ns();

	/* Below the monotonic clock, and past INT64_MAX. */
	KT_EXPECT_EQ(t, time_set_realtime_ns(0), -EINVAL);
	KT_EXPECT_EQ(t, time_set_realtime_ns((uint64_t)INT64_MAX + 1), -EINVAL);
	KT_EXPECT_EQ(t, time_set_realtime_ns(UINT64_MAX), -EINVAL);
	/* Nothing moved: still within what time alone explains. */
	KT_EXPECT(t, time_realtime_ns() >= before);
	KT_EXPECT(t, time_realtime_ns() - before < SETTIME_JUMP_NS);
}

KTEST(time, sleep_lasts_at_least_requested)
{
	static const uint64_t durations[] = { 1 * NSEC_PER_MSEC,
					      5 * NSEC_PER_MSEC,
					      20 * NSEC_PER_MSEC };

	for (unsigned i = 0; i < sizeof(durations) / sizeof(durations[0]);
	     i++) {
		uint64_t start = time_now_ns();

		sleep_ns(durations[i]);
		KT_EXPECT(t, time_now_ns() - start >= durations[i]);
	}
}

KTEST(time, sleep_until_past_deadline_returns)
{
	uint64_t start = time_now_ns();

	sleep_until(0);
	sleep_until(start);
	sleep_ns(0);
	KT_EXPECT(t, time_now_ns() >= start);
}

KTEST(time, sleep_until_deadline)
{
	uint64_t deadline = time_now_ns() + 3 * NSEC_PER_MSEC;

	sleep_until(deadline);
	KT_EXPECT(t, time_now_ns() >= deadline);
}

struct timer_probe {
	struct completion done;
	unsigned fired;
	uint64_t fired_at;
	int order[4];
	unsigned norder;
};

/* Clears p and points kt at it with callback fn (unarmed). */
static void probe_setup(struct timer_probe *p, struct ktimer *kt,
			void (*fn)(struct ktimer *, void *))
{
	*p = (struct timer_probe){ .fired = 0 };
	completion_init(&p->done);
	ktimer_init(kt, fn, p);
}

static void probe_timer(struct ktimer *kt, void *arg)
{
	struct timer_probe *p = arg;

	p->fired++;
	p->fired_at = time_now_ns();
	complete(&p->done);
	(void)kt;
}

KTEST(time, ktimer_fires_after_deadline)
{
	struct timer_probe p;
	struct ktimer kt;
	uint64_t deadline;

	probe_setup(&p, &kt, probe_timer);
	deadline = time_now_ns() + 5 * NSEC_PER_MSEC;
	/* Interrupts off: however long the host stalls us, the callback
	 * cannot run between arming and the check. */
	unsigned long irq = irq_save();
	ktimer_arm(&kt, deadline);
	bool armed = kt.armed;
	irq_restore(irq);
	KT_EXPECT(t, armed);
	wait_for_completion(&p.done);
	KT_EXPECT_EQ(t, p.fired, 1);
	KT_EXPECT(t, p.fired_at >= deadline);
	KT_EXPECT(t, !kt.armed);
	KT_EXPECT(t, !ktimer_cancel(&kt)); /* already fired */
}

KTEST(time, ktimer_cancel_prevents_callback)
{
	struct timer_probe p;
	struct ktimer kt;

	probe_setup(&p, &kt, probe_timer);
	/* Interrupts off so that a stalled host cannot let the timer fire
	 * before the cancel. */
	unsigned long irq = irq_save();
	ktimer_arm(&kt, time_now_ns() + 10 * NSEC_PER_MSEC);
	bool cancelled = ktimer_cancel(&kt);
	irq_restore(irq);
	KT_EXPECT(t, cancelled);
	KT_EXPECT(t, !ktimer_cancel(&kt));
	sleep_ns(25 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, p.fired, 0);
}

KTEST(time, ktimer_rearm_moves_deadline)
{
	struct timer_probe p;
	struct ktimer kt;
	uint64_t deadline;

	probe_setup(&p, &kt, probe_timer);
	ktimer_arm(&kt, time_now_ns() + 60 * NSEC_PER_SEC);
	deadline = time_now_ns() + 2 * NSEC_PER_MSEC;
	ktimer_arm(&kt, deadline); /* replaces the far one */
	wait_for_completion(&p.done);
	KT_EXPECT(t, p.fired_at >= deadline);
	sleep_ns(5 * NSEC_PER_MSEC);
	KT_EXPECT_EQ(t, p.fired, 1); /* once, not twice */
}

struct order_timer {
	struct ktimer kt;
	struct timer_probe *probe;
	int tag;
};

static void order_cb(struct ktimer *kt, void *arg)
{
	struct order_timer *o = arg;

	(void)kt;
	o->probe->order[o->probe->norder++] = o->tag;
	if (o->probe->norder == 3)
		complete(&o->probe->done);
}

KTEST(time, ktimers_fire_in_deadline_order)
{
	struct timer_probe p = { .norder = 0 };
	struct order_timer timers[3];
	static const int delay_ms[3] = { 9, 3, 6 };
	uint64_t base = time_now_ns();
	unsigned long irq;

	completion_init(&p.done);
	/* Armed with interrupts off: a stall between two arms (TCG on a
	 * loaded host) cannot let a timer armed first fire before one with
	 * an earlier deadline is even queued. Once they are on, timers due
	 * by then fire in deadline order too. */
	irq = irq_save();
	for (int i = 0; i < 3; i++) {
		timers[i].probe = &p;
		timers[i].tag = i;
		ktimer_init(&timers[i].kt, order_cb, &timers[i]);
		ktimer_arm(&timers[i].kt,
			   base + (uint64_t)delay_ms[i] * NSEC_PER_MSEC);
	}
	irq_restore(irq);
	wait_for_completion(&p.done);
	KT_EXPECT_EQ(t, p.order[0], 1);
	KT_EXPECT_EQ(t, p.order[1], 2);
	KT_EXPECT_EQ(t, p.order[2], 0);
}

static void self_rearm_cb(struct ktimer *kt, void *arg)
{
	struct timer_probe *p = arg;

	if (++p->fired < 3)
		ktimer_arm(kt, time_now_ns() + NSEC_PER_MSEC);
	else
		complete(&p->done);
}

KTEST(time, ktimer_callback_can_rearm_itself)
{
	struct timer_probe p;
	struct ktimer kt;

	probe_setup(&p, &kt, self_rearm_cb);
	ktimer_arm(&kt, time_now_ns() + NSEC_PER_MSEC);
	wait_for_completion(&p.done);
	KT_EXPECT_EQ(t, p.fired, 3);
	KT_EXPECT(t, !kt.armed);
}

struct sleeper_arg {
	uint64_t until;
	unsigned woke; /* place in the order of wake-ups, from 1 */
};

static unsigned sleepers_woken;

static void sleeper_fn(void *arg)
{
	struct sleeper_arg *s = arg;

	sleep_until(s->until);
	s->woke = __atomic_add_fetch(&sleepers_woken, 1, __ATOMIC_SEQ_CST);
}

/* Runs after both sleepers went to sleep (kernel tasks are not preempted,
 * and run in spawn order): the time by which both timers were queued. */
static void queued_check_fn(void *arg)
{
	*(uint64_t *)arg = time_now_ns();
}

/*
 * One try: a sleeps until base + 3 gap and is spawned first, b until
 * base + gap. Returns false when the try does not count: the machine (TCG
 * on a loaded host) stalled so long that the first deadline passed before
 * both timers were queued. Else *in_order says whether b woke first.
 */
static bool sleepers_try(struct ktest_ctx *t, uint64_t gap, bool *in_order)
{
	uint64_t base = time_now_ns(), queued_by = 0;
	struct sleeper_arg a = { base + 3 * gap, 0 }, b = { base + gap, 0 };
	struct task *ta = task_spawn("sleep-a", sleeper_fn, &a);
	struct task *tb = task_spawn("sleep-b", sleeper_fn, &b);
	struct task *tc = task_spawn("sleep-check", queued_check_fn,
				     &queued_by);

	KT_EXPECT(t, ta && tb && tc);
	if (!ta || !tb || !tc)
		return false;
	task_join(ta);
	task_join(tb);
	task_join(tc);
	task_put(ta);
	task_put(tb);
	task_put(tc);
	KT_EXPECT(t, a.woke != 0 && b.woke != 0);
	*in_order = b.woke < a.woke;
	return queued_by < b.until;
}

/*
 * Two sleepers wake in deadline order, not in the order they went to
 * sleep. Deterministic under TCG: a try counts only when both timers were
 * queued before the first deadline (checked after the fact), and a try
 * that does not count is repeated with twice the gap.
 */
KTEST(time, concurrent_sleepers_wake_in_order)
{
	uint64_t gap = 4 * NSEC_PER_MSEC;
	bool counted = false, in_order = false;

	for (int i = 0; i < 6 && !counted; i++, gap *= 2)
		counted = sleepers_try(t, gap, &in_order);
	KT_EXPECT(t, counted); /* six stalls in a row, up to 128 ms long */
	KT_EXPECT(t, in_order);
}
