/*
 * What the two x86-64 backends (hosted and bare-metal x86_64) share about
 * the user register file: uctx_x86_64.c implements the register-file half
 * of the HAL's user-mode contract once for both (fresh contexts, named
 * and whole-set register access with validation, the FPU blob, syscall
 * restart); each backend describes its machine (x86_uctx_machine) and
 * runs the context (hal_user_run).
 */
#ifndef HAL_SHARED_UCTX_X86_64_H
#define HAL_SHARED_UCTX_X86_64_H

#ifndef KEEL_CORE
#error "hal-internal header"
#endif

#include <hal/hal.h>

/* XSAVE feature bits (XCR0). */
#define XFEATURE_X87 (1ull << 0)
#define XFEATURE_SSE (1ull << 1)
#define XFEATURE_AVX (1ull << 2)
#define XFEATURE_OPMASK (1ull << 5)
#define XFEATURE_ZMM_HI256 (1ull << 6)
#define XFEATURE_HI16_ZMM (1ull << 7)

/* Offsets in the fxsave image and the XSAVE header. */
#define FX_FCW 0
#define FX_FSW 2
#define FX_MXCSR 24
#define FX_MXCSR_MASK 28
#define FX_LEGACY_SIZE 416 /* x87 + MXCSR + XMM0-15 */
#define FX_SW_BYTES 464    /* struct _fpx_sw_bytes (software area) */
#define FX_SIZE 512
#define XSAVE_HDR 512      /* xstate_bv, xcomp_bv, 48 reserved bytes */
#define XSAVE_HDR_SIZE 64
#define XSAVE_MIN_SIZE (XSAVE_HDR + XSAVE_HDR_SIZE)

#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80

/* The machine a backend runs user code on. */
struct x86_uctx_machine {
	uint32_t fpu_size;   /* bytes of state in hal_uctx.fpu: FX_SIZE
			      * (fxsave) or the XSAVE area's size */
	uint64_t features;   /* XSAVE features the area holds; 0: fxsave */
	uint32_t mxcsr_mask; /* MXCSR bits the CPU accepts */
	uint16_t user_cs;    /* what user code runs with */
	uint16_t user_ss;
};

/* Implemented by each backend; valid from boot on, never changes. */
const struct x86_uctx_machine *x86_uctx_machine(void);

/* Clamps what the core handed over before ctx runs: rflags to user bits
 * with IF, segment fields to the user selectors, MXCSR to what the CPU
 * takes (the last line of defence: set_regs/fpu_restore validate). */
void x86_uctx_sanitise(struct hal_uctx *ctx);

/* Records the system call number of a trap (orig_rax), or -1 for any
 * other trap, as Linux does; call on every return from user mode. */
void x86_uctx_trapped(struct hal_uctx *ctx, bool syscall);

/* The FPE_* code Linux reports for an x87 (#MF, 16) or SIMD (#XM, 19)
 * exception, from the state saved in ctx; 0 if no unmasked exception is
 * flagged. */
int x86_uctx_fpe_code(const struct hal_uctx *ctx, unsigned vector);

#endif
