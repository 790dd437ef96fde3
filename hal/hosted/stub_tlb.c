/*
 * The "TLB" of the hosted backend: hal_tlb_update / hal_tlb_invalidate
 * queue mmap / munmap operations for an address space's stub process
 * (coalesced where pages are contiguous in both virtual and physical
 * addresses); the stub's mapper thread applies them (stub_map.h), batch
 * by batch, one batch at a time, and a vCPU hands the queue over and
 * waits for the mapper before it lets its own thread run user code.
 * Host mappings are process-wide: once the mapper is done, no thread of
 * the process can use what was unmapped.
 *
 * hal_tlb_flush makes that "before the core frees a frame": if no thread
 * of the space runs user code, nothing can use a stale mapping (the next
 * run hands the queue over first); otherwise the flush hands the queue
 * to the mapper itself and waits, with no need to stop the threads that
 * run user code.
 */
#include "stub_host.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <time.h>
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

/* The low half of the mapper's done.seq: its futex word. */
static uint32_t *done_word(const struct hosted_stub *s)
{
	return (uint32_t *)&s->done->seq;
}

/* Waits until the mapper reports batch b done: spins, then sleeps on
 * done.seq (re-checking every STUB_POLL_NS that the stub lives). False
 * if it died instead. */
static bool wait_mapper(struct hosted_stub *s, uint64_t b)
{
	struct timespec poll = { 0, STUB_POLL_NS };
	uint32_t *word = done_word(s);
	uint64_t took;
	bool ok = true;

	if (stub_spin_until(word, (uint32_t)b, stub_kernel_spin(), &took))
		return true;
	__atomic_store_n(&s->req->kernel_sleeps, 1, __ATOMIC_SEQ_CST);
	for (;;) {
		uint32_t v = __atomic_load_n(word, __ATOMIC_SEQ_CST);

		if (v == (uint32_t)b)
			break;
		if (syscall(SYS_futex, word, FUTEX_WAIT, v, &poll, NULL, 0) !=
			    0 &&
		    errno != EAGAIN && !stub_alive(s)) {
			ok = false;
			break;
		}
	}
	__atomic_store_n(&s->req->kernel_sleeps, 0, __ATOMIC_SEQ_CST);
	return ok;
}

/* Gives the mapper batch b (its n ops are in the request) and waits for
 * it. The sequentially consistent store of seq and load of
 * mapper_sleeps pair with the mapper's (stub_map.h). */
static bool mapper_run(struct hosted_stub *s, size_t n, uint64_t b)
{
	s->req->nops = (uint32_t)n;
	__atomic_store_n(&s->req->seq, b, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->done->mapper_sleeps, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &s->req->seq, FUTEX_WAKE, 1, NULL, NULL, 0);
	return wait_mapper(s, b);
}

bool stub_apply_ops(struct hosted_stub *s)
{
	unsigned spins = 0;

	for (;;) {
		uint64_t b;
		size_t n;
		bool ok;

		queue_lock(s);
		if (s->mapping) {
			queue_unlock(s);
			if (!wait_batch(s, &spins))
				return false;
			continue;
		}
		if (s->nq == 0) {
			queue_unlock(s);
			return true;
		}
		n = s->nq < STUB_MAP_OPS ? s->nq : STUB_MAP_OPS;
		memcpy(stub_map_ops(s->map), s->q, n * sizeof(*s->q));
		memmove(s->q, s->q + n, (s->nq - n) * sizeof(*s->q));
		s->nq -= n;
		s->mapping = true;
		b = ++s->batch;
		queue_unlock(s);
		ok = mapper_run(s, n, b);
		queue_lock(s);
		s->mapping = false;
		queue_unlock(s);
		if (!ok)
			return false;
	}
}

/* Is the stub process there to apply ops (spawned, not dead)? */
static bool stub_running(struct hosted_stub *s)
{
	return __atomic_load_n(&s->pid, __ATOMIC_ACQUIRE) > 0 &&
	       !__atomic_load_n(&s->dead, __ATOMIC_SEQ_CST);
}

/*
 * Queues op for the stub. Once a batch's worth of ops is waiting and the
 * stub runs, the mapper applies them now rather than letting the queue
 * grow. Running out of memory for the queue stops the machine: a lost
 * TLB update would corrupt user memory silently.
 */
static void queue_op(struct hosted_stub *s, const struct stub_op *op)
{
	bool full;

	queue_lock(s);
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
	full = s->nq >= STUB_MAP_OPS;
	queue_unlock(s);
	if (full && stub_running(s))
		stub_apply_ops(s); /* a failure: the next run is an exception */
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

/*
 * Waits until no thread of the space can run user code on translations
 * queued for removal (see the top of the file). Waiting here with the
 * core's lock held cannot deadlock: the mapper needs nothing from the
 * kernel.
 */
void hal_tlb_flush(struct hal_as *as)
{
	struct hosted_stub *s = as->stub;

	if (!s)
		return;
	__atomic_fetch_add(&s->calls.flushes, 1, __ATOMIC_RELAXED);
	if (!stub_running(s))
		return; /* never started, or gone: no user code runs */
	/* The ops are queued before in_user is read: an entering run sets
	 * its bit before it reads the queue (Dekker, both sequentially
	 * consistent). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!__atomic_load_n(&s->in_user, __ATOMIC_SEQ_CST))
		return;
	stub_apply_ops(s); /* a failure: the stub is dead, nothing runs */
}

bool stub_scrub(struct hosted_stub *s)
{
	struct stub_op all = { .va = 0, .len = HAL_USER_VA_MAX,
			       .kind = STUB_OP_UNMAP };

	queue_lock(s);
	s->nq = 0; /* the old space's ops: the unmap covers them all */
	queue_unlock(s);
	queue_op(s, &all);
	return stub_apply_ops(s);
}
