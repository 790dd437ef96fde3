/*
 * Time internals: what boot, the IRQ dispatcher and user mode need from
 * core/time beyond <keel/time.h>.
 */
#ifndef CORE_TIME_TIME_H
#define CORE_TIME_TIME_H

#ifndef KEEL_CORE
#error "core-internal header"
#endif

/* Disarms the hardware timer and reads the wall clock; call once at boot,
 * before interrupts. */
void time_init(void);

/* Real time minus monotonic time, as time_realtime_ns adds it (the vvar
 * page publishes it). Any context. */
uint64_t time_realtime_offset_ns(void);

/* A secondary CPU's timer: disarmed, nothing armed on its base. Call on
 * that CPU before it schedules. */
void time_cpu_init(void);

/* The timer interrupt (core_irq(HAL_IRQ_TIMER)): runs expired ktimers,
 * ticks the scheduler and re-arms the hardware timer. Interrupts off. */
void time_irq(void);

/*
 * Arms this CPU's hardware timer for the earliest of the next ktimer and
 * the end of the current scheduler slice (when the slice matters, see
 * sched_slice_deadline). Cheap when nothing changed; any context.
 */
void time_reprogram(void);

/*
 * The callback a timer list runs without its lock (ktimers here, CPU-time
 * timers in cputime.c), so that cancelling can wait for it. Every field
 * under the list's lock.
 */
struct spinlock;
struct timer_callback {
	const void *timer; /* NULL: none running */
	unsigned cpu;
};

static inline void timer_callback_start(struct timer_callback *r,
					const void *timer, unsigned cpu)
{
	r->cpu = cpu;
	__atomic_store_n(&r->timer, timer, __ATOMIC_RELEASE);
}

static inline void timer_callback_end(struct timer_callback *r)
{
	__atomic_store_n(&r->timer, NULL, __ATOMIC_RELEASE);
}

/* With lock held: returns, lock held again, once no other CPU runs
 * timer's callback (a callback cancelling its own timer does not wait). */
void timer_callback_wait(struct spinlock *lock,
			 const struct timer_callback *r, const void *timer);

/*
 * The one blocking step of every sleep (sleep.c): after
 * sched_prepare_sleep(flags), sleeps until a wake-up, deadline_ns
 * (WAIT_FOREVER: none) or, if the sleep is interruptible, a notification.
 * Returns 0 when woken (possibly spuriously: recheck), -ETIMEDOUT once
 * the deadline has passed (at once, without sleeping, if it had), -EINTR
 * when notified. The task is running again on return. Task context.
 */
int sleep_prepared_until(uint64_t deadline_ns);

#endif
