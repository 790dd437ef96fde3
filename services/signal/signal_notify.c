/*
 * The hook signalfd (services/event/signalfd.c) waits on: every signal
 * queued to any process or thread bumps a change count and wakes one
 * global queue with POLLIN (Linux wakes the receiver's
 * sighand->signalfd_wqh; one queue that lives for ever needs no
 * POLLFREE when a process goes, at the price of spurious wake-ups of
 * other processes' signalfds, which recheck). Any context: senders hold
 * proc_lock, timers queue from their interrupt.
 */
#include <svc/poll.h>
#include <svc/proc.h>
#include <svc/signal.h>

static struct waitq queued = {
	.lock = SPINLOCK_INIT("signal queued"),
	.waiters = { &queued.waiters, &queued.waiters },
};
static unsigned queued_seq;

struct waitq *signal_queued_waitq(void)
{
	return &queued;
}

unsigned signal_queued_seq(void)
{
	return __atomic_load_n(&queued_seq, __ATOMIC_ACQUIRE);
}

void signal_queued(void)
{
	__atomic_add_fetch(&queued_seq, 1, __ATOMIC_ACQ_REL);
	waitq_wake(&queued, UINT32_MAX, POLLIN | POLLRDNORM);
}

bool signal_pending_in(struct thread *t, linux_sigset_t set)
{
	struct sighand *h = t->proc->sighand;
	bool any;

	spin_lock(&h->lock);
	any = ((t->sig.pending.set | t->proc->shared_pending.set) & set) != 0;
	spin_unlock(&h->lock);
	return any;
}
