/*
 * TLB shootdowns across CPUs, by NMI.
 *
 * Why NMIs: the core flushes with a spinlock held and interrupts off
 * (docs/hal.md, the TLB contract), and the CPU it must reach may itself be
 * spinning on that lock, interrupts off, or waiting for our own shootdown.
 * A maskable IPI would deadlock both cases; an NMI is taken anyway. The
 * handler (x86_nmi) is short, touches no lock and does not use %gs (an NMI
 * can arrive in the few instructions around swapgs, where %gs holds the
 * user's base): it finds its CPU by local APIC id.
 *
 * Protocol: each CPU has one request slot of its own (x86_cpu.tlb_req)
 * and one pending mask (x86_cpu.tlb_pending, a bit per sender). A sender,
 * interrupts off, fills its slot, sets its bit in each target's pending
 * mask, sends each an NMI and spins until every target set its bit in the
 * slot's acked mask. A target's handler takes the whole pending mask at
 * once and loops until it stays empty, so NMIs that coalesced (one more
 * arriving while the handler runs is latched, further ones are not) lose
 * no request. Two CPUs shooting at each other both get through: each
 * one's NMI interrupts the other's wait loop.
 *
 * Who is targeted: for an address space, the other online CPUs whose CR3
 * holds its root (x86_cpu.root, written before CR3 with a full barrier,
 * read after the page-table writes with one: a CPU the sender misses
 * loads CR3 after those writes, and a CR3 load drops every non-global
 * entry; Keel uses no global pages and no PCIDs). For the kernel half
 * (kernel stacks), every online CPU.
 */
#include "x86.h"

#include "../common/bm.h"

#define CR3_ADDR_MASK 0x000ffffffffff000ul

/* Drops [va, va + len) from this CPU's TLB: invlpg per page, or a CR3
 * reload (all non-global entries) for long ranges. */
void x86_tlb_flush_local(uintptr_t va, size_t len)
{
	uintptr_t end = va + len;

	if (len / HAL_PAGE_SIZE > TLB_FLUSH_ALL_PAGES) {
		write_cr3(read_cr3());
		return;
	}
	for (va &= ~(HAL_PAGE_SIZE - 1); va < end; va += HAL_PAGE_SIZE)
		invlpg(va);
}

void x86_root_load(uint64_t root)
{
	struct x86_cpu *c = this_cpu();

	__atomic_store_n(&c->root, root, __ATOMIC_SEQ_CST);
	write_cr3(root);
}

/* Carries out r on CPU c (in its NMI handler). */
static void request_apply(struct x86_cpu *c, const struct x86_tlb_request *r)
{
	uint64_t cr3 = read_cr3() & CR3_ADDR_MASK;

	if (r->root == 0) {
		x86_tlb_flush_local(r->va, r->len);
		return;
	}
	if (cr3 != r->root)
		return; /* not (or no longer) ours: a CR3 load flushed it */
	if (!r->drop) {
		x86_tlb_flush_local(r->va, r->len);
		return;
	}
	write_cr3(x86_kernel_pml4);
	/* Only if the interrupted code is not loading another root just
	 * now: it records the new one before it writes CR3. */
	__atomic_compare_exchange_n(&c->root, &cr3, x86_kernel_pml4, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

void x86_nmi(void)
{
	unsigned me = x86_apic_to_cpu[x86_apic_id()];
	struct x86_cpu *c;
	uint64_t senders;

	if (me >= HAL_MAX_CPUS)
		return;
	c = &x86_cpus[me];
	while ((senders = __atomic_exchange_n(&c->tlb_pending, 0,
					      __ATOMIC_ACQUIRE))) {
		for (unsigned s = 0; s < HAL_MAX_CPUS; s++) {
			struct x86_tlb_request *r = &x86_cpus[s].tlb_req;

			if (!(senders & (1ull << s)))
				continue;
			request_apply(c, r);
			__atomic_fetch_or(&r->acked, 1ull << me,
					  __ATOMIC_RELEASE);
		}
	}
}

/* The other online CPUs that have root in CR3 (all of them for 0). */
static uint64_t targets_of(uint64_t root, unsigned self)
{
	uint64_t online = __atomic_load_n(&x86_cpus_online, __ATOMIC_SEQ_CST);
	uint64_t targets = 0;

	for (unsigned i = 0; i < x86_ncpus && i < HAL_MAX_CPUS; i++) {
		if (i == self || !(online & (1ull << i)))
			continue;
		if (root == 0 ||
		    __atomic_load_n(&x86_cpus[i].root, __ATOMIC_SEQ_CST) == root)
			targets |= 1ull << i;
	}
	return targets;
}

/*
 * Makes every other CPU that may hold translations of root (0: the kernel
 * half) drop those of [va, va + len), or with drop, stop using root
 * altogether; returns once all have. The caller has written the page
 * tables (and flushed its own TLB). Any context but an NMI; interrupts
 * may be off, spinlocks held.
 */
void x86_tlb_shootdown(uint64_t root, uintptr_t va, size_t len, bool drop)
{
	unsigned long irq = hal_irq_save();
	struct x86_cpu *self = this_cpu();
	struct x86_tlb_request *r = &self->tlb_req;
	uint64_t targets;

	__atomic_thread_fence(__ATOMIC_SEQ_CST); /* page tables first */
	targets = targets_of(root, (unsigned)self->id);
	if (targets) {
		r->root = root;
		r->va = va;
		r->len = len;
		r->drop = drop;
		__atomic_store_n(&r->acked, 0, __ATOMIC_RELEASE);
		for (unsigned i = 0; i < x86_ncpus; i++) {
			if (!(targets & (1ull << i)))
				continue;
			__atomic_fetch_or(&x86_cpus[i].tlb_pending,
					  1ull << self->id, __ATOMIC_SEQ_CST);
			x86_apic_send_nmi(x86_cpus[i].apic_id);
		}
		while (__atomic_load_n(&r->acked, __ATOMIC_ACQUIRE) != targets)
			hal_cpu_relax();
	}
	hal_irq_restore(irq);
}

/* ---- The kernel stack area (hal/baremetal/common/kstack.c) ---------- */

/* Every CPU may have cached the cleared entries (the kernel half is the
 * same in every PML4): here, and on every other online CPU. */
void bm_kstack_flush(uintptr_t va, size_t len)
{
	x86_tlb_flush_local(va, len);
	x86_tlb_shootdown(0, va, len, false);
}
