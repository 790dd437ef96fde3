/*
 * User mode: address spaces, the TLB, user register contexts and
 * hal_user_run.
 *
 * An address space is the core's PML4 with the kernel half (slots
 * 256..511) copied in from the kernel's own table, so that traps from user
 * mode land in a mapped kernel. The core's walker manages only the user
 * half and never frees those entries. The TLB is flushed with invlpg when
 * the space is the one loaded in CR3; loading CR3 flushes the rest.
 *
 * hal_user_run enters ring 3 through x86_enter_user (entry.S) and gets back
 * the reason when user code executes `syscall`, faults, or an interrupt
 * arrives. syscall/sysret MSRs are set here too.
 */
#include "x86.h"

#include <stddef.h>

#include "../common/bm.h"

_Static_assert(offsetof(struct hal_uctx, r15) == UC_R15, "UC_R15");
_Static_assert(offsetof(struct hal_uctx, rbx) == UC_RBX, "UC_RBX");
_Static_assert(offsetof(struct hal_uctx, r11) == UC_R11, "UC_R11");
_Static_assert(offsetof(struct hal_uctx, rax) == UC_RAX, "UC_RAX");
_Static_assert(offsetof(struct hal_uctx, rdi) == UC_RDI, "UC_RDI");
_Static_assert(offsetof(struct hal_uctx, rip) == UC_RIP, "UC_RIP");
_Static_assert(offsetof(struct hal_uctx, rsp) == UC_RSP, "UC_RSP");
_Static_assert(offsetof(struct hal_uctx, rflags) == UC_RFLAGS, "UC_RFLAGS");

#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_KERNEL_GS_BASE 0xc0000102

/* rflags bits user code may own: CF PF AF ZF SF TF DF OF AC ID. */
#define RFLAGS_USER 0x254dd5ul
#define RFLAGS_IF 0x200ul
#define RFLAGS_FIXED 0x2ul
/* Cleared on syscall entry: TF DF IF IOPL AC NT. */
#define SYSCALL_FMASK 0x47700ul

#define PML4_KERNEL_FIRST 256
#define PML4_ENTRIES 512
#define CR3_ADDR_MASK 0x000ffffffffff000ul
#define TLB_FLUSH_ALL_PAGES 64

/* fxsave layout: FCW at 0, MXCSR at 24. */
#define FX_FCW 0
#define FX_MXCSR 24
#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80

static uint32_t mxcsr_mask = 0xffbf;
/* Bounce buffer for contexts whose FPU area is not 16-byte aligned. */
static uint8_t fx_bounce[512] __attribute__((aligned(16)));

void x86_user_init(void)
{
	uint32_t mask;

	wrmsr(MSR_STAR, ((uint64_t)(USER_BASE | 3) << 48) |
				((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uintptr_t)x86_syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	/* MXCSR_MASK (0 means the architectural default 0xffbf). */
	memset(fx_bounce, 0, sizeof(fx_bounce));
	__asm__ volatile("fxsave %0" : "=m"(fx_bounce));
	memcpy(&mask, fx_bounce + 28, sizeof(mask));
	if (mask)
		mxcsr_mask = mask;
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
	return 0;
}

/* The CPU may still have the space loaded (we switch lazily): move to the
 * kernel's table before the core frees the root. */
void hal_as_destroy(struct hal_as *as)
{
	unsigned long flags = hal_irq_save();

	if (as_loaded(as))
		write_cr3(x86_kernel_pml4);
	hal_irq_restore(flags);
	as->root = 0;
}

void hal_tlb_update(struct hal_as *as, uintptr_t va, hal_paddr_t pa,
		    unsigned prot)
{
	if (as_loaded(as))
		invlpg(va);
}

void hal_tlb_invalidate(struct hal_as *as, uintptr_t va, size_t len)
{
	uintptr_t end = va + len;

	if (!as_loaded(as))
		return;
	if (len / HAL_PAGE_SIZE > TLB_FLUSH_ALL_PAGES) {
		write_cr3(read_cr3());
		return;
	}
	for (va &= ~(HAL_PAGE_SIZE - 1); va < end; va += HAL_PAGE_SIZE)
		invlpg(va);
}

/*
 * update and invalidate already took effect: invlpg (or the CR3 reload)
 * is synchronous on this CPU, and no other CPU runs user code (ncpus is
 * 1). An SMP backend sends its shootdown IPIs here and waits for them.
 */
void hal_tlb_flush(struct hal_as *as)
{
	(void)as;
	__asm__ volatile("" ::: "memory");
}

/* ---- User contexts ------------------------------------------------- */

void hal_uctx_init(struct hal_uctx *ctx, uintptr_t ip, uintptr_t sp)
{
	uint16_t fcw = FCW_DEFAULT;
	uint32_t mxcsr = MXCSR_DEFAULT;

	memset(ctx, 0, sizeof(*ctx));
	ctx->rip = ip;
	ctx->rsp = sp;
	ctx->rflags = RFLAGS_IF | RFLAGS_FIXED;
	memcpy(ctx->fpu + FX_FCW, &fcw, sizeof(fcw));
	memcpy(ctx->fpu + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

uint64_t hal_uctx_get(const struct hal_uctx *ctx, enum hal_ureg reg)
{
	switch (reg) {
	case HAL_UREG_IP:
		return ctx->rip;
	case HAL_UREG_SP:
		return ctx->rsp;
	case HAL_UREG_SYSNR:
	case HAL_UREG_RET:
		return ctx->rax;
	case HAL_UREG_ARG0:
		return ctx->rdi;
	case HAL_UREG_ARG1:
		return ctx->rsi;
	case HAL_UREG_ARG2:
		return ctx->rdx;
	case HAL_UREG_ARG3:
		return ctx->r10;
	case HAL_UREG_ARG4:
		return ctx->r8;
	case HAL_UREG_ARG5:
		return ctx->r9;
	case HAL_UREG_TLS:
		return ctx->fs_base;
	default:
		return 0;
	}
}

void hal_uctx_set(struct hal_uctx *ctx, enum hal_ureg reg, uint64_t value)
{
	switch (reg) {
	case HAL_UREG_IP:
		ctx->rip = value;
		break;
	case HAL_UREG_SP:
		ctx->rsp = value;
		break;
	case HAL_UREG_SYSNR:
	case HAL_UREG_RET:
		ctx->rax = value;
		break;
	case HAL_UREG_ARG0:
		ctx->rdi = value;
		break;
	case HAL_UREG_ARG1:
		ctx->rsi = value;
		break;
	case HAL_UREG_ARG2:
		ctx->rdx = value;
		break;
	case HAL_UREG_ARG3:
		ctx->r10 = value;
		break;
	case HAL_UREG_ARG4:
		ctx->r8 = value;
		break;
	case HAL_UREG_ARG5:
		ctx->r9 = value;
		break;
	case HAL_UREG_TLS:
		ctx->fs_base = value;
		break;
	default:
		break;
	}
}

/* ---- Running user code --------------------------------------------- */

/* A lower-half canonical address (what iretq and wrmsr accept for ring 3
 * without faulting in the kernel). */
static bool user_canonical(uint64_t a)
{
	return a < 0x0000800000000000ul;
}

static void fpu_restore(struct hal_uctx *ctx)
{
	uint8_t *area = ctx->fpu;
	uint32_t mxcsr;

	/* A reserved MXCSR bit would make fxrstor fault in the kernel. */
	memcpy(&mxcsr, area + FX_MXCSR, sizeof(mxcsr));
	mxcsr &= mxcsr_mask;
	memcpy(area + FX_MXCSR, &mxcsr, sizeof(mxcsr));
	if ((uintptr_t)area & 15) {
		memcpy(fx_bounce, area, sizeof(fx_bounce));
		area = fx_bounce;
	}
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

static void fpu_save(struct hal_uctx *ctx)
{
	if ((uintptr_t)ctx->fpu & 15) {
		__asm__ volatile("fxsave64 (%0)" : : "r"(fx_bounce) : "memory");
		memcpy(ctx->fpu, fx_bounce, sizeof(fx_bounce));
		return;
	}
	__asm__ volatile("fxsave64 (%0)" : : "r"(ctx->fpu) : "memory");
}

enum hal_trap hal_user_run(struct hal_uctx *ctx, struct hal_as *as,
			   struct hal_trap_info *info)
{
	struct x86_cpu *c;
	enum hal_trap trap;

	/* iretq to a non-canonical rip/rsp would fault in ring 0: report
	 * it as the protection fault the program would get. */
	if (!user_canonical(ctx->rip) || !user_canonical(ctx->rsp)) {
		info->addr = ctx->rip;
		info->access = 0;
		info->exception = HAL_EXC_PROTECTION;
		return HAL_TRAP_EXCEPTION;
	}
	hal_irq_save();
	c = this_cpu();
	if (!as_loaded(as))
		write_cr3(as->root);
	ctx->rflags = (ctx->rflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_FIXED;
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
	hal_irq_enable();
	return trap;
}
