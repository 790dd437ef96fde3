/*
 * The test and introspection primitives (<hal/probe.h>) on riscv64. A
 * probe runs with the space's root in satp and interrupts off; a kernel
 * exception whose sepc is the probe's access (exec: the target itself)
 * lands back in the probe's caller with 1 instead of being a kernel fault
 * (rv_kernel_trap asks rv_probe_trap first). The routines are leaves, so
 * ra still holds the return address at the fault: the landing is a
 * simulated `ret` with a0 = 1.
 *
 * Guards: S-mode can never execute a U page (the privileged spec, 4.3.1),
 * and it can read and write one only with sstatus.SUM set, which Keel
 * never sets (the core reaches user memory through the direct map;
 * hal_user_run clears SUM and MXR on each entry). The audit walks Sv39:
 * a page is user-reachable when its leaf has U (non-leaf entries carry
 * no U).
 */
#include "../common/bm.h"
#include "riscv.h"

#include <hal/probe.h>
#include <keel/errno.h>

#define PT_ENTRIES 512
#define KERNEL_HALF 256
#define LEVELS 3
#define PTE_LEAF (PTE_R | PTE_W | PTE_X)
#define SATP_PPN_MASK ((1ull << 44) - 1)

/* uint64_t rv_probe_read(uintptr_t va) and friends: 0 once done. */
__asm__(".pushsection .text\n"
	".balign 4\n"
	".globl rv_probe_read, rv_probe_read_at\n"
	".globl rv_probe_write, rv_probe_write_at, rv_probe_exec\n"
	"rv_probe_read:\n"
	"	mv t0, a0\n"
	"	li a0, 0\n"
	"rv_probe_read_at:\n"
	"	lb t1, 0(t0)\n"
	"	ret\n"
	"rv_probe_write:\n"
	"	mv t0, a0\n"
	"	li a0, 0\n"
	"rv_probe_write_at:\n"
	"	sb zero, 0(t0)\n"
	"	ret\n"
	/* A tail jump: the `ret` at va returns to our caller with 0. */
	"rv_probe_exec:\n"
	"	mv t0, a0\n"
	"	li a0, 0\n"
	"	jr t0\n"
	".popsection\n");

uint64_t rv_probe_read(uintptr_t va);
uint64_t rv_probe_write(uintptr_t va);
uint64_t rv_probe_exec(uintptr_t va);
extern const char rv_probe_read_at[], rv_probe_write_at[];

struct rv_probe {
	bool armed;
	enum hal_probe kind;
	uintptr_t va;
	struct hal_probe_fault *out;
};

static struct rv_probe probes[HAL_MAX_CPUS];

/* The table satp points at. */
static const uint64_t *satp_root(uint64_t satp)
{
	return hal_phys_to_virt((satp & SATP_PPN_MASK) << 12);
}

/* The valid leaf mapping va in the table at root, or 0. */
static uint64_t sv39_leaf(const uint64_t *root, uintptr_t va)
{
	const uint64_t *t = root;

	for (int level = LEVELS - 1; level >= 0; level--) {
		uint64_t e = t[(va >> (12 + 9 * level)) & (PT_ENTRIES - 1)];

		if (!(e & PTE_V))
			return 0;
		if (e & PTE_LEAF)
			return e;
		t = hal_phys_to_virt((e >> PTE_PPN_SHIFT) << 12);
	}
	return 0;
}

static bool probe_pc(const struct rv_probe *p, uintptr_t pc)
{
	switch (p->kind) {
	case HAL_PROBE_READ:
		return pc == (uintptr_t)rv_probe_read_at;
	case HAL_PROBE_WRITE:
		return pc == (uintptr_t)rv_probe_write_at;
	case HAL_PROBE_EXEC:
		return pc == p->va;
	}
	return false;
}

static unsigned cause_access(uint64_t scause)
{
	switch (scause) {
	case EXC_INST_PAGE:
	case EXC_INST_ACCESS:
		return HAL_ACCESS_EXEC;
	case EXC_STORE_PAGE:
	case EXC_STORE_ACCESS:
		return HAL_ACCESS_WRITE;
	default:
		return HAL_ACCESS_READ;
	}
}

bool rv_probe_trap(struct rv_frame *f)
{
	struct rv_probe *p = &probes[rv_this_cpu()->id];

	if (!__atomic_load_n(&p->armed, __ATOMIC_ACQUIRE) ||
	    !probe_pc(p, f->x[0]))
		return false;
	*p->out = (struct hal_probe_fault){
		.ip = f->x[0],
		.addr = f->stval,
		.access = cause_access(f->scause),
		.mapped = sv39_leaf(satp_root(csr_read(satp)), f->stval) != 0,
		.trapno = (unsigned)f->scause,
		.error = f->stval,
	};
	__atomic_store_n(&p->armed, false, __ATOMIC_RELEASE);
	f->x[0] = f->x[1]; /* sepc = ra */
	f->x[10] = 1;      /* a0 */
	return true;
}

int hal_probe_access(struct hal_as *as, uintptr_t va, enum hal_probe kind,
		     struct hal_probe_fault *fault)
{
	unsigned long irq;
	struct rv_probe *p;
	uint64_t faulted;

	if (kind != HAL_PROBE_READ && kind != HAL_PROBE_WRITE &&
	    kind != HAL_PROBE_EXEC)
		return -EINVAL;
	irq = hal_irq_save();
	rv_as_activate(as);
	p = &probes[rv_this_cpu()->id];
	*fault = (struct hal_probe_fault){ 0 };
	p->kind = kind;
	p->va = va;
	p->out = fault;
	__atomic_store_n(&p->armed, true, __ATOMIC_SEQ_CST);
	if (kind == HAL_PROBE_READ)
		faulted = rv_probe_read(va);
	else if (kind == HAL_PROBE_WRITE)
		faulted = rv_probe_write(va);
	else
		faulted = rv_probe_exec(va);
	__atomic_store_n(&p->armed, false, __ATOMIC_SEQ_CST);
	hal_irq_restore(irq);
	return faulted ? 1 : 0;
}

unsigned hal_probe_guards(unsigned *available)
{
	unsigned on = HAL_GUARD_NO_USER_EXEC;

	if (!(csr_read(sstatus) & SSTATUS_SUM))
		on |= HAL_GUARD_NO_USER_DATA;
	if (available)
		*available = HAL_GUARD_NO_USER_EXEC | HAL_GUARD_NO_USER_DATA;
	return on;
}

/* Counts the user-reachable pages entry e (at level, mapping from va)
 * holds; kernel: it lies in the kernel half (then they are exposed). */
static void visit(uint64_t e, int level, uint64_t va, bool kernel,
		  struct hal_pt_audit *out)
{
	uint64_t span = 1ull << (12 + 9 * level);

	if (!(e & PTE_V))
		return;
	if (!(e & PTE_LEAF)) {
		const uint64_t *t =
			hal_phys_to_virt((e >> PTE_PPN_SHIFT) << 12);

		for (unsigned i = 0; level > 0 && i < PT_ENTRIES; i++)
			visit(t[i], level - 1, va + i * (span >> 9), kernel,
			      out);
		return;
	}
	if (!(e & PTE_U))
		return;
	if (!kernel) {
		out->user_pages += span / HAL_PAGE_SIZE;
		return;
	}
	if (!out->exposed_pages) /* sign-extended from bit 38 */
		out->first_exposed = (uintptr_t)((int64_t)(va << 25) >> 25);
	out->exposed_pages += span / HAL_PAGE_SIZE;
}

void hal_pt_audit(hal_paddr_t root, struct hal_pt_audit *out)
{
	const uint64_t *t = hal_phys_to_virt(root);
	uint64_t span = 1ull << (12 + 9 * (LEVELS - 1));

	*out = (struct hal_pt_audit){ 0 };
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		bool kernel = i >= KERNEL_HALF;

		out->kernel_roots += kernel && (t[i] & PTE_V);
		visit(t[i], LEVELS - 1, i * span, kernel, out);
	}
}
