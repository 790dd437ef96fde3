/*
 * Mutexes: sleeping locks with an owner, for task context only. Unlock
 * wakes one waiter, which retries; a running task may take the mutex
 * first (no hand-off), which is fine without real-time guarantees.
 */
#include <keel/log.h>
#include <keel/sync.h>
#include <keel/task.h>

void mutex_init(struct mutex *m, const char *name)
{
	spin_init(&m->lock, name);
	m->owner = NULL;
	waitq_init(&m->wq, name);
}

bool mutex_trylock(struct mutex *m)
{
	struct task *cur = task_current();
	bool taken = false;

	spin_lock(&m->lock);
	if (!m->owner) {
		m->owner = cur;
		taken = true;
	}
	spin_unlock(&m->lock);
	return taken;
}

/* Sleeps until m is free and takes it. Panics if the caller holds it. */
void mutex_lock(struct mutex *m)
{
	if (mutex_held(m))
		panic("recursive mutex_lock of '%s'", m->lock.name);
	WAITQ_WAIT_EVENT(&m->wq, mutex_trylock(m));
}

void mutex_unlock(struct mutex *m)
{
	struct task *cur = task_current();

	spin_lock(&m->lock);
	if (m->owner != cur)
		panic("mutex_unlock of '%s' by task %u, not the owner",
		      m->lock.name, task_id(cur));
	m->owner = NULL;
	spin_unlock(&m->lock);
	waitq_wake_one(&m->wq);
}

bool mutex_held(const struct mutex *m)
{
	struct task *owner = __atomic_load_n(&m->owner, __ATOMIC_RELAXED);

	/* Before the scheduler runs there is no current task: a free mutex
	 * (owner NULL) must not look held then. */
	return owner && owner == task_current();
}
