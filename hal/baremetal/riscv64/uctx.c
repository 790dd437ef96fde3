/*
 * The riscv64 user register file: fresh contexts, named registers, the
 * whole set (Linux's user_regs_struct is x[] itself), the F/D state as
 * Linux's struct __riscv_d_ext_state, and system call restart. Nothing
 * privileged lives in the context (hal_user_run builds sstatus), so only
 * fcsr needs checking.
 */
#include "riscv.h"

#include <keel/errno.h>
#include <keel/string.h>

#define ECALL_SIZE 4
#define FCSR_BITS 0xffu /* frm (7:5) and fflags (4:0); the rest reserved */

/* struct __riscv_d_ext_state: f[32], then fcsr (and 4 bytes of padding). */
struct d_ext_state {
	uint64_t f[32];
	uint32_t fcsr;
	uint32_t pad;
};

_Static_assert(sizeof(struct d_ext_state) == 264, "__riscv_d_ext_state");

void hal_uctx_init(struct hal_uctx *ctx, uintptr_t ip, uintptr_t sp)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->x[0] = ip;
	ctx->x[2] = sp;
}

/* x[] index of each named register (x[0] is the pc). */
static const unsigned char ureg_index[HAL_UREG_COUNT] = {
	[HAL_UREG_IP] = 0,     [HAL_UREG_SP] = 2,    [HAL_UREG_SYSNR] = 17,
	[HAL_UREG_ARG0] = 10,  [HAL_UREG_ARG1] = 11, [HAL_UREG_ARG2] = 12,
	[HAL_UREG_ARG3] = 13,  [HAL_UREG_ARG4] = 14, [HAL_UREG_ARG5] = 15,
	[HAL_UREG_RET] = 10,   [HAL_UREG_TLS] = 4,
};

uint64_t hal_uctx_get(const struct hal_uctx *ctx, enum hal_ureg reg)
{
	if ((unsigned)reg >= HAL_UREG_COUNT)
		return 0;
	return ctx->x[ureg_index[reg]];
}

void hal_uctx_set(struct hal_uctx *ctx, enum hal_ureg reg, uint64_t value)
{
	if ((unsigned)reg < HAL_UREG_COUNT)
		ctx->x[ureg_index[reg]] = value;
}

void hal_uctx_get_regs(const struct hal_uctx *ctx, struct hal_uregs *regs)
{
	*regs = ctx->regs;
}

int hal_uctx_set_regs(struct hal_uctx *ctx, const struct hal_uregs *regs)
{
	ctx->regs = *regs;
	return 0;
}

size_t hal_uctx_fpu_size(void)
{
	return sizeof(struct d_ext_state);
}

void hal_uctx_fpu_save(const struct hal_uctx *ctx, void *blob)
{
	struct d_ext_state st;

	memcpy(st.f, ctx->f, sizeof(st.f));
	st.fcsr = (uint32_t)ctx->fcsr;
	st.pad = 0;
	memcpy(blob, &st, sizeof(st));
}

int hal_uctx_fpu_restore(struct hal_uctx *ctx, const void *blob)
{
	struct d_ext_state st;

	memcpy(&st, blob, sizeof(st));
	if (st.fcsr & ~FCSR_BITS)
		return -EINVAL;
	memcpy(ctx->f, st.f, sizeof(st.f));
	ctx->fcsr = st.fcsr;
	return 0;
}

int hal_uctx_syscall_restart(struct hal_uctx *ctx)
{
	if (!ctx->in_syscall || ctx->x[0] < ECALL_SIZE)
		return -EINVAL;
	ctx->x[0] -= ECALL_SIZE;
	ctx->regs.a0 = ctx->orig_a0;
	ctx->in_syscall = 0;
	return 0;
}
