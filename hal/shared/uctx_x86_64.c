/*
 * The x86-64 user register file, for both x86-64 backends (hosted and
 * bare-metal x86_64): fresh contexts, the named registers, the whole set
 * as Linux's user_regs_struct with validation, the FPU/vector state as a
 * Linux signal-frame blob with validation, and system call restart. What
 * differs between the backends (selectors, XSAVE features, MXCSR mask)
 * comes from x86_uctx_machine().
 */
#include "uctx_x86_64.h"

#include <keel/errno.h>

#define RFLAGS_IF 0x200ull
#define RFLAGS_FIXED 0x2ull /* bit 1: always set */
/* What user code may own: CF PF AF ZF SF TF DF OF RF AC ID. */
#define RFLAGS_USER 0x250dd5ull

/* Lower-half canonical addresses: what user code can run at or use as a
 * segment base (47-bit virtual addresses; no LA57). */
#define USER_ADDR_END 0x0000800000000000ull

/* struct _fpx_sw_bytes (Linux's signal frame, asm/sigcontext.h). */
#define FP_XSTATE_MAGIC1 0x46505853u
#define FP_XSTATE_MAGIC2 0x46505845u
#define SW_MAGIC1 (FX_SW_BYTES + 0)
#define SW_EXTENDED_SIZE (FX_SW_BYTES + 4)
#define SW_XFEATURES (FX_SW_BYTES + 8)
#define SW_XSTATE_SIZE (FX_SW_BYTES + 16)
#define SW_BYTES_SIZE 48
#define MAGIC2_SIZE 4

static uint32_t load32(const void *p, size_t off)
{
	uint32_t v;

	__builtin_memcpy(&v, (const uint8_t *)p + off, sizeof(v));
	return v;
}

static uint64_t load64(const void *p, size_t off)
{
	uint64_t v;

	__builtin_memcpy(&v, (const uint8_t *)p + off, sizeof(v));
	return v;
}

static void store16(void *p, size_t off, uint16_t v)
{
	__builtin_memcpy((uint8_t *)p + off, &v, sizeof(v));
}

static void store32(void *p, size_t off, uint32_t v)
{
	__builtin_memcpy((uint8_t *)p + off, &v, sizeof(v));
}

static void store64(void *p, size_t off, uint64_t v)
{
	__builtin_memcpy((uint8_t *)p + off, &v, sizeof(v));
}

/* The fixed part of every context: selectors and the flags' fixed bits. */
static void set_fixed(struct hal_uctx *ctx, const struct x86_uctx_machine *m)
{
	ctx->cs = m->user_cs;
	ctx->ss = m->user_ss;
	ctx->ds = ctx->es = ctx->fs = ctx->gs = 0;
	ctx->eflags = (ctx->eflags & RFLAGS_USER) | RFLAGS_IF | RFLAGS_FIXED;
}

/* The fxsave image is always live: with XSAVE, x87 and SSE are marked
 * present in xstate_bv, so that what the image holds is what is loaded
 * (as the hosted stub does for sigreturn) on both backends alike. */
static void mark_legacy_live(struct hal_uctx *ctx,
			     const struct x86_uctx_machine *m)
{
	if (m->features)
		store64(ctx->fpu, XSAVE_HDR,
			load64(ctx->fpu, XSAVE_HDR) | XFEATURE_X87 |
				XFEATURE_SSE);
}

void hal_uctx_init(struct hal_uctx *ctx, uintptr_t ip, uintptr_t sp)
{
	__builtin_memset(ctx, 0, sizeof(*ctx));
	ctx->rip = ip;
	ctx->rsp = sp;
	ctx->orig_rax = (uint64_t)-1;
	set_fixed(ctx, x86_uctx_machine());
	store16(ctx->fpu, FX_FCW, FCW_DEFAULT);
	store32(ctx->fpu, FX_MXCSR, MXCSR_DEFAULT);
	mark_legacy_live(ctx, x86_uctx_machine());
}

void x86_uctx_sanitise(struct hal_uctx *ctx)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();

	set_fixed(ctx, m);
	/* A reserved MXCSR bit would make the restore fault. */
	store32(ctx->fpu, FX_MXCSR, load32(ctx->fpu, FX_MXCSR) & m->mxcsr_mask);
	mark_legacy_live(ctx, m);
}

void x86_uctx_trapped(struct hal_uctx *ctx, bool syscall)
{
	ctx->orig_rax = syscall ? ctx->rax : (uint64_t)-1;
}

static uint64_t *ureg_slot(struct hal_uctx *ctx, enum hal_ureg reg)
{
	switch (reg) {
	case HAL_UREG_IP: return &ctx->rip;
	case HAL_UREG_SP: return &ctx->rsp;
	case HAL_UREG_SYSNR: return &ctx->rax;
	case HAL_UREG_ARG0: return &ctx->rdi;
	case HAL_UREG_ARG1: return &ctx->rsi;
	case HAL_UREG_ARG2: return &ctx->rdx;
	case HAL_UREG_ARG3: return &ctx->r10;
	case HAL_UREG_ARG4: return &ctx->r8;
	case HAL_UREG_ARG5: return &ctx->r9;
	case HAL_UREG_RET: return &ctx->rax;
	case HAL_UREG_TLS: return &ctx->fs_base;
	default: return NULL;
	}
}

uint64_t hal_uctx_get(const struct hal_uctx *ctx, enum hal_ureg reg)
{
	uint64_t *slot = ureg_slot((struct hal_uctx *)ctx, reg);

	return slot ? *slot : 0;
}

void hal_uctx_set(struct hal_uctx *ctx, enum hal_ureg reg, uint64_t value)
{
	uint64_t *slot = ureg_slot(ctx, reg);

	if (slot)
		*slot = value;
}

void hal_uctx_get_regs(const struct hal_uctx *ctx, struct hal_uregs *regs)
{
	*regs = ctx->regs;
}

int hal_uctx_set_regs(struct hal_uctx *ctx, const struct hal_uregs *regs)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();

	if ((regs->eflags & ~(RFLAGS_USER | RFLAGS_IF | RFLAGS_FIXED)) ||
	    !(regs->eflags & RFLAGS_IF))
		return -EINVAL; /* IOPL, NT, VM, VIF, VIP or reserved bits */
	if (regs->cs != m->user_cs || regs->ss != m->user_ss || regs->ds ||
	    regs->es || regs->fs || regs->gs)
		return -EINVAL;
	if (regs->rip >= USER_ADDR_END || regs->fs_base >= USER_ADDR_END ||
	    regs->gs_base >= USER_ADDR_END)
		return -EINVAL;
	ctx->regs = *regs;
	ctx->eflags |= RFLAGS_FIXED;
	return 0;
}

int hal_uctx_syscall_restart(struct hal_uctx *ctx)
{
	if ((int64_t)ctx->orig_rax < 0 || ctx->rip < 2)
		return -EINVAL;
	ctx->rip -= 2; /* syscall is 0f 05 */
	ctx->rax = ctx->orig_rax;
	ctx->orig_rax = (uint64_t)-1;
	return 0;
}

/* ---- The FPU blob --------------------------------------------------- */

size_t hal_uctx_fpu_size(void)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();

	return m->features ? m->fpu_size + MAGIC2_SIZE : FX_SIZE;
}

void hal_uctx_fpu_save(const struct hal_uctx *ctx, void *blob)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();
	uint8_t *b = blob;

	__builtin_memcpy(b, ctx->fpu, m->fpu_size);
	__builtin_memset(b + FX_SW_BYTES, 0, SW_BYTES_SIZE);
	if (!m->features)
		return;
	store32(b, SW_MAGIC1, FP_XSTATE_MAGIC1);
	store32(b, SW_EXTENDED_SIZE, m->fpu_size + MAGIC2_SIZE);
	store64(b, SW_XFEATURES, m->features);
	store32(b, SW_XSTATE_SIZE, m->fpu_size);
	store32(b, m->fpu_size, FP_XSTATE_MAGIC2);
}

/* Is the XSAVE part of blob one this machine could have written? */
static bool xsave_blob_ok(const uint8_t *b, const struct x86_uctx_machine *m)
{
	if (load32(b, SW_MAGIC1) != FP_XSTATE_MAGIC1 ||
	    load32(b, SW_XSTATE_SIZE) != m->fpu_size ||
	    load32(b, SW_EXTENDED_SIZE) != m->fpu_size + MAGIC2_SIZE ||
	    load64(b, SW_XFEATURES) != m->features ||
	    load32(b, m->fpu_size) != FP_XSTATE_MAGIC2)
		return false;
	/* xstate_bv within the features, standard (not compacted) format,
	 * reserved header bytes zero: else xrstor faults. */
	if (load64(b, XSAVE_HDR) & ~m->features)
		return false;
	for (size_t off = XSAVE_HDR + 8; off < XSAVE_MIN_SIZE; off += 8)
		if (load64(b, off))
			return false;
	return true;
}

int hal_uctx_fpu_restore(struct hal_uctx *ctx, const void *blob)
{
	const struct x86_uctx_machine *m = x86_uctx_machine();
	const uint8_t *b = blob;

	if (load32(b, FX_MXCSR) & ~m->mxcsr_mask)
		return -EINVAL;
	if (m->features && !xsave_blob_ok(b, m))
		return -EINVAL;
	__builtin_memcpy(ctx->fpu, b, m->fpu_size);
	return 0;
}

/* ---- FPU exception codes ---------------------------------------------- */

/* Linux's order (fpu__exception_code): invalid, divide, overflow,
 * underflow or denormal, precision. */
static int fpe_code_of(unsigned flagged)
{
	if (flagged & 0x01)
		return HAL_FPE_FLTINV;
	if (flagged & 0x04)
		return HAL_FPE_FLTDIV;
	if (flagged & 0x08)
		return HAL_FPE_FLTOVF;
	if (flagged & 0x12)
		return HAL_FPE_FLTUND;
	if (flagged & 0x20)
		return HAL_FPE_FLTRES;
	return 0;
}

int x86_uctx_fpe_code(const struct hal_uctx *ctx, unsigned vector)
{
	if (vector == 16) { /* x87: status flags not masked by the control word */
		uint16_t cwd, swd;

		__builtin_memcpy(&cwd, ctx->fpu + FX_FCW, sizeof(cwd));
		__builtin_memcpy(&swd, ctx->fpu + FX_FSW, sizeof(swd));
		return fpe_code_of(swd & ~cwd & 0x3f);
	}
	/* SIMD: MXCSR flags (bits 0-5) not masked (bits 7-12) */
	uint32_t mxcsr = load32(ctx->fpu, FX_MXCSR);

	return fpe_code_of(mxcsr & ~(mxcsr >> 7) & 0x3f);
}
