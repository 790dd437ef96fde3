/*
 * The "TLB" of the hosted backend: hal_tlb_update / hal_tlb_invalidate
 * queue mmap / munmap operations for an address space's stub process
 * (coalesced where pages are contiguous in both virtual and physical
 * addresses); a stub thread applies them before it next runs user code.
 * Host mappings are process-wide, so whichever thread applies a batch
 * does it for all of them: batches go out one at a time, in order, and
 * each ends with the thread publishing the batch's sequence number
 * (hdr->applied), which every other vCPU waits for before it lets its own
 * thread run user code.
 *
 * hal_tlb_flush makes that "before the core frees a frame": if no thread
 * of the space runs user code, nothing can use a stale mapping (the next
 * run hands the queue over first); otherwise this vCPU applies the queue
 * through its own idle thread of the space (one round trip; the host's
 * munmap reaches every thread), or, if it has none, kicks the running
 * threads out of user code and waits until the ops are applied or nobody
 * runs user code any more.
 */
#include "stub_host.h"

#include <signal.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

void hosted_tlb_calls(const struct hal_as *as, struct hosted_tlb_calls *out)
{
	struct hosted_stub *s = as->stub;

	out->updates = __atomic_load_n(&s->calls.updates, __ATOMIC_RELAXED);
	out->invalidates =
		__atomic_load_n(&s->calls.invalidates, __ATOMIC_RELAXED);
	out->flushes = __atomic_load_n(&s->calls.flushes, __ATOMIC_RELAXED);
}

static void queue_lock(struct hosted_stub *s)
{
	while (__atomic_exchange_n(&s->queue_lock, 1, __ATOMIC_ACQUIRE))
		hal_cpu_relax();
}

static void queue_unlock(struct hosted_stub *s)
{
	__atomic_store_n(&s->queue_lock, 0, __ATOMIC_RELEASE);
}

uint64_t stub_ops_applied(const struct hosted_stub *s)
{
	return s->hdr ? __atomic_load_n(&s->hdr->applied, __ATOMIC_SEQ_CST) :
			0;
}

/* Can op extend the last queued op (same kind and prot, contiguous)? */
static bool queue_merge(struct hosted_stub *s, const struct stub_op *op)
{
	struct stub_op *last = s->nq ? &s->q[s->nq - 1] : NULL;

	if (!last || last->kind != op->kind || last->prot != op->prot ||
	    last->va + last->len != op->va)
		return false;
	if (op->kind == STUB_OP_MAP && last->pa + last->len != op->pa)
		return false;
	last->len += op->len;
	return true;
}

/*
 * A batch is on its way (in a slot, not yet applied) or a vCPU is moving
 * ops in round trips: the caller must wait. queue_lock held.
 */
static bool batch_in_flight(const struct hosted_stub *s)
{
	return s->handing || s->handed > stub_ops_applied(s);
}

/* Waits (unlocked) for another vCPU's batch; false if the stub died. */
static bool wait_batch(struct hosted_stub *s, unsigned *spins)
{
	if (++*spins % 4096 == 0 && !stub_alive(s))
		return false;
	if (__atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
		return false;
	if (*spins % 64 == 0)
		sched_yield();
	else
		hal_cpu_relax();
	return true;
}

bool stub_hand_ops(struct hosted_stub *s, struct stub_thread *t)
{
	struct stub_slot *sl = t->sl;
	unsigned spins = 0;

	for (;;) {
		size_t n;
		bool ok;

		queue_lock(s);
		if (batch_in_flight(s)) {
			queue_unlock(s);
			if (!wait_batch(s, &spins))
				return false;
			continue;
		}
		n = s->nq < STUB_MAX_OPS ? s->nq : STUB_MAX_OPS;
		if (n == 0) {
			queue_unlock(s);
			return true;
		}
		memcpy(sl->ops, s->q, n * sizeof(*s->q));
		sl->nops = (uint32_t)n;
		memmove(s->q, s->q + n, (s->nq - n) * sizeof(*s->q));
		s->nq -= n;
		if (s->nq == 0) {
			/* The last batch: it goes with t's next GO. */
			s->handed = s->queued;
			sl->ops_seq = s->handed;
			queue_unlock(s);
			return true;
		}
		s->handing = true;
		sl->ops_seq = 0;
		queue_unlock(s);
		ok = stub_round_trip(s, t, STUB_CMD_SYNC);
		queue_lock(s);
		s->handing = false;
		queue_unlock(s);
		if (!ok)
			return false;
	}
}

/* Applies every queued op now through t (idle, started, claimed). */
static bool apply_now(struct hosted_stub *s, struct stub_thread *t)
{
	if (!stub_hand_ops(s, t))
		return false;
	return t->sl->nops == 0 || stub_round_trip(s, t, STUB_CMD_SYNC);
}

/* This vCPU's thread of s if it is started and idle, claimed; else NULL.
 * Release it with release_own. */
static struct stub_thread *claim_own(struct hosted_stub *s)
{
	unsigned cpu = hal_cpu_id();
	struct stub_thread *t;

	if (cpu >= STUB_SLOTS || __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
		return NULL;
	t = &s->th[cpu];
	if (!t->started || __atomic_exchange_n(&t->busy, 1, __ATOMIC_ACQUIRE))
		return NULL;
	return t;
}

static void release_own(struct stub_thread *t)
{
	__atomic_store_n(&t->busy, 0, __ATOMIC_RELEASE);
}

/*
 * Queues op for the stub. Once a slot's worth of ops is waiting and this
 * vCPU has an idle thread in the stub, they are applied now (a round
 * trip) rather than letting the queue grow. Running out of memory for the
 * queue stops the machine: a lost TLB update would corrupt user memory
 * silently.
 */
static void queue_op(struct hosted_stub *s, const struct stub_op *op)
{
	struct stub_thread *own;
	bool full;

	queue_lock(s);
	s->queued++;
	if (!queue_merge(s, op)) {
		if (s->nq == s->capq) {
			size_t cap = s->capq ? s->capq * 2 : 64;
			struct stub_op *q = realloc(s->q, cap * sizeof(*q));

			if (!q) {
				queue_unlock(s);
				hosted_die_write("keel: no TLB op memory\n");
				abort();
			}
			s->q = q;
			s->capq = cap;
		}
		s->q[s->nq++] = *op;
	}
	full = s->nq >= STUB_MAX_OPS;
	queue_unlock(s);
	if (full && (own = claim_own(s))) {
		/* A failure kills the stub: the next run is an exception. */
		apply_now(s, own);
		release_own(own);
	}
}

static uint32_t host_prot(unsigned prot)
{
	uint32_t p = 0;

	if (prot & HAL_PROT_READ)
		p |= PROT_READ;
	if (prot & HAL_PROT_WRITE)
		p |= PROT_WRITE;
	if (prot & HAL_PROT_EXEC)
		p |= PROT_EXEC;
	return p;
}

void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot)
{
	struct stub_op op = {
		.va = va & ~(HAL_PAGE_SIZE - 1), .len = HAL_PAGE_SIZE,
		.pa = pa & ~(HAL_PAGE_SIZE - 1), .kind = STUB_OP_MAP,
		.prot = host_prot(prot),
	};

	if (op.va >= HAL_USER_VA_MAX || op.pa >= hosted_phys_size())
		abort(); /* a core bug: never a user-mode consequence */
	__atomic_fetch_add(&as->stub->calls.updates, 1, __ATOMIC_RELAXED);
	queue_op(as->stub, &op);
}

void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len)
{
	struct stub_op op = { .kind = STUB_OP_UNMAP };
	uintptr_t end = (va + len + HAL_PAGE_SIZE - 1) & ~(HAL_PAGE_SIZE - 1);

	op.va = va & ~(HAL_PAGE_SIZE - 1);
	if (end > HAL_USER_VA_MAX)
		end = HAL_USER_VA_MAX;
	if (end <= op.va)
		return;
	op.len = end - op.va;
	__atomic_fetch_add(&as->stub->calls.invalidates, 1, __ATOMIC_RELAXED);
	queue_op(as->stub, &op);
}

/* Kicks every thread of s that runs user code out of it (a kick that
 * arrives while it waits stays pending and stops it at once when it
 * resumes). */
static void kick_running(struct hosted_stub *s)
{
	uint32_t running = __atomic_load_n(&s->in_user, __ATOMIC_SEQ_CST);

	for (unsigned i = 0; i < STUB_SLOTS; i++)
		if ((running & (1u << i)) && s->th[i].sl->tid > 0)
			syscall(SYS_tgkill, s->pid, s->th[i].sl->tid,
				STUB_SIG_KICK);
}

/*
 * Waits until no thread of the space can run user code on translations
 * queued for removal (see the top of the file). Waiting here with the
 * core's lock held cannot deadlock: the vCPUs running the stub's threads
 * need nothing but the stub to give them back.
 */
void hal_tlb_flush(struct hal_as *as)
{
	struct hosted_stub *s = as->stub;
	struct stub_thread *own;
	uint64_t target;

	if (!s)
		return;
	__atomic_fetch_add(&s->calls.flushes, 1, __ATOMIC_RELAXED);
	if (__atomic_load_n(&s->pid, __ATOMIC_ACQUIRE) <= 0 ||
	    __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
		return; /* never started, or gone: no user code runs */
	queue_lock(s);
	target = s->queued;
	queue_unlock(s);
	/* The ops are queued before in_user is read: an entering run sets
	 * its bit before it reads the queue (Dekker, both sequentially
	 * consistent). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (stub_ops_applied(s) >= target ||
	    !__atomic_load_n(&s->in_user, __ATOMIC_SEQ_CST))
		return;
	own = claim_own(s);
	if (own) {
		apply_now(s, own); /* a failure kills the stub */
		release_own(own);
		return;
	}
	for (unsigned spins = 0;; spins++) {
		if (stub_ops_applied(s) >= target ||
		    !__atomic_load_n(&s->in_user, __ATOMIC_SEQ_CST) ||
		    __atomic_load_n(&s->dead, __ATOMIC_SEQ_CST))
			return;
		if (spins % 1024 == 0)
			kick_running(s);
		if (spins % 4096 == 4095 && !stub_alive(s))
			return;
		sched_yield();
	}
}

bool stub_scrub(struct hosted_stub *s, struct stub_thread *t)
{
	struct stub_op all = { .va = 0, .len = HAL_USER_VA_MAX,
			       .kind = STUB_OP_UNMAP };

	queue_lock(s);
	s->nq = 0; /* the old space's ops: the unmap covers them all */
	queue_unlock(s);
	queue_op(s, &all);
	return apply_now(s, t);
}
