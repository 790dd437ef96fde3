/*
 * The x86-64 user register file on the hosted backend: fresh contexts,
 * named-register access for the core, and sanitising what the core hands
 * to hal_user_run (user-modifiable flags only, valid MXCSR).
 */
#include "hosted.h"

#include <string.h>

/* fxsave image offsets */
#define FX_FCW 0
#define FX_MXCSR 24

/* Flags user code may set: CF PF AF ZF SF TF DF OF AC ID. */
#define USER_RFLAGS 0x240dd5ull
#define RFLAGS_FIXED 0x202ull /* bit 1 and IF */

void hal_uctx_init(struct hal_uctx *ctx, uintptr_t ip, uintptr_t sp)
{
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;

	memset(ctx, 0, sizeof(*ctx));
	ctx->rip = ip;
	ctx->rsp = sp;
	ctx->rflags = RFLAGS_FIXED;
	memcpy(ctx->fpu + FX_FCW, &fcw, sizeof(fcw));
	memcpy(ctx->fpu + FX_MXCSR, &mxcsr, sizeof(mxcsr));
}

void hosted_uctx_sanitise(struct hal_uctx *ctx)
{
	uint32_t mxcsr;

	ctx->rflags = (ctx->rflags & USER_RFLAGS) | RFLAGS_FIXED;
	memcpy(&mxcsr, ctx->fpu + FX_MXCSR, sizeof(mxcsr));
	mxcsr &= 0xffff; /* the rest is reserved: fxrstor would fault */
	memcpy(ctx->fpu + FX_MXCSR, &mxcsr, sizeof(mxcsr));
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
