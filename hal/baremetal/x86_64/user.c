/*
 * User mode: address spaces, the TLB, user register contexts and
 * hal_user_run.
 *
 * An address space is the core's PML4 with the kernel half (slots
 * 256..511) copied in from the kernel's own table, so that traps from user
 * mode land in a mapped kernel. The core's walker manages only the user
 * half and never frees those entries. The TLB is flushed with invlpg when
 * the space is the one loaded in CR3; loading CR3 flushes the rest. The
 * range touched is remembered until hal_tlb_flush, which shoots it down
 * on the other CPUs that have the space loaded (tlb.c).
 *
 * hal_user_run enters ring 3 through x86_enter_user (entry.S) and gets back
 * the reason when user code executes `syscall`, faults, or an interrupt
 * arrives. syscall/sysret MSRs are set here too.
 *
 * The register file itself is hal/shared/uctx_x86_64.c; this file says
 * what the machine has: with XSAVE (CPUID.1:ECX.XSAVE), x87, SSE and AVX
 * where the CPU has it are enabled in XCR0 and switched with
 * xsave/xrstor; without, the fxsave image alone (QEMU's default qemu64
 * CPU has no XSAVE).
 */
#include "x86.h"

#include <stddef.h>

#include "../common/bm.h"
#include "../../shared/uctx_x86_64.h"

_Static_assert(offsetof(struct hal_uctx, r15) == UC_R15, "UC_R15");
_Static_assert(offsetof(struct hal_uctx, rbx) == UC_RBX, "UC_RBX");
_Static_assert(offsetof(struct hal_uctx, r11) == UC_R11, "UC_R11");
_Static_assert(offsetof(struct hal_uctx, rax) == UC_RAX, "UC_RAX");
_Static_assert(offsetof(struct hal_uctx, rdi) == UC_RDI, "UC_RDI");
_Static_assert(offsetof(struct hal_uctx, rip) == UC_RIP, "UC_RIP");
_Static_assert(offsetof(struct hal_uctx, rsp) == UC_RSP, "UC_RSP");
_Static_assert(offsetof(struct hal_uctx, eflags) == UC_RFLAGS, "UC_RFLAGS");
_Static_assert(offsetof(struct x86_frame, rdi) == UC_RDI, "frame order");

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102

/* Cleared on syscall entry: TF DF IF IOPL AC NT. */
#define SYSCALL_FMASK 0x47700ul

#define CPUID1_ECX_XSAVE (1u << 26)
#define CR4_OSXSAVE (1ul << 18)
#define XFEATURES_WANTED (XFEATURE_X87 | XFEATURE_SSE | XFEATURE_AVX)

#define PML4_KERNEL_FIRST 256
#define PML4_ENTRIES 512
#define CR3_ADDR_MASK 0x000ffffffffff000ul

static struct x86_uctx_machine machine = {
	.fpu_size = FX_SIZE,
	.mxcsr_mask = 0xffbf,
	.user_cs = USER_CS,
	.user_ss = USER_DS,
};
/* Bounce buffers (one per CPU) for contexts whose FPU area is not 64-byte
 * aligned. */
static uint8_t fpu_bounces[HAL_MAX_CPUS][HAL_UCTX_FPU_MAX]
	__attribute__((aligned(64)));

const struct x86_uctx_machine *x86_uctx_machine(void)
{
	return &machine;
}

static void xsetbv0(uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static void xsave_enable(void)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	xsetbv0(machine.features);
}

/* Turns XSAVE on for x87, SSE and AVX as far as the CPU has them. */
static void xsave_init(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_XSAVE))
		return;
	cpuid(0xd, &a, &b, &c, &d); /* subleaf 0: supported XCR0 bits */
	machine.features = a & XFEATURES_WANTED;
	xsave_enable();
	cpuid(0xd, &a, &b, &c, &d); /* ebx: the area's size for XCR0 */
	machine.fpu_size = b;
}

static void syscall_msrs_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)(USER_BASE | 3) << 48) |
				((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uintptr_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
}

/* A secondary CPU: the boot CPU's choices (same CPU model everywhere). */
void x86_user_cpu_init(void)
{
	syscall_msrs_init();
	if (machine.features)
		xsave_enable();
}

void x86_user_init(void)
{
	uint32_t mask;

	syscall_msrs_init();
	/* MXCSR_MASK (0 means the architectural default 0xffbf). */
	memset(fpu_bounces[0], 0, FX_SIZE);
	__asm__ volatile("fxsave64 (%0)" : : "r"(fpu_bounces[0]) : "memory");
	memcpy(&mask, fpu_bounces[0] + FX_MXCSR_MASK, sizeof(mask));
	if (mask)
		machine.mxcsr_mask = mask;
	xsave_init();
}

/* ---- Address spaces and the TLB ------------------------------------ */

static bool as_loaded(const struct hal_as *as)
{
	return (read_cr3() & CR3_ADDR_MASK) == as->root;
}

int hal_as_init(struct hal_as *as, hal_paddr_t root)
{
	uint64_t *dst = hal_phys_to_virt(root);
	const uint64_t *src = hal_phys_to_virt(x86_kernel_pml4);

	memcpy(dst + PML4_KERNEL_FIRST, src + PML4_KERNEL_FIRST,
	       (PML4_ENTRIES - PML4_KERNEL_FIRST) * sizeof(uint64_t));
	as->root = root;
	as->pend_lo = as->pend_hi = 0;
	return 0;
}

/* CPUs may still have the space loaded (they switch lazily): this one
 * and every other move to the kernel's table before the core frees the
 * root. */
void hal_as_destroy(struct hal_as *as)
{
	unsigned long flags = hal_irq_save();

	if (as_loaded(as))
		x86_root_load(x86_kernel_pml4);
	x86_tlb_shootdown(as->root, 0, 0, true);
	hal_irq_restore(flags);
	as->root = 0;
}

/* Flushes [va, va + len) here if as is loaded, and widens the range the
 * next hal_tlb_flush shoots down elsewhere. The core serialises the calls
 * for one as (its lock), so the range needs none. */
static void tlb_note(struct hal_as *as, uintptr_t va, size_t len)
{
	uintptr_t lo = va & ~(HAL_PAGE_SIZE - 1), hi = va + len;

	if (as_loaded(as))
		x86_tlb_flush_local(lo, hi - lo);
	if (as->pend_lo == as->pend_hi) {
		as->pend_lo = lo;
		as->pend_hi = hi;
		return;
	}
	if (lo < as->pend_lo)
		as->pend_lo = lo;
	if (hi > as->pend_hi)
		as->pend_hi = hi;
}

void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot)
{
	(void)pa;
	(void)prot;
	tlb_note(as, va, HAL_PAGE_SIZE);
}

void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len)
{
	tlb_note(as, va, len);
}

/*
 * This CPU is done already (invlpg and CR3 loads are synchronous here);
 * the other CPUs that have as loaded are reached by an NMI shootdown of
 * the pending range, which returns once all of them dropped it.
 */
void hal_tlb_flush(struct hal_as *as)
{
	uintptr_t lo = as->pend_lo, hi = as->pend_hi;

	if (lo == hi)
		return;
	as->pend_lo = as->pend_hi = 0;
	x86_tlb_shootdown(as->root, lo, hi - lo, false);
}

/* ---- Running user code --------------------------------------------- */

/* A lower-half canonical address (what iretq and wrmsr accept for ring 3
 * without faulting in the kernel). */
static bool user_canonical(uint64_t a)
{
	return a < 0x0000800000000000ul;
}

/* The context's FPU area, or the bounce buffer holding a copy of it
 * when misaligned for fxsave/xsave. */
static uint8_t *fpu_area(struct hal_uctx *ctx, bool load)
{
	uint8_t *bounce = fpu_bounces[hal_cpu_id()];

	if (!((uintptr_t)ctx->fpu & 63))
		return ctx->fpu;
	if (load)
		memcpy(bounce, ctx->fpu, machine.fpu_size);
	return bounce;
}

/* Loads ctx's FPU state; x86_uctx_sanitise made MXCSR loadable, and
 * hal_uctx_fpu_restore let only a valid XSAVE header in. */
static void fpu_restore(struct hal_uctx *ctx)
{
	uint8_t *area = fpu_area(ctx, true);
	uint32_t lo = (uint32_t)machine.features;

	if (machine.features)
		__asm__ volatile("xrstor64 (%0)"
				 : : "r"(area), "a"(lo), "d"(0) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

static void fpu_save(struct hal_uctx *ctx)
{
	uint8_t *area = fpu_area(ctx, false);
	uint32_t lo = (uint32_t)machine.features;

	if (machine.features)
		__asm__ volatile("xsave64 (%0)"
				 : : "r"(area), "a"(lo), "d"(0) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
	if (area != ctx->fpu)
		memcpy(ctx->fpu, area, machine.fpu_size);
}

enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info)
{
	struct x86_cpu *c;
	enum hal_trap trap;
	unsigned long irq;

	/* iretq to a non-canonical rip/rsp would fault in ring 0: report
	 * it as the protection fault the program would get. */
	if (!user_canonical(ctx->rip) || !user_canonical(ctx->rsp)) {
		*info = (struct hal_trap_info){
			.exception = HAL_EXC_PROTECTION, .code = HAL_SI_KERNEL,
			.trapno = 13,
		};
		return HAL_TRAP_EXCEPTION;
	}
	/* Interrupts stay off until iretq/sysretq load the user's IF: one
	 * pending since the caller disabled them (a kick) is taken before
	 * the first user instruction. */
	irq = hal_irq_save();
	c = this_cpu();
	if (!as_loaded(as))
		x86_root_load(as->root);
	x86_uctx_sanitise(ctx);
	wrmsr(MSR_FS_BASE, user_canonical(ctx->fs_base) ? ctx->fs_base : 0);
	wrmsr(MSR_KERNEL_GS_BASE,
	      user_canonical(ctx->gs_base) ? ctx->gs_base : 0);
	fpu_restore(ctx);
	c->uctx = ctx;
	c->info = info;
	trap = (enum hal_trap)x86_enter_user(ctx);
	fpu_save(ctx);
	c->uctx = NULL;
	c->info = NULL;
	x86_uctx_trapped(ctx, trap == HAL_TRAP_SYSCALL);
	if (trap == HAL_TRAP_EXCEPTION && info->exception == HAL_EXC_FPU)
		info->code = x86_uctx_fpe_code(ctx, info->trapno);
	hal_irq_restore(irq);
	return trap;
}
