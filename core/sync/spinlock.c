/*
 * Spinlocks: a test-and-set word taken with interrupts disabled on the
 * holder's CPU, so that an interrupt handler taking the same lock can
 * never spin on a holder it interrupted. The holder's CPU is recorded to
 * catch recursive locking and unlocking by another CPU.
 */
#include <hal/hal.h>
#include <keel/log.h>
#include <keel/sync.h>

void spin_init(struct spinlock *l, const char *name)
{
	l->locked = 0;
	l->irq = 0;
	l->cpu = -1;
	l->name = name;
}

static int holder_cpu(const struct spinlock *l)
{
	return __atomic_load_n(&l->cpu, __ATOMIC_RELAXED);
}

bool spin_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       holder_cpu(l) == (int)hal_cpu_id();
}

/*
 * Takes l, disabling interrupts first; the previous interrupt state is
 * restored by spin_unlock. Panics if this CPU already holds l (that would
 * spin forever).
 */
void spin_lock(struct spinlock *l)
{
	unsigned long irq = hal_irq_save();

	if (spin_held(l))
		panic("recursive spin_lock of '%s'", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			hal_cpu_relax();
	}
	l->irq = irq;
	__atomic_store_n(&l->cpu, (int)hal_cpu_id(), __ATOMIC_RELAXED);
}

bool spin_trylock(struct spinlock *l)
{
	unsigned long irq = hal_irq_save();

	if (spin_held(l))
		panic("recursive spin_trylock of '%s'", l->name);
	if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE)) {
		hal_irq_restore(irq);
		return false;
	}
	l->irq = irq;
	__atomic_store_n(&l->cpu, (int)hal_cpu_id(), __ATOMIC_RELAXED);
	return true;
}

/* Releases l and restores the interrupt state spin_lock saved. Panics if
 * l is free or held by another CPU. */
void spin_unlock(struct spinlock *l)
{
	unsigned long irq;

	if (!spin_held(l))
		panic("spin_unlock of '%s' not held by CPU %u (holder %d)",
		      l->name, hal_cpu_id(), holder_cpu(l));
	irq = l->irq;
	__atomic_store_n(&l->cpu, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	hal_irq_restore(irq);
}

void spin_lock_pair(struct spinlock *a, struct spinlock *b)
{
	if (a == b) {
		spin_lock(a);
	} else if (a < b) {
		spin_lock(a);
		spin_lock(b);
	} else {
		spin_lock(b);
		spin_lock(a);
	}
}

void spin_unlock_pair(struct spinlock *a, struct spinlock *b)
{
	if (a == b) {
		spin_unlock(a);
	} else if (a < b) {
		spin_unlock(b);
		spin_unlock(a);
	} else {
		spin_unlock(a);
		spin_unlock(b);
	}
}
