/*
 * TLB batches: the core's side of the TLB contract (docs/hal.md, "The TLB
 * contract"). A frame may be reused only after every CPU (hosted: every
 * stub) that may run the space has dropped its translations to it. So an
 * operation tells the backend about each PTE change as it makes it, with
 * the removals of neighbouring pages merged into one hal_tlb_invalidate,
 * parks the frames that lost a mapping, and at the end flushes once
 * (hal_tlb_flush, synchronous) before it drops their references.
 */
#include "mm/frame.h"
#include "mm/vm_space.h"

void vm_batch_init(struct vm_batch *b, struct vm_space *vs)
{
	b->vs = vs;
	b->run_lo = b->run_hi = 0;
	b->dirty = false;
	b->nframes = 0;
}

/* Hands the pending run of removals to the backend. */
static void emit_run(struct vm_batch *b)
{
	if (b->run_hi == b->run_lo)
		return;
	hal_tlb_invalidate(&b->vs->as, b->run_lo, b->run_hi - b->run_lo);
	b->run_lo = b->run_hi = 0;
	b->dirty = true;
}

void vm_batch_clear(struct vm_batch *b, uintptr_t va)
{
	if (b->run_hi != b->run_lo && va == b->run_hi) {
		b->run_hi += PAGE_SIZE;
		return;
	}
	emit_run(b);
	b->run_lo = va;
	b->run_hi = va + PAGE_SIZE;
}

void vm_batch_set(struct vm_batch *b, uintptr_t va, hal_paddr_t pa,
		  unsigned flags)
{
	unsigned prot = flags & PT_PROT_MASK;

	if (!prot) {
		vm_batch_clear(b, va);
		return;
	}
	/* Keep the backend's view in order: a run may hold this page. */
	emit_run(b);
	hal_tlb_update(&b->vs->as, va, pa, prot);
	b->dirty = true;
}

/* Flushes and releases the parked frames; the batch stays usable. */
static void flush(struct vm_batch *b)
{
	emit_run(b);
	if (b->dirty)
		hal_tlb_flush(&b->vs->as);
	b->dirty = false;
	for (unsigned i = 0; i < b->nframes; i++)
		frame_put(b->frames[i]);
	b->nframes = 0;
}

void vm_batch_put(struct vm_batch *b, hal_paddr_t pa)
{
	if (b->nframes == VM_BATCH_FRAMES)
		flush(b);
	b->frames[b->nframes++] = pa;
}

void vm_batch_finish(struct vm_batch *b)
{
	flush(b);
}
