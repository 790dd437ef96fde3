/*
 * Completions: a counted event. complete() adds one and wakes a waiter;
 * each wait consumes one. complete_all() makes the count infinite, so
 * every present and future wait returns at once.
 */
#include <keel/errno.h>
#include <keel/sync.h>

#define COMPLETION_ALL UINT32_MAX

void completion_init(struct completion *c)
{
	spin_init(&c->lock, "completion");
	c->done = 0;
	waitq_init(&c->wq, "completion");
}

void complete(struct completion *c)
{
	spin_lock(&c->lock);
	if (c->done != COMPLETION_ALL && c->done + 1 != COMPLETION_ALL)
		c->done++;
	spin_unlock(&c->lock);
	waitq_wake_one(&c->wq);
}

void complete_all(struct completion *c)
{
	spin_lock(&c->lock);
	c->done = COMPLETION_ALL;
	spin_unlock(&c->lock);
	waitq_wake_all(&c->wq);
}

/* Consumes one completion if there is one. */
static bool completion_try(struct completion *c)
{
	bool got = false;

	spin_lock(&c->lock);
	if (c->done) {
		if (c->done != COMPLETION_ALL)
			c->done--;
		got = true;
	}
	spin_unlock(&c->lock);
	return got;
}

/*
 * A waiter is queued before it checks the count, so a complete() racing
 * with that check (from another CPU) can spend its wake-up on a waiter
 * that then consumes a different completion, leaving a count behind while
 * another waiter sleeps. Whoever leaves with completions still pending
 * passes a wake-up on; at worst the woken task finds nothing and sleeps.
 */
static void completion_pass_on(struct completion *c)
{
	bool pending;

	spin_lock(&c->lock);
	pending = c->done != 0 && c->done != COMPLETION_ALL;
	spin_unlock(&c->lock);
	if (pending)
		waitq_wake_one(&c->wq);
}

void wait_for_completion(struct completion *c)
{
	WAITQ_WAIT_EVENT(&c->wq, completion_try(c));
	completion_pass_on(c);
}

/* The waits with flags and a deadline: 0, -EINTR or -ETIMEDOUT. */
static int completion_wait(struct completion *c, unsigned flags,
			   uint64_t deadline_ns)
{
	int err = WAITQ_WAIT_EVENT_UNTIL(&c->wq, completion_try(c), flags,
					 deadline_ns);

	if (err == 0)
		completion_pass_on(c);
	return err;
}

int wait_for_completion_until(struct completion *c, uint64_t deadline_ns)
{
	return completion_wait(c, 0, deadline_ns);
}

int wait_for_completion_interruptible(struct completion *c)
{
	return completion_wait(c, WAIT_INTERRUPTIBLE, WAIT_FOREVER);
}

int wait_for_completion_interruptible_until(struct completion *c,
					    uint64_t deadline_ns)
{
	return completion_wait(c, WAIT_INTERRUPTIBLE, deadline_ns);
}
